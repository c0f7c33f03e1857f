// One emulated switch of the flow benchmark (cbench style, OpenFlow 1.3).
// It answers whatever the controller asks during and after the handshake
// (features, port_desc, desc, flow/port/table stats, barrier, echo, role,
// get_config) through the project's codec, and does its hot path by hand:
// PACKET_INs are prebuilt frames, and an answer is recognised from a few
// header offsets without decoding it, so the generator costs the shared
// machine as little as possible.
//
// What counts as the answer to a PACKET_IN: the message that delivers the
// packet. With buffer_id = NO_BUFFER that is a PACKET_OUT carrying the
// frame (matched by its source MAC, one per MAC in flight); with a real
// buffer_id, a FLOW_MOD or PACKET_OUT naming that buffer_id. A FLOW_MOD
// without a buffer_id installs a flow but leaves the packet where it was, so
// it is counted (flowMods) but completes nothing.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { decodeMessage, encodeInto } from '../../src/openflow/codec.js';
import { Writer } from '../../src/openflow/writer.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import { internetChecksum } from '../../src/packet/checksum.js';
import { describeReply, portOf } from './emulated-switch.js';
import type { LatencyHistogram } from './latency-histogram.js';

export const NO_BUFFER = 0xffffffff;
/** Ports of every emulated switch: sources on 1, the destination host on 2, 3 idle. */
export const SRC_PORT = 1;
export const DST_PORT = 2;
const PORTS = 3;
const OFPT = { hello: 0, error: 1, echoRequest: 2, echoReply: 3, features: 5, getConfig: 7, packetIn: 10, packetOut: 13, flowMod: 14, multipart: 18, barrier: 20, role: 24 } as const;
/** ofp_packet_in with an in_port-only match, then a 64-byte frame (OF 1.3.5 §7.4.1). */
const PI_HEADER = 8 + 4 + 2 + 1 + 1 + 8;
const MATCH_LEN = 16; // ofp_match type+length (4) + OXM in_port (8), padded to 8
const FRAME_LEN = 64;
export const PACKET_IN_LEN = PI_HEADER + MATCH_LEN + 2 + FRAME_LEN;

export interface GenCounters {
  sent: number;
  matched: number;
  unmatched: number;
  lost: number;
  flowMods: number;
  packetOuts: number;
  echoSent: number;
  echoAnswered: number;
  /** Answers that named the PACKET_IN's buffer_id (buffered runs). */
  byBuffer: number;
}

export const zeroGenCounters = (): GenCounters => ({ sent: 0, matched: 0, unmatched: 0, lost: 0, flowMods: 0, packetOuts: 0, echoSent: 0, echoAnswered: 0, byBuffer: 0 });

/** Source MAC `i` of switch `s` (0-based): 02:ss:ss:00:ii:ii; the destination host is 02:ss:ss:ff:ff:fe. */
function macBytes(s: number, i: number | 'dst'): number[] {
  return i === 'dst' ? [0x02, (s >> 8) & 0xff, s & 0xff, 0xff, 0xff, 0xfe] : [0x02, (s >> 8) & 0xff, s & 0xff, 0x00, (i >> 8) & 0xff, i & 0xff];
}

/** A whole PACKET_IN: Ethernet/IPv4/UDP from `src` (own IP per MAC) to `dst`, arriving on `inPort`. */
function packetIn(src: number[], dst: number[], ipIndex: number, inPort: number, bufferId: number): Buffer {
  const b = Buffer.alloc(PACKET_IN_LEN);
  b[0] = 4;
  b[1] = OFPT.packetIn;
  b.writeUInt16BE(PACKET_IN_LEN, 2);
  b.writeUInt32BE(bufferId, 8);
  b.writeUInt16BE(FRAME_LEN, 12);
  b[14] = 0; // reason no_match
  b[15] = 0; // table 0
  b.writeUInt16BE(1, 24); // OFPMT_OXM
  b.writeUInt16BE(12, 26);
  b.writeUInt32BE(0x80000004, 28); // OXM in_port, 4 bytes
  b.writeUInt32BE(inPort, 32);
  const f = PI_HEADER + MATCH_LEN + 2;
  b.set(dst, f);
  b.set(src, f + 6);
  b.writeUInt16BE(0x0800, f + 12);
  const ip = f + 14;
  b[ip] = 0x45;
  b.writeUInt16BE(FRAME_LEN - 14, ip + 2);
  b[ip + 8] = 64;
  b[ip + 9] = 17;
  b.set([10, (ipIndex >> 16) & 0xff, (ipIndex >> 8) & 0xff, ipIndex & 0xff], ip + 12);
  b.set([10, 255, 255, 254], ip + 16);
  b.writeUInt16BE(internetChecksum(b.subarray(ip, ip + 20), 0, 20), ip + 10);
  const udp = ip + 20;
  b.writeUInt16BE(40000, udp);
  b.writeUInt16BE(9, udp + 2);
  b.writeUInt16BE(FRAME_LEN - 34, udp + 4); // checksum 0: none (IPv4)
  return b;
}

