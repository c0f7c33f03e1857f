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
// A link is reported only when both directions agree: a probe from A:p seen
// at B:q and one from B:q seen at A:p. One direction alone is held as a
// candidate for a link timeout and then dropped (counted, logged): a probe
// captured on one port and injected into another (a relay) makes only that
// one direction, since the probe back out of the injecting port goes to the
// attacker's host, not to A:p. Each probe is also good once: the same probe
// (its signed dpid, port and send time) seen at a second port is a copy, and
// probes older than probeMaxAgeMs (default 2 s) are stale.
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
  /** A probe older than this when it arrives is a replay (default min(2000, linkTimeoutMs)); delivery takes milliseconds. */
  readonly probeMaxAgeMs?: number;
}

/** What the service needs of the switch registry (the real SwitchRegistry fits). */
export type TopologySwitches = Pick<SwitchRegistry, 'get' | 'all' | 'onSwitchUp' | 'onSwitchDown' | 'onPortChange'> & Partial<Pick<SwitchRegistry, 'writable'>>;

export interface TopologyDeps {
  readonly switches: TopologySwitches;
  readonly events: EventBus;
  readonly clock: Clock;
  /** Ports apps took for themselves: never flooded into, never probed. */
  readonly claims?: Pick<PortClaims, 'ownerOf'>;
  /** Where ignored probes are reported (rate-limited summaries). */
  readonly log?: { warn(obj: object, msg: string): void };
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
  /** Why LLDP frames did not make links ('relayed': the same probe seen at a second port). */
  readonly rejected: Record<ProbeRejection | 'unknown_port' | 'relayed', number>;
  /** Directions seen whose reverse never came within the link timeout: never reported as links. */
  oneWayExpired: number;
}

/** A direction seen once, waiting for its reverse before it becomes a link. */
interface Candidate {
  readonly link: Link;
  readonly seen: number;
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
  private readonly maxAgeMs: number;
  /** Directions seen without their reverse yet, by "src>dst". */
  private readonly candidates = new Map<string, Candidate>();
  /** Probes already seen, by "dpid/port/sent_ms" → the port they arrived at; kept for maxAgeMs (older ones are stale anyway). */
  private readonly seenProbes = new Map<string, { at: string; when: number }>();
  private readonly ignored: IgnoredProbeLog;
  /** The send time of each port's last probe. */
  private readonly lastSent = new Map<string, number>();
  /** Derived from the link table and rebuilt only when its version moves (apps query per packet). */
  private derived: { version: number; adj: Adjacency; tree: Map<string, Set<number>> } | undefined;
  readonly counters: TopologyCounters = {
    probesSent: 0,
    probesDropped: 0,
    reverseProbes: 0,
    lldpReceived: 0,
    rejected: { not_ours: 0, malformed: 0, bad_hmac: 0, stale: 0, unknown_port: 0, relayed: 0 },
    oneWayExpired: 0,
  };

  constructor(
    private readonly deps: TopologyDeps,
    opts: TopologyOptions = {},
  ) {
    this.intervalMs = opts.probeIntervalMs ?? 5000;
    this.timeoutMs = opts.linkTimeoutMs ?? 3 * this.intervalMs;
    this.reverseGapMs = Math.min(1000, this.intervalMs);
    this.maxAgeMs = opts.probeMaxAgeMs ?? Math.min(2000, this.timeoutMs);
    this.ignored = new IgnoredProbeLog(deps.log, 10_000);
    const secret = opts.secret === undefined ? randomBytes(32) : Buffer.from(opts.secret);
    this.prober = new LldpProber(secret);
    deps.switches.onSwitchUp((sw) => this.probeSwitch(sw));
    deps.switches.onSwitchDown((sw) => {
      for (const k of this.lastSent.keys()) if (k.startsWith(sw.id + '/')) this.lastSent.delete(k);
      this.forgetCandidates((l) => l.src.dpid === sw.id || l.dst.dpid === sw.id);
      this.drop(this.table.removeSwitch(sw.id), 'switch down');
    });
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
    const v = this.prober.read(pi.data, now, this.maxAgeMs);
    if (v.kind === 'not_lldp') return false;
    this.counters.lldpReceived++;
    const inPort = inPortOf(pi);
    const at = `${sw.id}/${inPort ?? '?'}`;
    if (v.kind === 'rejected') {
      this.counters.rejected[v.reason]++;
      // Someone else's LLDP (a host's lldpd) is normal; the rest is forged, replayed or broken.
      if (v.reason !== 'not_ours') this.ignored.note(v.reason, at);
      return true;
    }
    const src: PortRef = { dpid: dpidToString(v.dpid), port_no: v.port };
    const dst: PortRef = { dpid: sw.id, port_no: inPort ?? -1 };
    // Both ends must be ports we believe are up right now: a probe that was in
    // flight while a port went down must not bring the link back.
    if (inPort === undefined || !this.portUp(src) || !this.portUp(dst) || (src.dpid === dst.dpid && src.port_no === dst.port_no)) {
      this.counters.rejected.unknown_port++;
      this.ignored.note('unknown_port', at);
      return true;
    }
    // Out of a point-to-point port a probe reaches one place: a second place is a copy someone injected.
    const probeKey = `${src.dpid}/${src.port_no}/${v.timestamp}`;
    const first = this.seenProbes.get(probeKey);
    if (first !== undefined && first.at !== at) {
      this.counters.rejected.relayed++;
      this.ignored.note('relayed', at);
      return true;
    }
    if (first === undefined) this.seenProbes.set(probeKey, { at, when: now });
    this.observe({ src, dst }, now);
    return true;
  }

