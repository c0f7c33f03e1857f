import net from 'node:net';
import { EventEmitter } from 'node:events';
import { Framer } from '../../src/openflow/framer.js';
import { decodeMessage, encodeMessage } from '../../src/openflow/codec.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import type { Port } from '../../src/openflow/structs/port.js';

export interface FakeSwitchOptions {
  readonly dpid: bigint;
  readonly ports?: number;
  /** HELLO version bitmap to offer (default: 1.3 only). */
  readonly helloBitmap?: number;
  /** Answer echo requests (default true); false simulates a hung switch. */
  readonly answerEcho?: boolean;
  /** Override the reply to a request; return undefined for the default. */
  readonly reply?: (msg: OfpMessage) => OfpMessage[] | undefined;
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

  constructor(readonly opts: FakeSwitchOptions) {
    super();
    this.ports = Array.from({ length: opts.ports ?? 2 }, (_, i) => fakePort(i + 1, opts.dpid));
  }

  connect(port: number, host = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, host, () => resolve());
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
        if (msg.body.type === 'port_desc') this.send({ type: 'multipart_reply', xid, flags: [], body: { type: 'port_desc', ports: this.ports } });
        else if (msg.body.type === 'desc') {
          this.send({ type: 'multipart_reply', xid, flags: [], body: { type: 'desc', mfr_desc: 'Switchyard tests', hw_desc: 'fake switch', sw_desc: '1.0', serial_num: 'none', dp_desc: `fake ${this.opts.dpid}` } });
        }
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
