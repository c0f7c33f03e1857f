import type { OfpMessage } from '../openflow/message.js';
import type { Port } from '../openflow/structs/port.js';
import type { SwitchInfo } from '../openflow/channel/connection.js';
import type { PortStatus } from '../openflow/messages/port-status.js';
import type { EventBus } from './events.js';
import type { Clock } from './clock.js';
import type { Southbound, SwitchLink } from './southbound.js';

export interface SwitchRecord {
  readonly dpid: bigint;
  readonly id: string;
  readonly link: SwitchLink;
  readonly info: SwitchInfo;
  readonly ports: Map<number, Port>;
  readonly connectedAt: number;
}

/** A switch as apps and packet processors see it: no connection handle. */
export type SwitchView = Omit<SwitchRecord, 'link'>;

/** A port is usable when it is not administratively down and has link. */
export function portIsUp(p: Port): boolean {
  return !p.config.includes('port_down') && !p.state.includes('link_down');
}

/** Physical and logical ports, not reserved ones like LOCAL. */
export function isSwitchPort(p: Port): p is Port & { port_no: number } {
  return typeof p.port_no === 'number' && p.port_no < 0xffffff00;
}

/**
 * Hooks in registration order, copy-on-write: a hook removed (or added)
 * while they run does not disturb the loop in progress, which holds the
 * array it started with.
 */
export class Hooks<F> {
  all: readonly F[] = [];
  add(fn: F): () => void {
    this.all = [...this.all, fn];
    return () => {
      this.all = this.all.filter((f) => f !== fn);
    };
  }
}

/**
 * The switches that are up and their ports, kept current from PORT_STATUS.
 * Other services listen to its hooks (in registration order) and to the
 * events it emits.
 */
export class SwitchRegistry {
  private readonly byDpid = new Map<bigint, SwitchRecord>();
  private readonly upHooks = new Hooks<(sw: SwitchRecord) => void>();
  private readonly downHooks = new Hooks<(sw: SwitchRecord, reason: string) => void>();
  private readonly portHooks = new Hooks<(sw: SwitchRecord, port: Port, reason: 'add' | 'delete' | 'modify', before: Port | undefined) => void>();
  private readonly messageHooks = new Hooks<(sw: SwitchRecord, msg: OfpMessage) => void>();
  private writeGate: ((dpid: bigint) => boolean) | undefined;

  constructor(
    southbound: Pick<Southbound, 'on'>,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {
    southbound.on('switch-up', (link, info) => this.up(link, info));
    southbound.on('switch-down', (link, reason) => this.down(link, reason));
    southbound.on('message', (link, msg) => this.message(link, msg));
  }

  get(dpid: bigint): SwitchRecord | undefined {
    return this.byDpid.get(dpid);
  }
  all(): SwitchRecord[] {
    return [...this.byDpid.values()];
  }
  get size(): number {
    return this.byDpid.size;
  }

  /**
   * Whether this instance may change the switch (flows, groups, meters,
   * packet-outs) and handle its packet-ins: always without a cluster; in a
   * cluster only as its confirmed master (src/core/cluster).
   */
  writable(dpid: bigint): boolean {
    return this.writeGate === undefined || this.writeGate(dpid);
  }
  /** The cluster's role manager installs the gate, once. */
  gateWrites(fn: (dpid: bigint) => boolean): void {
    if (this.writeGate !== undefined) throw new Error('the write gate is already set');
    this.writeGate = fn;
  }

  /** Each on* returns the function that removes the hook (apps' hooks go when the app is disabled). */
  onSwitchUp(fn: (sw: SwitchRecord) => void): () => void {
    return this.upHooks.add(fn);
  }
  onSwitchDown(fn: (sw: SwitchRecord, reason: string) => void): () => void {
    return this.downHooks.add(fn);
  }
  onPortChange(fn: (sw: SwitchRecord, port: Port, reason: 'add' | 'delete' | 'modify', before: Port | undefined) => void): () => void {
    return this.portHooks.add(fn);
  }
  /** Asynchronous messages from switches that are up (packet_in, flow_removed, errors...). */
  onMessage(fn: (sw: SwitchRecord, msg: OfpMessage) => void): () => void {
    return this.messageHooks.add(fn);
  }

  private up(link: SwitchLink, info: SwitchInfo): void {
    const old = this.byDpid.get(info.dpid);
    if (old) this.down(old.link, 'replaced by a new connection');
    const ports = new Map<number, Port>();
    for (const p of info.ports) if (typeof p.port_no === 'number') ports.set(p.port_no, p);
    const sw: SwitchRecord = { dpid: info.dpid, id: info.id, link, info, ports, connectedAt: this.clock.now() };
    this.byDpid.set(info.dpid, sw);
    this.events.emit('switch.up', { dpid: info.id, ports: ports.size, hw_desc: info.desc.hw_desc, sw_desc: info.desc.sw_desc });
    for (const h of this.upHooks.all) h(sw);
  }

  private down(link: SwitchLink, reason: string): void {
    const dpid = link.info?.dpid;
    if (dpid === undefined) return;
    const sw = this.byDpid.get(dpid);
    if (!sw || sw.link !== link) return;
    this.byDpid.delete(dpid);
    for (const h of this.downHooks.all) h(sw, reason);
    this.events.emit('switch.down', { dpid: sw.id, reason });
  }

  private message(link: SwitchLink, msg: OfpMessage): void {
    const dpid = link.info?.dpid;
    const sw = dpid === undefined ? undefined : this.byDpid.get(dpid);
    if (!sw || sw.link !== link) return;
    if (msg.type === 'port_status') this.portStatus(sw, msg);
    for (const h of this.messageHooks.all) h(sw, msg);
  }

  private portStatus(sw: SwitchRecord, msg: PortStatus): void {
    const p = msg.desc;
    if (typeof p.port_no !== 'number') return;
    const before = sw.ports.get(p.port_no);
    const reason = msg.reason === 'delete' ? 'delete' : before === undefined ? 'add' : 'modify';
    if (reason === 'delete') sw.ports.delete(p.port_no);
    else sw.ports.set(p.port_no, p);
    const base = { dpid: sw.id, port_no: p.port_no, name: p.name };
    if (reason === 'add') this.events.emit('port.added', { ...base, hw_addr: p.hw_addr, up: portIsUp(p) });
    else if (reason === 'delete') this.events.emit('port.removed', base);
    else this.events.emit('port.modified', { ...base, hw_addr: p.hw_addr, up: portIsUp(p), config: p.config, state: p.state });
    for (const h of this.portHooks.all) h(sw, p, reason, before);
  }
}
