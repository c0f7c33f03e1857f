import type { Clock } from './clock.js';

/**
 * Every event on the bus, by type. Data is plain JSON (no bigint, no
 * Buffer). Apps add their own types by module augmentation
 * (`declare module '.../core/events.js' { interface CoreEventMap { ... } }`)
 * and list them in their AppDefinition's `events`.
 */
export interface CoreEventMap extends CoreOwnedEvents {}

/** The events core itself emits. */
export interface CoreOwnedEvents {
  'switch.up': { dpid: string; ports: number; hw_desc: string; sw_desc: string };
  'switch.down': { dpid: string; reason: string };
  'port.added': { dpid: string; port_no: number; name: string; hw_addr: string; up: boolean };
  'port.modified': { dpid: string; port_no: number; name: string; hw_addr: string; up: boolean; config: readonly string[]; state: readonly string[] };
  'port.removed': { dpid: string; port_no: number; name: string };
  'link.up': { src: { dpid: string; port_no: number }; dst: { dpid: string; port_no: number } };
  'link.down': { src: { dpid: string; port_no: number }; dst: { dpid: string; port_no: number }; reason: string };
  'host.added': HostEventData;
  'host.moved': HostEventData & { from: { dpid: string; port_no: number } };
  /** A known host detached (its switch left), attached again, or gained an address; `change` says which. */
  'host.updated': HostEventData & { change: 'detached' | 'attached' | 'address'; attached: boolean; detached_at: number | null };
  'host.removed': HostEventData;
  'flow.removed': { dpid: string; cookie: string; owner: string | null; priority: number; table_id: number; reason: string; packet_count: string; byte_count: string; match: unknown };
  'flow.error': { dpid: string; owner: string | null; err_type: string | number; code: string | number; hint: string };
  'port.claimed': { dpid: string; owner: string; port_no?: number; name?: string };
  'port.released': { dpid: string; owner: string; port_no?: number; name?: string };
  'app.enabled': { name: string };
  /** The OpenFlow listener is bound (after apps have started): where switches connect. */
  'openflow.listening': { host: string; port: number };
  'app.disabled': { name: string };
  /** This instance's role for a switch changed (src/core/cluster): pending = connected, role not settled, not writing. */
  'cluster.role': { dpid: string; role: 'master' | 'slave' | 'pending'; previous: 'master' | 'slave' | 'pending'; generation: string | null; master: string | null };
  /** An instance joined or left the cluster (its lease appeared or expired). */
  'cluster.member': { node_id: string; change: 'joined' | 'left' };
  /** etcd stopped or started answering this instance. */
  'cluster.etcd': { reachable: boolean };
  'stats.ports': { dpid: string; ports: readonly { port_no: number; rx_bps: number; tx_bps: number; rx_pps: number; tx_pps: number }[] };
}
export interface HostEventData {
  mac: string;
  vlan: number | null;
  ipv4: readonly string[];
  ipv6: readonly string[];
  dpid: string;
  port_no: number;
}

export type CoreEventType = keyof CoreEventMap;
export type CoreOwnedEventType = keyof CoreOwnedEvents;

/** The types core itself emits (apps' types come from their definitions); a missing one does not compile. */
const CORE_TYPES = {
  'switch.up': true, 'switch.down': true, 'port.added': true, 'port.modified': true, 'port.removed': true,
  'port.claimed': true, 'port.released': true, 'link.up': true, 'link.down': true,
  'host.added': true, 'host.moved': true, 'host.updated': true, 'host.removed': true, 'flow.removed': true, 'flow.error': true,
  'app.enabled': true, 'app.disabled': true, 'openflow.listening': true, 'stats.ports': true,
  'cluster.role': true, 'cluster.member': true, 'cluster.etcd': true,
} as const satisfies Record<CoreOwnedEventType, true>;
export const CORE_EVENT_TYPES: readonly CoreOwnedEventType[] = Object.keys(CORE_TYPES) as CoreOwnedEventType[];
export interface CoreEvent<K extends CoreEventType = CoreEventType> {
  readonly seq: number;
  readonly time: number;
  readonly type: K;
  readonly data: CoreEventMap[K];
}
export type AnyCoreEvent = { [K in CoreEventType]: CoreEvent<K> }[CoreEventType];

export type Listener = (e: AnyCoreEvent) => void;

/**
 * Typed events with a monotonically increasing sequence number and a
 * bounded replay buffer (for clients resuming from a sequence number).
 * Listeners are called synchronously; one that throws is logged and kept.
 * Slow remote consumers keep their own bounded queues (see northbound).
 */
export class EventBus {
  private seqNo = 0;
  private readonly ring: AnyCoreEvent[] = [];
  private ringStart = 0;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly clock: Clock,
    private readonly replayCapacity = 10_000,
    private readonly onListenerError: (e: unknown) => void = () => {},
  ) {}

  get seq(): number {
    return this.seqNo;
  }

  emit<K extends CoreEventType>(type: K, data: CoreEventMap[K]): CoreEvent<K> {
    const e = { seq: ++this.seqNo, time: this.clock.now(), type, data } as CoreEvent<K>;
    if (this.ring.length < this.replayCapacity) this.ring.push(e as AnyCoreEvent);
    else {
      this.ring[this.ringStart] = e as AnyCoreEvent;
      this.ringStart = (this.ringStart + 1) % this.replayCapacity;
    }
    for (const l of this.listeners) {
      try {
        l(e as AnyCoreEvent);
      } catch (err) {
        this.onListenerError(err);
      }
    }
    return e;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Listen to one event type only. */
  on<K extends CoreEventType>(type: K, fn: (e: CoreEvent<K>) => void): () => void {
    return this.subscribe((e) => {
      if (e.type === type) fn(e as CoreEvent<K>);
    });
  }

  /** Sequence number of the oldest event the replay buffer still holds (seq + 1 when it holds none). */
  get oldest(): number {
    return this.ring[this.ringStart]?.seq ?? this.seqNo + 1;
  }

  /** Events after `seq`, or undefined when some were already dropped from the replay buffer. */
  since(seq: number): AnyCoreEvent[] | undefined {
    const all = this.ringStart === 0 ? this.ring : [...this.ring.slice(this.ringStart), ...this.ring.slice(0, this.ringStart)];
    const oldest = all[0]?.seq ?? this.seqNo + 1;
    if (seq < oldest - 1) return undefined;
    return all.filter((e) => e.seq > seq);
  }
}
