// A network of fake switches for core tests, without sockets: a fake
// southbound feeds the real SwitchRegistry, each switch's SwitchLink logs
// what the controller sends, and a "wire" turns a PACKET_OUT out of a cabled
// port into a PACKET_IN at the other end. Deliveries wait in a queue until
// flush(), so tests decide when packets arrive and nothing is re-entrant.

import { EventEmitter } from 'node:events';
import type { OfpMessage } from '../../../src/openflow/message.js';
import type { PacketIn } from '../../../src/openflow/messages/packet-in.js';
import type { PacketOut } from '../../../src/openflow/messages/packet-out.js';
import type { Port } from '../../../src/openflow/structs/port.js';
import type { SwitchInfo } from '../../../src/openflow/channel/connection.js';
import { ManualClock } from '../../../src/core/clock.js';
import { EventBus, type AnyCoreEvent } from '../../../src/core/events.js';
import type { Southbound, SwitchLink } from '../../../src/core/southbound.js';
import { SwitchRegistry, type SwitchRecord } from '../../../src/core/switches.js';
import { fakePort } from '../../helpers/fake-switch.js';

export const id = (d: bigint): string => d.toString(16).padStart(16, '0');

export class FakeLink implements SwitchLink {
  readonly sent: OfpMessage[] = [];
  private nextXid = 100;
  constructor(
    readonly info: SwitchInfo,
    private readonly net: FakeNet,
  ) {}
  send(msg: OfpMessage): boolean {
    this.sent.push(msg);
    if (msg.type === 'packet_out') this.net.transmit(this.info.dpid, msg);
    return true;
  }
  xid(): number {
    return this.nextXid++;
  }
  request(): Promise<OfpMessage> {
    return Promise.reject(new Error('fake link: no requests'));
  }
  requestAll(): Promise<OfpMessage[]> {
    return Promise.reject(new Error('fake link: no requests'));
  }
  multipart(): Promise<never> {
    return Promise.reject(new Error('fake link: no requests'));
  }
  barrier(): Promise<void> {
    return Promise.resolve();
  }
  packetOuts(): PacketOut[] {
    return this.sent.filter((m): m is PacketOut => m.type === 'packet_out');
  }
}

export function packetIn(port: number, data: Buffer): PacketIn {
  return { type: 'packet_in', xid: 0, buffer_id: 'no_buffer', total_len: data.length, reason: 'action', table_id: 0, cookie: 0n, match: [{ field: 'in_port', value: port }], data };
}

export class FakeNet {
  readonly clock = new ManualClock();
  readonly events = new EventBus(this.clock);
  readonly southbound = new EventEmitter();
  readonly registry = new SwitchRegistry(this.southbound as unknown as Southbound, this.events, this.clock);
  readonly links = new Map<bigint, FakeLink>();
  readonly log: AnyCoreEvent[] = [];
  private readonly cables = new Map<string, { dpid: bigint; port: number }>();
  private queue: { to: bigint; msg: PacketIn }[] = [];

  constructor() {
    this.events.subscribe((e) => this.log.push(e));
  }

  /** Calls `fn` for every PACKET_IN a switch that is up sends (the controller's packet-in path). */
  onPacketIn(fn: (sw: SwitchRecord, pi: PacketIn) => void): void {
    this.registry.onMessage((sw, msg) => {
      if (msg.type === 'packet_in') fn(sw, msg);
    });
  }

  addSwitch(dpid: bigint, ports = 4): FakeLink {
    const portList: Port[] = Array.from({ length: ports }, (_, i) => fakePort(i + 1, dpid));
    const info: SwitchInfo = {
      dpid,
      id: id(dpid),
      features: { type: 'features_reply', xid: 0, datapath_id: dpid, n_buffers: 0, n_tables: 254, auxiliary_id: 0, capabilities: [], reserved: 0 },
      desc: { mfr_desc: 'test', hw_desc: 'fake', sw_desc: '1', serial_num: '0', dp_desc: `s${dpid}` },
      ports: portList,
    };
    const link = new FakeLink(info, this);
    this.links.set(dpid, link);
    this.southbound.emit('switch-up', link, info);
    return link;
  }

  removeSwitch(dpid: bigint): void {
    this.southbound.emit('switch-down', this.links.get(dpid), 'test: switch left');
  }

  cable(a: bigint, pa: number, b: bigint, pb: number): void {
    this.cables.set(`${a}/${pa}`, { dpid: b, port: pb });
    this.cables.set(`${b}/${pb}`, { dpid: a, port: pa });
  }

  /** Unplug silently: no PORT_STATUS, so only probe expiry can notice. */
  cut(a: bigint, pa: number): void {
    const peer = this.cables.get(`${a}/${pa}`);
    this.cables.delete(`${a}/${pa}`);
    if (peer) this.cables.delete(`${peer.dpid}/${peer.port}`);
  }

  /** A PORT_STATUS from the switch: modify with `config`/`state`, or delete. */
  portStatus(dpid: bigint, port: number, change: { config?: readonly string[]; state?: readonly string[] } | 'delete'): void {
    const before = this.registry.get(dpid)!.ports.get(port) ?? fakePort(port, dpid);
    const desc = change === 'delete' ? before : { ...before, config: change.config ?? before.config, state: change.state ?? before.state };
    this.southbound.emit('message', this.links.get(dpid), { type: 'port_status', xid: 0, reason: change === 'delete' ? 'delete' : 'modify', desc });
  }

  /** A frame from a host on (dpid, port): a PACKET_IN right away. */
  hostSends(dpid: bigint, port: number, frame: Buffer): void {
    this.southbound.emit('message', this.links.get(dpid), packetIn(port, frame));
  }

  /** Called by FakeLink: each output to a cabled port becomes a queued PACKET_IN at the peer. */
  transmit(from: bigint, po: PacketOut): void {
    for (const a of po.actions) {
      if (a.type !== 'output' || typeof a.port !== 'number') continue;
      const peer = this.cables.get(`${from}/${a.port}`);
      if (peer) this.queue.push({ to: peer.dpid, msg: packetIn(peer.port, po.data) });
    }
  }

  /** Delivers queued packets (and any they cause) until the wire is quiet; returns how many. */
  flush(): number {
    let n = 0;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      for (const d of batch) {
        const link = this.links.get(d.to);
        if (link) this.southbound.emit('message', link, d.msg);
        n++;
      }
    }
    return n;
  }

  /** Drops whatever is on the wire (probes "lost"). */
  discard(): number {
    const n = this.queue.length;
    this.queue = [];
    return n;
  }

  eventsOf<T extends AnyCoreEvent['type']>(type: T): Extract<AnyCoreEvent, { type: T }>[] {
    return this.log.filter((e): e is Extract<AnyCoreEvent, { type: T }> => e.type === type);
  }
}
