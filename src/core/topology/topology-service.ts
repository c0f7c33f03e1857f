// Link discovery and graph queries. Probes go out of every up port when a
// switch arrives, when a port comes up, and then every probe interval;
// a probe arriving as a PACKET_IN somewhere else is a link. Links go away
// when probes stop, and at once when a port or a switch they use goes away.
//
// Links are directional, and events follow them: one link.up and one
// link.down per direction. A cable therefore gives two link.up events, each
// as soon as its own probe is seen, so a one-way fault is visible as one
// missing direction.
//
// A direction learned while its reverse is unknown triggers a probe back
// out of the far port at once: when switches connect one by one, the first
// probe across a cable usually reached a switch that was not connected yet,
// and the reverse direction would otherwise wait a whole probe interval.

import { randomBytes } from 'node:crypto';
import type { PacketIn } from '../../openflow/messages/packet-in.js';
import type { Port } from '../../openflow/structs/port.js';
import { dpidToString } from '../../openflow/common.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { EventBus } from '../events.js';
import { isSwitchPort, portIsUp, type SwitchRecord, type SwitchRegistry } from '../switches.js';
import { dpidId, LinkTable, portKey, type DpidLike, type Link, type PortRef } from './link-table.js';
import { adjacency, shortestPath, spanningTree, type Adjacency, type PathEnds, type PathHop } from './graph.js';
import { LldpProber, type ProbeRejection } from './lldp-probe.js';
import type { PortClaims } from '../ports/port-claims.js';

export { lldpFlowSpecs, type LldpFlowSpec } from './lldp-probe.js';
export { dpidId, type DpidLike } from './link-table.js';
export type { Link, PortRef, PathHop, PathEnds };

export interface TopologyOptions {
  /** How often every up port is probed (default 5000 ms). */
  readonly probeIntervalMs?: number;
  /** A link not confirmed for this long is dropped (default 3 × probeIntervalMs). */
  readonly linkTimeoutMs?: number;
  /** HMAC key for probes; random per process when absent (then only this process's probes count). */
  readonly secret?: Buffer | string;
}

/** What the service needs of the switch registry (the real SwitchRegistry fits). */
export type TopologySwitches = Pick<SwitchRegistry, 'get' | 'all' | 'onSwitchUp' | 'onSwitchDown' | 'onPortChange'>;

export interface TopologyDeps {
  readonly switches: TopologySwitches;
  readonly events: EventBus;
  readonly clock: Clock;
  /** Ports apps took for themselves: never flooded into, never probed. */
  readonly claims?: Pick<PortClaims, 'ownerOf'>;
}

export interface Neighbor {
  /** Our port. */
  readonly port_no: number;
  /** The switch port at the other end. */
  readonly peer: PortRef;
}

export interface TopologySnapshot {
  readonly switches: readonly {
    readonly dpid: string;
    readonly ports: readonly { port_no: number; name: string; hw_addr: string; up: boolean; inter_switch: boolean; on_tree: boolean }[];
  }[];
  readonly links: readonly Link[];
}

export interface TopologyCounters {
  probesSent: number;
  /** send() refused the probe (the switch's queue was full). */
  probesDropped: number;
  /** Probes sent back at once because a link was seen in one direction only. */
  reverseProbes: number;
  /** LLDP frames that arrived, ours or not. */
  lldpReceived: number;
  /** Why LLDP frames did not make links. */
  readonly rejected: Record<ProbeRejection | 'unknown_port', number>;
}

export class TopologyService {
  private readonly table = new LinkTable();
  private readonly prober: LldpProber;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly timer: TimerHandle;
  /** When each port last got a reverse probe (clock ms), so a flapping peer cannot make a probe storm. */
  private readonly lastReverse = new Map<string, number>();
  private readonly reverseGapMs: number;
  /** Derived from the link table and rebuilt only when its version moves (apps query per packet). */
  private derived: { version: number; adj: Adjacency; tree: Map<string, Set<number>> } | undefined;
  readonly counters: TopologyCounters = {
    probesSent: 0,
    probesDropped: 0,
    reverseProbes: 0,
    lldpReceived: 0,
    rejected: { not_ours: 0, malformed: 0, bad_hmac: 0, stale: 0, unknown_port: 0 },
  };

  constructor(
    private readonly deps: TopologyDeps,
    opts: TopologyOptions = {},
  ) {
    this.intervalMs = opts.probeIntervalMs ?? 5000;
    this.timeoutMs = opts.linkTimeoutMs ?? 3 * this.intervalMs;
    this.reverseGapMs = Math.min(1000, this.intervalMs);
    const secret = opts.secret === undefined ? randomBytes(32) : Buffer.from(opts.secret);
    this.prober = new LldpProber(secret);
    deps.switches.onSwitchUp((sw) => this.probeSwitch(sw));
    deps.switches.onSwitchDown((sw) => this.drop(this.table.removeSwitch(sw.id), 'switch down'));
    deps.switches.onPortChange((sw, port, reason, before) => this.portChanged(sw, port, reason, before));
    // Started here, not in a start() a composition root could forget: without
    // the periodic probes every link would expire after linkTimeoutMs.
    this.timer = deps.clock.setInterval(() => this.tick(), this.intervalMs);
  }

