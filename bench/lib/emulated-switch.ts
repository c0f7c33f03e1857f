// A small OpenFlow 1.3 switch for benchmarks (compiled into dist/, so it
// cannot use test/helpers): the handshake, echo, barrier, port_desc, desc,
// port/table stats, and a flow table good enough for the controller's own
// flows and REST flow adds (exact-match lookups, cookie-masked dumps).
// Packet-outs go to a callback, so a fabric can carry LLDP between switches.
import net from 'node:net';
import { Framer } from '../../src/openflow/framer.js';
import { decodeMessage, encodeInto } from '../../src/openflow/codec.js';
import { Writer } from '../../src/openflow/writer.js';
import { toJsonText } from '../../src/openflow/json.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import type { Port } from '../../src/openflow/structs/port.js';
import type { FlowMod } from '../../src/openflow/messages/flow-mod.js';
import type { PacketOut } from '../../src/openflow/messages/packet-out.js';
import type { FlowStats, FlowStatsRequest } from '../../src/openflow/multipart/flow-stats.js';

// Message type codes the switch looks at before decoding (OF 1.3.5 §7.1, ofp_type).
const OFPT_ECHO_REQUEST = 2;
const OFPT_FEATURES_REQUEST = 5;
const OFPT_PACKET_OUT = 13;
const OFPT_FLOW_MOD = 14;
const OFPT_MULTIPART_REQUEST = 18;
const OFPT_BARRIER_REQUEST = 20;
const OFPT_ROLE_REQUEST = 24;
/** Flows per flow-stats reply part: keeps each message well under 64 KiB. */
const FLOWS_PER_PART = 200;

export interface EmulatedSwitchOptions {
  readonly dpid: bigint;
  readonly ports: number;
  readonly onPacketOut?: (sw: EmulatedSwitch, msg: PacketOut) => void;
}

export function portOf(dpid: bigint, n: number): Port {
  const d = Number(dpid & 0xffffn);
  const mac = `0e:00:${(d >> 8).toString(16).padStart(2, '0')}:${(d & 0xff).toString(16).padStart(2, '0')}:00:${n.toString(16).padStart(2, '0')}`;
  return { port_no: n, hw_addr: mac, name: `e${dpid}-p${n}`, config: [], state: ['live'], curr: ['10gb_fd', 'copper'], advertised: [], supported: [], peer: [], curr_speed: 10_000_000, max_speed: 0 };
}

/** The handshake's PORT_DESC and DESC answers of a bench switch; undefined for any other request. */
export function describeReply(xid: number, kind: string, dpid: bigint, ports: readonly Port[], hw: string): OfpMessage | undefined {
  if (kind === 'port_desc') return { type: 'multipart_reply', xid, flags: [], body: { type: 'port_desc', ports } };
  if (kind === 'desc') return { type: 'multipart_reply', xid, flags: [], body: { type: 'desc', mfr_desc: 'Switchyard bench', hw_desc: hw, sw_desc: '1.0', serial_num: 'none', dp_desc: `bench s${dpid}` } };
  return undefined;
}

export class EmulatedSwitch {
  readonly ports: Port[];
  /** By table, priority and match (as JSON text). */
  private readonly flows = new Map<string, FlowStats>();
  /** Same flows by match only, for the REST route's read-back (one exact-match dump per add). */
  private readonly byMatch = new Map<string, Set<string>>();
  private sock: net.Socket | undefined;
  private readonly framer = new Framer();
  private readonly writer = new Writer(4096);
  readonly counters = { flowMods: 0, barriers: 0, packetOuts: 0, statsRequests: 0 };

  constructor(readonly opts: EmulatedSwitchOptions) {
    this.ports = Array.from({ length: opts.ports }, (_, i) => portOf(opts.dpid, i + 1));
  }

  get dpid(): bigint {
    return this.opts.dpid;
  }
  get flowCount(): number {
    return this.flows.size;
  }

