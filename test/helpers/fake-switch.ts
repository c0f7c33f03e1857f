import net from 'node:net';
import tls from 'node:tls';
import { EventEmitter } from 'node:events';
import { Framer } from '../../src/openflow/framer.js';
import { decodeMessage, encodeMessage } from '../../src/openflow/codec.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import type { Port } from '../../src/openflow/structs/port.js';
import type { FlowMod } from '../../src/openflow/messages/flow-mod.js';
import type { FlowStats, FlowStatsRequest } from '../../src/openflow/multipart/flow-stats.js';
import type { Match } from '../../src/openflow/structs/match.js';
import { OXM_FIELD_BY_NAME, type OxmField } from '../../src/openflow/structs/oxm.js';
import { toJsonText } from '../../src/openflow/json.js';

export interface FakeSwitchOptions {
  readonly dpid: bigint;
  readonly ports?: number;
  /** HELLO version bitmap to offer (default: 1.3 only). */
  readonly helloBitmap?: number;
  /** Answer echo requests (default true); false simulates a hung switch. */
  readonly answerEcho?: boolean;
  /** Override the reply to a request; return undefined for the default. */
  readonly reply?: (msg: OfpMessage) => OfpMessage[] | undefined;
  /**
   * Keep flows: flow_mods change it and flow stats requests are answered
   * from it. Share one table between FakeSwitch instances to simulate a
   * switch that kept its flows across a reconnect. Absent: flow_mods are
   * only recorded, as before.
   */
  readonly flowTable?: FakeFlowTable;
  /** Connect from this local address (e.g. 127.0.0.2, to look like another host on loopback). */
  readonly localAddress?: string;
}

/** OVS reports match fields in OXM code order, whatever order they were sent in; so does the fake. */
function canonicalMatch(m: Match): Match {
  const code = (f: OxmField): number => ('field' in f ? (OXM_FIELD_BY_NAME.get(f.field)?.code ?? 200) : 300);
  return [...m].sort((a, b) => code(a) - code(b));
}
const sameMatch = (a: Match, b: Match): boolean => toJsonText(canonicalMatch(a)) === toJsonText(canonicalMatch(b));
/** Non-strict selection, simplified: every field of the request is in the flow with the same value and mask. */
const covers = (req: Match, flow: Match): boolean => req.every((x) => flow.some((y) => toJsonText(x) === toJsonText(y)));
/** out_port selection: 'any', or an output action to that port in the flow's instructions. */
const outputsTo = (f: FlowStats, port: FlowStatsRequest['out_port']): boolean =>
  port === 'any' || f.instructions.some((i) => (i.type === 'apply_actions' || i.type === 'write_actions') && i.actions.some((a) => a.type === 'output' && a.port === port));

/** A flow table with OpenFlow 1.3 add / delete / delete_strict semantics (cookie masks included), enough for tests. */
export class FakeFlowTable {
  readonly flows: FlowStats[] = [];

  /** OF 1.3.5 §6.4: an add replaces the flow with the same table, priority and match. */
  apply(fm: FlowMod): void {
    const cookieOk = (f: FlowStats): boolean => (f.cookie & fm.cookie_mask) === (fm.cookie & fm.cookie_mask);
    const tableOk = (f: FlowStats): boolean => fm.table_id === 'all' || f.table_id === fm.table_id;
    switch (fm.command) {
      case 'add': {
        const i = this.flows.findIndex((f) => f.table_id === fm.table_id && f.priority === fm.priority && sameMatch(f.match, fm.match));
        const flow: FlowStats = {
          table_id: fm.table_id as number, duration_sec: 0, duration_nsec: 0, priority: fm.priority, idle_timeout: fm.idle_timeout,
          hard_timeout: fm.hard_timeout, flags: fm.flags, cookie: fm.cookie, packet_count: 0n, byte_count: 0n,
          match: canonicalMatch(fm.match), instructions: fm.instructions,
        };
        if (i >= 0) this.flows[i] = flow;
        else this.flows.push(flow);
        return;
      }
      case 'delete_strict':
        this.remove((f) => tableOk(f) && cookieOk(f) && f.priority === fm.priority && sameMatch(f.match, fm.match));
        return;
      case 'delete':
        // Non-strict: every flow whose match contains all of the request's fields.
        this.remove((f) => tableOk(f) && cookieOk(f) && covers(fm.match, f.match) && outputsTo(f, fm.out_port));
        return;
      case 'modify':
      case 'modify_strict': {
        // OF 1.3.5 §6.4: new instructions; cookie, timeouts and counters stay; no match is a no-op.
        const strict = fm.command === 'modify_strict';
        for (let i = 0; i < this.flows.length; i++) {
          const f = this.flows[i]!;
          const hit = tableOk(f) && cookieOk(f) && (strict ? f.priority === fm.priority && sameMatch(f.match, fm.match) : covers(fm.match, f.match));
          if (hit) this.flows[i] = { ...f, instructions: fm.instructions };
        }
        return;
      }
      default:
        return;
    }
  }

  stats(req: FlowStatsRequest): FlowStats[] {
    return this.flows.filter((f) => (req.table_id === 'all' || f.table_id === req.table_id) && (f.cookie & req.cookie_mask) === (req.cookie & req.cookie_mask) &&
      covers(req.match, f.match) && outputsTo(f, req.out_port));
  }