export interface GenSwitchOptions {
  /** 0-based; the datapath id is index + 1. */
  readonly index: number;
  readonly macs: number;
  /** Send PACKET_INs with real buffer ids (and claim buffers in FEATURES_REPLY). */
  readonly buffered: boolean;
  readonly hist: LatencyHistogram;
  readonly counters: GenCounters;
  /** Called after each answer in closed-loop modes: the switch may send the next one. */
  readonly onAnswer?: (sw: GenSwitch) => void;
  readonly onClose?: (sw: GenSwitch, why: string) => void;
  /** The first FLOW_MOD arrived. */
  readonly onReady?: (sw: GenSwitch) => void;
}

export class GenSwitch {
  readonly dpid: bigint;
  /** First FLOW_MOD seen: the controller has finished the handshake and programs the switch. */
  readyAt = 0;
  taughtAt = 0;
  /** When each source MAC's PACKET_IN went out (performance.now() ms); 0 when none is in flight. */
  private readonly sentAt: Float64Array;
  private readonly frames: Buffer[];
  private readonly teachFrame: Buffer;
  private next = 0;
  outstanding = 0;
  private sock: net.Socket | undefined;
  private rx: Buffer | undefined;
  private queued: Buffer[] = [];
  private flushScheduled = false;
  private readonly writer = new Writer(1024);
  private readonly echoSentAt = new Map<number, number>();
  private echoXid = 1;
  closed = false;
  private readonly s: number;

  constructor(readonly o: GenSwitchOptions) {
    this.s = o.index;
    this.dpid = BigInt(o.index + 1);
    this.sentAt = new Float64Array(o.macs);
    const dst = macBytes(o.index, 'dst');
    this.frames = Array.from({ length: o.macs }, (_, i) => packetIn(macBytes(o.index, i), dst, o.index * o.macs + i, SRC_PORT, o.buffered ? i : NO_BUFFER));
    this.teachFrame = packetIn(dst, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 0xfffffe - o.index, DST_PORT, NO_BUFFER);
  }

