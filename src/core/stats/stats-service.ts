import type { FlowStats } from '../../openflow/multipart/flow-stats.js';
import type { PortStats } from '../../openflow/multipart/port-stats.js';
import type { TableStats } from '../../openflow/multipart/table-stats.js';
import type { MultipartReplyBody, MultipartRequestBody } from '../../openflow/messages/multipart.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { EventBus } from '../events.js';
import type { SwitchRecord, SwitchRegistry } from '../switches.js';
import { parseCookie } from '../flows/cookie.js';
import { portRates, Ring, type PortRates, type PortSample } from './rates.js';

/** How flows are named in the summary; FlowService satisfies it. */
export interface StatsNaming {
  readonly owners: { name(id: number): string | undefined };
  readonly tables: { nameOf(id: number): string | undefined };
  readonly generation: number;
}

export interface StatsServiceOptions {
  readonly switches: SwitchRegistry;
  readonly events: EventBus;
  readonly clock: Clock;
  /** Poll period; default 10 s. */
  readonly intervalMs?: number;
  /** Longest wait for one poll's replies; default the smaller of the interval and 5 s. */
  readonly timeoutMs?: number;
  /** Rate samples kept per port; default 60. */
  readonly historySize?: number;
  readonly naming?: StatsNaming;
  readonly log?: { warn(obj: object, msg: string): void };
}

export interface PortView {
  readonly port_no: number;
  /** When the counters arrived (our clock). */
  readonly time: number;
  readonly counters: PortStats;
  /** From the last two samples; undefined after the first. */
  readonly rates: PortRates | undefined;
}

export interface FlowSummary {
  readonly time: number;
  readonly total: number;
  /** By table name (or "#id" for undeclared tables). */
  readonly byTable: Readonly<Record<string, number>>;
  /** By owner name ("owner:0x…" for an unregistered owner id); flows without our magic are in `foreign`. */
  readonly byOwner: Readonly<Record<string, number>>;
  readonly foreign: number;
  /** Ours, but installed by another controller generation. */
  readonly staleGeneration: number;
}

export interface PollStatus {
  readonly polls: number;
  /** Ticks that found the previous poll still unanswered. */
  readonly skipped: number;
  readonly failures: number;
  readonly lastPoll: number | undefined;
}

export class PollTimeoutError extends Error {
  override readonly name = 'PollTimeoutError';
}

interface PortEntry {
  latest: PortSample;
  rates: PortRates | undefined;
  readonly history: Ring<PortRates>;
}

class SwitchStats {
  inflight: Promise<void> | undefined;
  readonly ports = new Map<number, PortEntry>();
  tables: readonly TableStats[] = [];
  flows: FlowSummary | undefined;
  polls = 0;
  skipped = 0;
  failures = 0;
  lastPoll: number | undefined;
}

/**
 * Polls every switch for port, flow and table statistics and keeps per
 * port the latest counters, rates and a bounded history. One poll per
 * switch at a time: a switch that has not answered is skipped, never
 * queued, and a poll gives up after `timeoutMs` on our clock.
 */
export class StatsService {
  private readonly switches: SwitchRegistry;
  private readonly events: EventBus;
  private readonly clock: Clock;
  readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly historySize: number;
  private readonly naming: StatsNaming | undefined;
  private readonly log: { warn(obj: object, msg: string): void };
  private readonly states = new Map<bigint, SwitchStats>();
  private timer: TimerHandle | undefined;

  constructor(opts: StatsServiceOptions) {
    this.switches = opts.switches;
    this.events = opts.events;
    this.clock = opts.clock;
    this.intervalMs = opts.intervalMs ?? 10_000;
    this.timeoutMs = opts.timeoutMs ?? Math.min(this.intervalMs, 5_000);
    this.historySize = opts.historySize ?? 60;
    this.naming = opts.naming;
    this.log = opts.log ?? { warn: () => {} };
    this.switches.onSwitchDown((sw) => this.states.delete(sw.dpid));
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = this.clock.setInterval(() => this.tick(), this.intervalMs);
  }