  private remove(pred: (f: FlowStats) => boolean): void {
    for (let i = this.flows.length - 1; i >= 0; i--) if (pred(this.flows[i]!)) this.flows.splice(i, 1);
  }
}

export function fakePort(n: number, dpid: bigint): Port {
  const mac = `0a:${(Number(dpid & 0xffn)).toString(16).padStart(2, '0')}:00:00:00:${n.toString(16).padStart(2, '0')}`;
  return { port_no: n, hw_addr: mac, name: `s${dpid}-eth${n}`, config: [], state: ['live'], curr: ['10gb_fd', 'copper'], advertised: [], supported: [], peer: [], curr_speed: 10_000_000, max_speed: 0 };
}

/**
 * A scripted OpenFlow 1.3 switch over TCP: enough of the protocol for the
 * channel's handshake, keepalive and request/reply, and a log of what the
 * controller sent it.
 */
export class FakeSwitch extends EventEmitter {
  readonly received: OfpMessage[] = [];
  readonly ports: Port[];
  private sock: net.Socket | undefined;
  private readonly framer = new Framer();

  /** The switch's flow table: the one the test gave, else its own, so flow-stats requests (a reconcile's) are answered as a switch would. */
  readonly flowTable: FakeFlowTable;

  constructor(readonly opts: FakeSwitchOptions) {
    super();
    this.flowTable = opts.flowTable ?? new FakeFlowTable();
    this.ports = Array.from({ length: opts.ports ?? 2 }, (_, i) => fakePort(i + 1, opts.dpid));
  }

  /** Plain TCP, or TLS when `tlsOptions` is given (client certificate, CA to trust). */
  connect(port: number, host = '127.0.0.1', tlsOptions?: tls.ConnectionOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const sock = tlsOptions
        ? tls.connect({ port, host, ...(this.opts.localAddress ? { localAddress: this.opts.localAddress } : {}), ...tlsOptions }, () => resolve())
        : net.connect({ port, host, ...(this.opts.localAddress ? { localAddress: this.opts.localAddress } : {}) }, () => resolve());
      this.sock = sock;
      sock.once('error', reject);
      sock.on('data', (chunk) => this.framer.push(chunk, (f) => this.onFrame(decodeMessage(f))));
      sock.on('close', () => this.emit('close'));
      this.send({ type: 'hello', xid: 1, version: 4, elements: [{ type: 'versionbitmap', bitmaps: [this.opts.helloBitmap ?? 0x10] }] });
    });
  }

  send(msg: OfpMessage): void {
    this.sock?.write(encodeMessage(msg));
  }

  /** Stop reading from the socket, as a wedged switch would (the controller's writes back up). */
  stopReading(): void {
    this.sock?.pause();
  }

  sendRaw(bytes: Buffer): void {
    this.sock?.write(bytes);
  }

  close(): void {
    this.sock?.destroy();
  }

  /** Resolves with the first message the controller sends that satisfies `pred`. */
  waitFor(pred: (m: OfpMessage) => boolean, ms = 5000): Promise<OfpMessage> {
    const seen = this.received.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('message', on);
        reject(new Error(`fake switch: no matching message within ${ms} ms`));
      }, ms);
      const on = (m: OfpMessage): void => {
        if (!pred(m)) return;
        clearTimeout(timer);
        this.off('message', on);
        resolve(m);
      };
      this.on('message', on);
    });
  }

  private onFrame(msg: OfpMessage): void {
    this.received.push(msg);
    this.emit('message', msg);
    const custom = this.opts.reply?.(msg);
    if (custom) {
      for (const m of custom) this.send(m);
      return;
    }
    const xid = msg.xid;
    switch (msg.type) {
      case 'features_request':
        this.send({ type: 'features_reply', xid, datapath_id: this.opts.dpid, n_buffers: 0, n_tables: 254, auxiliary_id: 0, capabilities: ['flow_stats', 'table_stats', 'port_stats'], reserved: 0 });
        break;
      case 'multipart_request':
        if (msg.body.type === 'flow') this.send({ type: 'multipart_reply', xid, flags: [], body: { type: 'flow', flows: this.flowTable.stats(msg.body) } });
        else if (msg.body.type === 'port_desc') this.send({ type: 'multipart_reply', xid, flags: [], body: { type: 'port_desc', ports: this.ports } });
        else if (msg.body.type === 'desc') {
          this.send({ type: 'multipart_reply', xid, flags: [], body: { type: 'desc', mfr_desc: 'Switchyard tests', hw_desc: 'fake switch', sw_desc: '1.0', serial_num: 'none', dp_desc: `fake ${this.opts.dpid}` } });
        }
        break;
      case 'flow_mod':
        this.flowTable.apply(msg);
        break;
      case 'barrier_request':
        this.send({ type: 'barrier_reply', xid });
        break;
      case 'echo_request':
        if (this.opts.answerEcho !== false) this.send({ type: 'echo_reply', xid, data: msg.data });
        break;
      case 'role_request':
        this.send({ type: 'role_reply', xid, role: msg.role, generation_id: msg.generation_id });
        break;
      default:
        break;
    }
  }
}