  /** Stops the periodic probes and expiry. */
  stop(): void {
    this.deps.clock.clearInterval(this.timer);
  }

  /**
   * Call for every PACKET_IN before anything else looks at it. True when the
   * frame is LLDP: ours (a link, maybe) or not (a host's lldpd, a forgery);
   * either way it is link-local control traffic nobody should learn from or
   * forward.
   */
  handlePacketIn(sw: Pick<SwitchRecord, 'id'>, pi: PacketIn): boolean {
    const now = this.deps.clock.now();
    const v = this.prober.read(pi.data, now, this.timeoutMs);
    if (v.kind === 'not_lldp') return false;
    this.counters.lldpReceived++;
    if (v.kind === 'rejected') {
      this.counters.rejected[v.reason]++;
      return true;
    }
    const inPort = inPortOf(pi);
    const src: PortRef = { dpid: dpidToString(v.dpid), port_no: v.port };
    const dst: PortRef = { dpid: sw.id, port_no: inPort ?? -1 };
    // Both ends must be ports we believe are up right now: a probe that was in
    // flight while a port went down must not bring the link back.
    if (inPort === undefined || !this.portUp(src) || !this.portUp(dst) || (src.dpid === dst.dpid && src.port_no === dst.port_no)) {
      this.counters.rejected.unknown_port++;
      return true;
    }
    const r = this.table.observe(src, dst, now);
    this.drop(r.replaced, 'replaced by a new peer');
    if (r.added) {
      this.deps.events.emit('link.up', { src: { ...src }, dst: { ...dst } });
      if (this.table.times({ src: dst, dst: src }) === undefined) this.probeBack(dst, now);
    }
    return true;
  }

  /** One entry per direction, sorted. */
  links(): Link[] {
    return this.table.all();
  }

  /** True when a link (either direction) ends on this port: not a host port. */
  isInterSwitchPort(dpid: DpidLike, port: number): boolean {
    return this.table.hasPort(dpidId(dpid), port);
  }

  /** Adjacent switches, one entry per (our port, peer port), sorted by our port. */
  neighbors(dpid: DpidLike): Neighbor[] {
    const adj = this.view().adj.get(dpidId(dpid)) ?? [];
    return adj.map((a) => ({ port_no: a.port, peer: { dpid: a.peer, port_no: a.peerPort } }));
  }

  /** Fewest-hop path (see graph.ts for tie-breaking and the hop shape); undefined when unreachable. */
  shortestPath(src: DpidLike, dst: DpidLike, ends?: PathEnds): PathHop[] | undefined {
    return shortestPath(this.view().adj, dpidId(src), dpidId(dst), ends);
  }

  /** Tree ports per switch that is up (empty for a switch with no tree links). Recomputed only after links change. */
  spanningTree(): Map<string, ReadonlySet<number>> {
    const tree = this.treePorts();
    const out = new Map<string, ReadonlySet<number>>();
    for (const sw of this.sortedSwitches()) out.set(sw.id, new Set(tree.get(sw.id) ?? []));
    return out;
  }

  /**
   * Where a loop-safe L2 switch floods a packet that came in on `inPort`:
   * up edge ports plus tree ports, minus inPort. A packet that arrived on an
   * inter-switch port that is off the tree is not flooded at all (as an STP
   * blocked port discards what it receives), else it would re-enter the loop.
   */
  floodPorts(dpid: DpidLike, inPort?: number): number[] {
    const id = dpidId(dpid);
    const sw = this.switchById(id);
    if (!sw) return [];
    const tree = this.treePorts().get(id);
    const onTree = (p: number): boolean => tree?.has(p) ?? false;
    if (inPort !== undefined && this.table.hasPort(id, inPort) && !onTree(inPort)) return [];
    const out: number[] = [];
    const claims = this.deps.claims;
    for (const p of sw.ports.values()) {
      if (!isSwitchPort(p) || !portIsUp(p) || p.config.includes('no_fwd') || p.port_no === inPort) continue;
      if (claims?.ownerOf(id, p.port_no, p.name) !== undefined) continue;
      if (!this.table.hasPort(id, p.port_no) || onTree(p.port_no)) out.push(p.port_no);
    }
    return out.sort((a, b) => a - b);
  }