  stop(): void {
    this.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Poll now (one switch or all); an unanswered poll in flight is joined, not duplicated. */
  pollNow(dpid?: bigint): Promise<void> {
    const targets = dpid === undefined ? this.switches.all() : [this.switches.get(dpid)].filter((s): s is SwitchRecord => s !== undefined);
    return Promise.all(targets.map((sw) => this.poll(sw))).then(() => undefined);
  }

  ports(dpid: bigint): PortView[] {
    const st = this.states.get(dpid);
    if (st === undefined) return [];
    return [...st.ports].map(([port_no, e]) => view(port_no, e)).sort((a, b) => a.port_no - b.port_no);
  }

  port(dpid: bigint, portNo: number): PortView | undefined {
    const e = this.states.get(dpid)?.ports.get(portNo);
    return e === undefined ? undefined : view(portNo, e);
  }

  /** Rate samples of one port, oldest first. */
  history(dpid: bigint, portNo: number): PortRates[] {
    return this.states.get(dpid)?.ports.get(portNo)?.history.toArray() ?? [];
  }

  tables(dpid: bigint): readonly TableStats[] {
    return this.states.get(dpid)?.tables ?? [];
  }

  flowSummary(dpid: bigint): FlowSummary | undefined {
    return this.states.get(dpid)?.flows;
  }

  status(dpid: bigint): PollStatus | undefined {
    const st = this.states.get(dpid);
    return st && { polls: st.polls, skipped: st.skipped, failures: st.failures, lastPoll: st.lastPoll };
  }

  private tick(): void {
    for (const sw of this.switches.all()) {
      const st = this.state(sw);
      // Polls must not pile up on a switch that is slow to answer: skip it this round.
      if (st.inflight !== undefined) {
        st.skipped++;
        continue;
      }
      this.begin(sw, st).catch((e: unknown) => this.log.warn({ switch: sw.id, err: String(e) }, 'statistics poll failed'));
    }
  }

  /** The poll in flight for a switch, or a new one. */
  private poll(sw: SwitchRecord): Promise<void> {
    const st = this.state(sw);
    return st.inflight ?? this.begin(sw, st);
  }

  private begin(sw: SwitchRecord, st: SwitchStats): Promise<void> {
    st.polls++;
    const p = this.collect(sw, st).finally(() => {
      st.inflight = undefined;
    });
    st.inflight = p;
    return p;
  }

  private state(sw: SwitchRecord): SwitchStats {
    let st = this.states.get(sw.dpid);
    if (st === undefined) this.states.set(sw.dpid, (st = new SwitchStats()));
    return st;
  }

  private async collect(sw: SwitchRecord, st: SwitchStats): Promise<void> {
    const [ports, flows, tables] = await Promise.allSettled([
      this.request(sw, { type: 'port_stats', port_no: 'any' }),
      this.request(sw, { type: 'flow', table_id: 'all', out_port: 'any', out_group: 'any', cookie: 0n, cookie_mask: 0n, match: [] }),
      this.request(sw, { type: 'table' }),
    ]);
    // A switch that went down (or reconnected) meanwhile has a new state or none: drop the replies.
    if (this.states.get(sw.dpid) !== st || this.switches.get(sw.dpid)?.link !== sw.link) return;
    const now = this.clock.now();
    st.lastPoll = now;
    if (ports.status === 'fulfilled') this.storePorts(sw, st, ports.value, now);
    if (flows.status === 'fulfilled') st.flows = this.summarise(flows.value, now);
    if (tables.status === 'fulfilled') st.tables = tables.value.flatMap((b) => (b.type === 'table' ? b.tables : []));
    const failed = [ports, flows, tables].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      st.failures++;
      throw failed.reason;
    }
  }

  /** A multipart request bounded by our own clock, whatever the link's own timeout is. */
  private request(sw: SwitchRecord, body: MultipartRequestBody): Promise<MultipartReplyBody[]> {
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => reject(new PollTimeoutError(`no ${body.type} statistics from ${sw.id} within ${this.timeoutMs} ms`)), this.timeoutMs);
      sw.link.multipart(body, this.timeoutMs).then(
        (v) => {
          this.clock.clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          this.clock.clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  private storePorts(sw: SwitchRecord, st: SwitchStats, bodies: MultipartReplyBody[], time: number): void {
    const out: { port_no: number; rx_bps: number; tx_bps: number; rx_pps: number; tx_pps: number }[] = [];
    for (const b of bodies) {
      if (b.type !== 'port_stats') continue;
      for (const stats of b.stats) {
        if (typeof stats.port_no !== 'number') continue; // LOCAL and other reserved ports
        const sample: PortSample = { time, stats };
        const e = st.ports.get(stats.port_no);
        if (e === undefined) {
          st.ports.set(stats.port_no, { latest: sample, rates: undefined, history: new Ring(this.historySize) });
          continue;
        }
        const r = portRates(e.latest, sample);
        e.latest = sample;
        if (r === undefined) continue;
        e.rates = r;
        e.history.push(r);
        out.push({ port_no: stats.port_no, rx_bps: r.rx_bps, tx_bps: r.tx_bps, rx_pps: r.rx_pps, tx_pps: r.tx_pps });
      }
    }
    if (out.length > 0) this.events.emit('stats.ports', { dpid: sw.id, ports: out });
  }

  private summarise(bodies: MultipartReplyBody[], time: number): FlowSummary {
    // No prototype: table and owner names are user text and must not collide with Object's keys.
    const byTable: Record<string, number> = Object.create(null) as Record<string, number>;
    const byOwner: Record<string, number> = Object.create(null) as Record<string, number>;
    let total = 0;
    let foreign = 0;
    let staleGeneration = 0;
    const naming = this.naming;
    for (const b of bodies) {
      if (b.type !== 'flow') continue;
      for (const f of b.flows as readonly FlowStats[]) {
        total++;
        const table = naming?.tables.nameOf(f.table_id) ?? '#' + f.table_id;
        byTable[table] = (byTable[table] ?? 0) + 1;
        const c = parseCookie(f.cookie);
        if (c === undefined) {
          foreign++;
          continue;
        }
        const owner = naming?.owners.name(c.owner) ?? 'owner:0x' + c.owner.toString(16).padStart(4, '0');
        byOwner[owner] = (byOwner[owner] ?? 0) + 1;
        if (naming !== undefined && c.generation !== naming.generation) staleGeneration++;
      }
    }
    return { time, total, byTable, byOwner, foreign, staleGeneration };
  }
}

function view(port_no: number, e: PortEntry): PortView {
  return { port_no, time: e.latest.time, counters: e.latest.stats, rates: e.rates };
}