  connect(port: number, host = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, host, () => resolve());
      this.sock = sock;
      sock.setNoDelay(true);
      sock.once('error', reject);
      sock.on('data', (chunk) => this.framer.push(chunk, (f) => this.onFrame(f)));
      this.send({ type: 'hello', xid: 1, version: 4, elements: [{ type: 'versionbitmap', bitmaps: [0x10] }] });
    });
  }

  close(): void {
    this.sock?.destroy();
  }

  /** The connection, for a load generator that writes pre-encoded frames (packet-in-storm.ts). */
  get socket(): net.Socket | undefined {
    return this.sock;
  }

  send(msg: OfpMessage): void {
    if (!this.sock) return;
    this.writer.reset();
    encodeInto(this.writer, msg);
    this.sock.write(this.writer.finish());
  }

  private onFrame(frame: Buffer): void {
    const type = frame[1];
    // Hot path of the flow benchmark: answer a barrier without decoding it.
    if (type === OFPT_BARRIER_REQUEST) {
      this.counters.barriers++;
      this.send({ type: 'barrier_reply', xid: frame.readUInt32BE(4) });
      return;
    }
    if (type !== OFPT_ECHO_REQUEST && type !== OFPT_FEATURES_REQUEST && type !== OFPT_PACKET_OUT && type !== OFPT_FLOW_MOD && type !== OFPT_MULTIPART_REQUEST && type !== OFPT_ROLE_REQUEST) return;
    const msg = decodeMessage(frame);
    switch (msg.type) {
      case 'echo_request':
        this.send({ type: 'echo_reply', xid: msg.xid, data: msg.data });
        return;
      case 'features_request':
        this.send({ type: 'features_reply', xid: msg.xid, datapath_id: this.dpid, n_buffers: 0, n_tables: 254, auxiliary_id: 0, capabilities: ['flow_stats', 'table_stats', 'port_stats'], reserved: 0 });
        return;
      case 'role_request':
        this.send({ type: 'role_reply', xid: msg.xid, role: msg.role, generation_id: msg.generation_id });
        return;
      case 'packet_out':
        this.counters.packetOuts++;
        this.opts.onPacketOut?.(this, msg);
        return;
      case 'flow_mod':
        this.counters.flowMods++;
        this.flowMod(msg);
        return;
      case 'multipart_request':
        this.counters.statsRequests++;
        this.multipart(msg.xid, msg.body);
        return;
      default:
        return;
    }
  }

  private multipart(xid: number, body: Extract<OfpMessage, { type: 'multipart_request' }>['body']): void {
    const described = describeReply(xid, body.type, this.dpid, this.ports, 'emulated switch');
    if (described) return this.send(described);
    switch (body.type) {
      case 'flow': {
        const flows = this.dump(body);
        for (let i = 0; i === 0 || i < flows.length; i += FLOWS_PER_PART) {
          const more = i + FLOWS_PER_PART < flows.length;
          this.send({ type: 'multipart_reply', xid, flags: more ? ['reply_more'] : [], body: { type: 'flow', flows: flows.slice(i, i + FLOWS_PER_PART) } });
        }
        return;
      }
      case 'port_stats': {
        const z = 0n;
        const stats = this.ports.map((p) => ({
          port_no: p.port_no, rx_packets: z, tx_packets: z, rx_bytes: z, tx_bytes: z, rx_dropped: z, tx_dropped: z, rx_errors: z, tx_errors: z,
          rx_frame_err: z, rx_over_err: z, rx_crc_err: z, collisions: z, duration_sec: 0, duration_nsec: 0,
        }));
        this.send({ type: 'multipart_reply', xid, flags: [], body: { type: 'port_stats', stats } });
        return;
      }
      case 'table':
        this.send({ type: 'multipart_reply', xid, flags: [], body: { type: 'table', tables: [] } });
        return;
      default:
        this.send({ type: 'error', xid, err_type: 'bad_request', code: 'bad_multipart', data: Buffer.alloc(0) });
        return;
    }
  }

  /** Flows a dump selects: by exact match when it gives one (all the REST route asks), else all; then table and cookie mask. */
  private dump(req: FlowStatsRequest): FlowStats[] {
    let keys: Iterable<string>;
    if (req.match.length > 0) keys = this.byMatch.get(toJsonText(req.match)) ?? [];
    else keys = this.flows.keys();
    const out: FlowStats[] = [];
    for (const k of keys) {
      const f = this.flows.get(k)!;
      if (req.table_id !== 'all' && f.table_id !== req.table_id) continue;
      if ((f.cookie & req.cookie_mask) !== (req.cookie & req.cookie_mask)) continue;
      out.push(f);
    }
    return out;
  }

  private flowMod(fm: FlowMod): void {
    const matchKey = toJsonText(fm.match);
    const key = `${String(fm.table_id)}|${fm.priority}|${matchKey}`;
    if (fm.command === 'add') {
      this.flows.set(key, {
        table_id: fm.table_id as number, duration_sec: 0, duration_nsec: 0, priority: fm.priority, idle_timeout: fm.idle_timeout,
        hard_timeout: fm.hard_timeout, flags: fm.flags, cookie: fm.cookie, packet_count: 0n, byte_count: 0n, match: fm.match, instructions: fm.instructions,
      });
      let set = this.byMatch.get(matchKey);
      if (!set) this.byMatch.set(matchKey, (set = new Set()));
      set.add(key);
      return;
    }
    if (fm.command === 'delete_strict') {
      this.remove(key, matchKey);
      return;
    }
    if (fm.command === 'delete') {
      // Enough for the controller's own masked deletes (by cookie) and delete-all.
      for (const [k, f] of this.flows) {
        if ((f.cookie & fm.cookie_mask) !== (fm.cookie & fm.cookie_mask)) continue;
        if (fm.match.length > 0 && toJsonText(f.match) !== matchKey) continue;
        this.remove(k, toJsonText(f.match));
      }
    }
  }

  private remove(key: string, matchKey: string): void {
    this.flows.delete(key);
    const set = this.byMatch.get(matchKey);
    set?.delete(key);
    if (set?.size === 0) this.byMatch.delete(matchKey);
  }
}