  /** For REST and the UI: switches with their ports' roles, and the links. */
  snapshot(): TopologySnapshot {
    const tree = this.treePorts();
    return {
      switches: this.sortedSwitches().map((sw) => ({
        dpid: sw.id,
        ports: [...sw.ports.values()]
          .filter(isSwitchPort)
          .sort((a, b) => a.port_no - b.port_no)
          .map((p) => ({
            port_no: p.port_no,
            name: p.name,
            hw_addr: p.hw_addr,
            up: portIsUp(p),
            inter_switch: this.table.hasPort(sw.id, p.port_no),
            on_tree: tree.get(sw.id)?.has(p.port_no) ?? false,
          })),
      })),
      links: this.table.all(),
    };
  }

  /** Probes every up port of every switch now (also runs every probe interval). */
  probeAll(): void {
    for (const sw of this.sortedSwitches()) this.probeSwitch(sw);
  }

  private tick(): void {
    // Entries older than the gap no longer limit anything: dropping them keeps the map small.
    const now = this.deps.clock.now();
    for (const [k, at] of this.lastReverse) if (now - at >= this.reverseGapMs) this.lastReverse.delete(k);
    this.drop(this.table.expire(now, this.timeoutMs), 'no probe for ' + this.timeoutMs + ' ms');
    this.probeAll();
  }

  private probeSwitch(sw: SwitchRecord): void {
    const claims = this.deps.claims;
    for (const p of sw.ports.values()) {
      if (isSwitchPort(p) && portIsUp(p) && claims?.ownerOf(sw.id, p.port_no, p.name) === undefined) this.probePort(sw, p);
    }
  }

  private probePort(sw: SwitchRecord, p: Port & { port_no: number }): void {
    const data = this.prober.build({ dpid: sw.dpid, port: p.port_no, srcMac: p.hw_addr, timestamp: this.deps.clock.now(), ttlSeconds: Math.ceil(this.timeoutMs / 1000) });
    const ok = sw.link.send({
      type: 'packet_out',
      xid: sw.link.xid(),
      buffer_id: 'no_buffer',
      in_port: 'controller',
      actions: [{ type: 'output', port: p.port_no, max_len: 0 }],
      data,
    });
    if (ok) this.counters.probesSent++;
    else this.counters.probesDropped++;
  }

  /**
   * Probe out of `at` now, so the reverse of a link just learned is known in
   * a round trip. At most once per port per reverseGapMs: each answer can
   * only add the missing direction (whose reverse is then known), so this
   * cannot loop, and the gap bounds it even if peers keep changing.
   */
  private probeBack(at: PortRef, now: number): void {
    const key = portKey(at.dpid, at.port_no);
    const last = this.lastReverse.get(key);
    if (last !== undefined && now - last < this.reverseGapMs) return;
    const sw = this.switchById(at.dpid);
    const p = sw?.ports.get(at.port_no);
    if (!sw || !p || !isSwitchPort(p) || !portIsUp(p)) return;
    this.lastReverse.set(key, now);
    this.counters.reverseProbes++;
    this.probePort(sw, p);
  }

  private portChanged(sw: SwitchRecord, port: Port, reason: 'add' | 'delete' | 'modify', before: Port | undefined): void {
    if (!isSwitchPort(port)) return;
    if (reason === 'delete') this.drop(this.table.removePort(sw.id, port.port_no), 'port deleted');
    else if (!portIsUp(port)) this.drop(this.table.removePort(sw.id, port.port_no), 'port down');
    // A port that just came up is probed at once rather than at the next tick.
    else if (!before || !portIsUp(before)) this.probePort(sw, port);
  }

  private drop(links: readonly Link[], reason: string): void {
    for (const l of links) this.deps.events.emit('link.down', { src: l.src, dst: l.dst, reason });
  }

  private portUp(ref: PortRef): boolean {
    const p = this.switchById(ref.dpid)?.ports.get(ref.port_no);
    return p !== undefined && isSwitchPort(p) && portIsUp(p);
  }

  private switchById(id: string): SwitchRecord | undefined {
    return /^[0-9a-f]{16}$/.test(id) ? this.deps.switches.get(BigInt('0x' + id)) : undefined;
  }

  private view(): { adj: Adjacency; tree: Map<string, Set<number>> } {
    if (this.derived?.version !== this.table.version) {
      const adj = adjacency(this.table.all());
      this.derived = { version: this.table.version, adj, tree: spanningTree(adj) };
    }
    return this.derived;
  }

  private treePorts(): Map<string, Set<number>> {
    return this.view().tree;
  }

  private sortedSwitches(): SwitchRecord[] {
    return this.deps.switches.all().sort((a, b) => (a.dpid < b.dpid ? -1 : a.dpid > b.dpid ? 1 : 0));
  }
}

function inPortOf(pi: PacketIn): number | undefined {
  for (const f of pi.match) if ('field' in f && f.field === 'in_port') return typeof f.value === 'number' ? f.value : undefined;
  return undefined;
}