  connect(port: number, host = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, host);
      this.sock = sock;
      sock.setNoDelay(true);
      sock.once('connect', () => resolve());
      sock.once('error', (e) => {
        reject(e);
        this.close(`socket error: ${e.message}`);
      });
      sock.on('close', () => this.close('closed by the controller'));
      sock.on('data', (c: Buffer) => this.onData(c));
      this.send({ type: 'hello', xid: 1, version: 4, elements: [{ type: 'versionbitmap', bitmaps: [0x10] }] });
    });
  }

  close(why = 'closed by the benchmark'): void {
    if (this.closed) return;
    this.closed = true;
    this.sock?.destroy();
    this.o.onClose?.(this, why);
  }

  /** Teach the controller where the destination host is (a broadcast from it on port 2). */
  teach(): void {
    this.queue(this.teachFrame);
  }

  /** Send the PACKET_IN of the next source MAC. A MAC whose previous one is still unanswered counts that one lost. */
  sendNext(now = performance.now()): void {
    const i = this.next;
    this.next = i + 1 === this.o.macs ? 0 : i + 1;
    if (this.sentAt[i] !== 0) {
      this.o.counters.lost++;
      this.outstanding--;
    }
    this.sentAt[i] = now;
    this.outstanding++;
    this.o.counters.sent++;
    this.queue(this.frames[i]!);
  }

  /** Count as lost (and forget) every PACKET_IN sent before `before` still unanswered; returns how many. */
  expire(before: number): number {
    let n = 0;
    for (let i = 0; i < this.sentAt.length; i++) {
      const t = this.sentAt[i]!;
      if (t !== 0 && t < before) {
        this.sentAt[i] = 0;
        n++;
      }
    }
    this.outstanding -= n;
    this.o.counters.lost += n;
    return n;
  }

  /** An ECHO_REQUEST of our own: does the controller answer keepalives? */
  echo(): void {
    const xid = this.echoXid++;
    this.echoSentAt.set(xid, performance.now());
    this.o.counters.echoSent++;
    this.send({ type: 'echo_request', xid, data: Buffer.alloc(0) });
  }

  /** Round trip of the slowest echo answered so far, ms. */
  maxEchoMs = 0;

  private queue(b: Buffer): void {
    this.queued.push(b);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => this.flush());
    }
  }

  /** All queued messages in one write (copied, so the prebuilt frames stay untouched). */
  flush(): void {
    this.flushScheduled = false;
    if (this.queued.length === 0 || this.closed) return;
    const out = this.queued.length === 1 ? Buffer.from(this.queued[0]!) : Buffer.concat(this.queued);
    this.queued = [];
    this.sock?.write(out);
  }

  send(m: OfpMessage): void {
    this.writer.reset();
    encodeInto(this.writer, m);
    this.queue(Buffer.from(this.writer.finish()));
  }

  private onData(chunk: Buffer): void {
    let buf = chunk;
    if (this.rx !== undefined) {
      buf = Buffer.concat([this.rx, chunk]);
      this.rx = undefined;
    }
    const now = performance.now();
    let off = 0;
    while (buf.length - off >= 8) {
      const len = buf.readUInt16BE(off + 2);
      if (len < 8) {
        this.close('controller sent a frame shorter than its header');
        return;
      }
      if (buf.length - off < len) break;
      this.onFrame(buf, off, len, now);
      off += len;
    }
    if (off < buf.length) this.rx = Buffer.from(buf.subarray(off));
    this.flush();
  }

  private answered(i: number, now: number, byBuffer = false): void {
    const t = i < this.sentAt.length ? this.sentAt[i]! : 0;
    if (t === 0) {
      this.o.counters.unmatched++;
      return;
    }
    this.sentAt[i] = 0;
    this.outstanding--;
    this.o.counters.matched++;
    if (byBuffer) this.o.counters.byBuffer++;
    this.o.hist.record((now - t) * 1e6);
    this.o.onAnswer?.(this);
  }

  private onFrame(b: Buffer, off: number, len: number, now: number): void {
    const type = b[off + 1]!;
    if (type === OFPT.packetOut) {
      this.o.counters.packetOuts++;
      const bufferId = b.readUInt32BE(off + 8);
      if (bufferId !== NO_BUFFER) return this.answered(bufferId, now, true);
      const d = off + 24 + b.readUInt16BE(off + 16);
      if (off + len - d < 14) return;
      const s = this.s;
      // Ours: 02:ss:ss:00:ii:ii (a source MAC) or the destination host's teach broadcast. Anything else (LLDP) is not an answer.
      if (b[d + 6] !== 0x02 || b[d + 7] !== ((s >> 8) & 0xff) || b[d + 8] !== (s & 0xff)) return;
      if (b[d + 9] === 0) return this.answered(b.readUInt16BE(d + 10), now);
      if (b[d + 9] === 0xff && this.taughtAt === 0) this.taughtAt = now;
      return;
    }
    if (type === OFPT.flowMod) {
      this.o.counters.flowMods++;
      if (this.readyAt === 0) {
        this.readyAt = now;
        this.o.onReady?.(this);
      }
      const bufferId = b.readUInt32BE(off + 32);
      if (bufferId !== NO_BUFFER) this.answered(bufferId, now, true);
      return;
    }
    const xid = b.readUInt32BE(off + 4);
    switch (type) {
      case OFPT.barrier:
        this.send({ type: 'barrier_reply', xid });
        return;
      case OFPT.echoRequest:
        this.send({ type: 'echo_reply', xid, data: Buffer.from(b.subarray(off + 8, off + len)) });
        return;
      case OFPT.echoReply: {
        const t = this.echoSentAt.get(xid);
        if (t === undefined) return;
        this.echoSentAt.delete(xid);
        this.o.counters.echoAnswered++;
        this.maxEchoMs = Math.max(this.maxEchoMs, now - t);
        return;
      }
      case OFPT.features:
        this.send({ type: 'features_reply', xid, datapath_id: this.dpid, n_buffers: this.o.buffered ? this.o.macs : 0, n_tables: 254, auxiliary_id: 0, capabilities: ['flow_stats', 'table_stats', 'port_stats'], reserved: 0 });
        return;
      case OFPT.getConfig:
        this.send({ type: 'get_config_reply', xid, flags: 'frag_normal', miss_send_len: 'no_buffer' } as OfpMessage);
        return;
      case OFPT.role:
      case OFPT.multipart: {
        const m = decodeMessage(Buffer.from(b.subarray(off, off + len)));
        if (m.type === 'role_request') this.send({ type: 'role_reply', xid, role: m.role, generation_id: m.generation_id });
        else if (m.type === 'multipart_request') this.multipart(xid, m.body);
        return;
      }
      default:
        return;
    }
  }

  private multipart(xid: number, body: Extract<OfpMessage, { type: 'multipart_request' }>['body']): void {
    const ports = body.type === 'port_desc' ? Array.from({ length: PORTS }, (_, i) => portOf(this.dpid, i + 1)) : [];
    const described = describeReply(xid, body.type, this.dpid, ports, 'cbench-style switch');
    if (described) return this.send(described);
    switch (body.type) {
      case 'flow':
      case 'port_stats':
      case 'table':
      case 'group_desc':
      case 'meter_config':
        // Nothing installed is kept: an empty answer of the kind asked for.
        this.send({ type: 'multipart_reply', xid, flags: [], body: emptyBody(body.type) });
        return;
      default:
        this.send({ type: 'error', xid, err_type: 'bad_request', code: 'bad_multipart', data: Buffer.alloc(0) });
    }
  }
}

function emptyBody(kind: 'flow' | 'port_stats' | 'table' | 'group_desc' | 'meter_config'): Extract<OfpMessage, { type: 'multipart_reply' }>['body'] {
  switch (kind) {
    case 'flow': return { type: 'flow', flows: [] };
    case 'port_stats': return { type: 'port_stats', stats: [] };
    case 'table': return { type: 'table', tables: [] };
    case 'group_desc': return { type: 'group_desc', groups: [] };
    case 'meter_config': return { type: 'meter_config', configs: [] };
  }
}