  /** A verified direction: refresh it, confirm it with its reverse, or hold it until the reverse is seen. */
  private observe(d: Link, now: number): void {
    const key = candidateKey(d);
    const reverse: Link = { src: d.dst, dst: d.src };
    if (this.table.times(d) !== undefined) {
      this.table.observe(d.src, d.dst, now);
      return;
    }
    const rkey = candidateKey(reverse);
    const pending = this.candidates.get(rkey);
    if (pending === undefined && this.table.times(reverse) === undefined) {
      if (!this.candidates.has(key)) this.candidates.set(key, { link: d, seen: now });
      this.probeBack(d.dst, now);
      return;
    }
    // Both directions agree: the one seen first goes up first.
    this.candidates.delete(key);
    this.candidates.delete(rkey);
    if (pending !== undefined) this.add(pending.link, now);
    this.add(d, now);
  }

  private add(l: Link, now: number): void {
    const r = this.table.observe(l.src, l.dst, now);
    this.drop(r.replaced, 'replaced by a new peer');
    if (r.added) this.deps.events.emit('link.up', { src: { ...l.src }, dst: { ...l.dst } });
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
    for (const [k, p] of this.seenProbes) if (now - p.when > this.maxAgeMs) this.seenProbes.delete(k);
    for (const [k, c] of this.candidates) {
      if (now - c.seen <= this.timeoutMs) continue;
      this.candidates.delete(k);
      this.counters.oneWayExpired++;
      this.ignored.note('one_way', `${c.link.src.dpid}/${c.link.src.port_no}>${c.link.dst.dpid}/${c.link.dst.port_no}`);
    }
    this.ignored.flush(now);
    this.drop(this.table.expire(now, this.timeoutMs), 'no probe for ' + this.timeoutMs + ' ms');
    this.probeAll();
  }

  private probeSwitch(sw: SwitchRecord): void {
    if (this.deps.switches.writable?.(sw.dpid) === false) return; // a slave may not send packet-outs; the master probes
    const claims = this.deps.claims;
    for (const p of sw.ports.values()) {
      if (isSwitchPort(p) && portIsUp(p) && claims?.ownerOf(sw.id, p.port_no, p.name) === undefined) this.probePort(sw, p);
    }
  }

  private probePort(sw: SwitchRecord, p: Port & { port_no: number }): void {
    // Send times are unique per port, so a probe's (dpid, port, time) names one probe and a second sighting is a copy.
    const key = portKey(sw.id, p.port_no);
    const now = Math.floor(this.deps.clock.now());
    const last = this.lastSent.get(key);
    const ts = last !== undefined && last >= now ? last + 1 : now;
    this.lastSent.set(key, ts);
    const data = this.prober.build({ dpid: sw.dpid, port: p.port_no, srcMac: p.hw_addr, timestamp: ts, ttlSeconds: Math.ceil(this.timeoutMs / 1000) });
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
    if (reason === 'delete' || !portIsUp(port)) this.forgetCandidates((l) => (l.src.dpid === sw.id && l.src.port_no === port.port_no) || (l.dst.dpid === sw.id && l.dst.port_no === port.port_no));
    if (reason === 'delete') this.drop(this.table.removePort(sw.id, port.port_no), 'port deleted');
    else if (!portIsUp(port)) this.drop(this.table.removePort(sw.id, port.port_no), 'port down');
    // A port that just came up is probed at once rather than at the next tick.
    else if (!before || !portIsUp(before)) this.probePort(sw, port);
  }

  private forgetCandidates(pred: (l: Link) => boolean): void {
    for (const [k, c] of this.candidates) if (pred(c.link)) this.candidates.delete(k);
  }

  /** Directions seen once and waiting for their reverse (for tests and diagnostics). */
  pendingLinks(): Link[] {
    return [...this.candidates.values()].map((c) => c.link);
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

const candidateKey = (l: Link): string => `${portKey(l.src.dpid, l.src.port_no)}>${portKey(l.dst.dpid, l.dst.port_no)}`;

/**
 * Ignored probes, summarised: the first of each kind is logged at once, then
 * one line per interval with the counts, so a host spraying LLDP cannot
 * flood the log.
 */
class IgnoredProbeLog {
  private counts = new Map<string, { n: number; lastAt: string }>();
  private lastFlush = -Infinity;
  private readonly logged = new Set<string>();

  constructor(
    private readonly log: { warn(obj: object, msg: string): void } | undefined,
    private readonly intervalMs: number,
  ) {}

  note(reason: string, at: string): void {
    if (!this.log) return;
    if (!this.logged.has(reason)) {
      this.logged.add(reason);
      this.log.warn({ reason, at }, 'LLDP probe ignored (first of its kind; later ones are summarised)');
      return;
    }
    const c = this.counts.get(reason);
    if (c) {
      c.n++;
      c.lastAt = at;
    } else this.counts.set(reason, { n: 1, lastAt: at });
  }

  flush(now: number): void {
    if (!this.log || this.counts.size === 0 || now - this.lastFlush < this.intervalMs) return;
    this.lastFlush = now;
    this.log.warn({ ignored: Object.fromEntries([...this.counts].map(([k, v]) => [k, v.n])), last: Object.fromEntries([...this.counts].map(([k, v]) => [k, v.lastAt])) }, 'LLDP probes ignored since the last summary');
    this.counts = new Map();
  }
}

function inPortOf(pi: PacketIn): number | undefined {
  for (const f of pi.match) if ('field' in f && f.field === 'in_port') return typeof f.value === 'number' ? f.value : undefined;
  return undefined;
}

