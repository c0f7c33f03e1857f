// N GenSwitches against one controller, and the three ways of loading it:
// closed loop (a window of PACKET_INs in flight per switch; window 1 is the
// latency mode), open loop (a fixed offered rate, latency measured from when
// each PACKET_IN was due), and connect/hold for the scale mode.
import { performance } from 'node:perf_hooks';
import { GenSwitch, zeroGenCounters, type GenCounters } from './gen-switch.js';
import { LatencyHistogram } from './latency-histogram.js';

export interface FleetOptions {
  readonly switches: number;
  readonly macs: number;
  readonly buffered: boolean;
  /** Handshakes in flight at once (a controller may cap unidentified connections: Switchyard's default is 256). */
  readonly connectConcurrency?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, probe: () => boolean, timeoutMs: number, stepMs = 5): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!probe()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

export class Fleet {
  readonly hist = new LatencyHistogram();
  readonly counters: GenCounters = zeroGenCounters();
  readonly switches: GenSwitch[] = [];
  /** Closed-loop refill on each answer. */
  private refill = false;
  closes = 0;
  /** Switches programmed or closed. */
  private settled = 0;
  firstClose: string | undefined;

  constructor(private readonly o: FleetOptions) {
    for (let i = 0; i < o.switches; i++) {
      this.switches.push(new GenSwitch({
        index: i, macs: o.macs, buffered: o.buffered, hist: this.hist, counters: this.counters,
        onAnswer: (sw) => {
          if (this.refill) sw.sendNext();
        },
        onReady: () => this.settled++,
        onClose: (sw, why) => {
          if (sw.readyAt === 0) this.settled++;
          this.closes++;
          this.firstClose ??= `s${sw.dpid}: ${why}`;
        },
      }));
    }
  }

  /** Connect every switch and wait for each to be programmed (its first FLOW_MOD); returns ms from the first connect to the last ready. */
  async connect(port: number, timeoutMs = 60_000): Promise<number> {
    const t0 = performance.now();
    const limit = this.o.connectConcurrency ?? 200;
    let started = 0;
    for (const sw of this.switches) {
      if (started - this.settled >= limit) await until('a handshake slot', () => started - this.settled < limit, timeoutMs, 1);
      started++;
      void sw.connect(port).catch(() => {});
    }
    await until('every switch programmed', () => this.settled === this.switches.length, timeoutMs);
    if (this.closes > 0) throw new Error(`${this.closes} switch connection(s) closed during the handshake; first: ${this.firstClose}`);
    return Math.max(...this.switches.map((s) => s.readyAt)) - t0;
  }

  /** Each switch announces its destination host; waits for the flood of each (or `timeoutMs`). */
  async teach(timeoutMs = 2000): Promise<number> {
    for (const sw of this.switches) sw.teach();
    await until('the destination hosts flooded', () => this.switches.every((s) => s.taughtAt !== 0), timeoutMs).catch(() => {});
    return this.switches.filter((s) => s.taughtAt !== 0).length;
  }

  /** Closed loop: keep `window` PACKET_INs in flight per switch. Unanswered ones older than lostAfterMs count lost and are replaced. */
  startClosedLoop(window: number, lostAfterMs = 1000): () => void {
    this.refill = true;
    for (const sw of this.switches) for (let i = 0; i < window; i++) sw.sendNext();
    const sweep = setInterval(() => {
      const before = performance.now() - lostAfterMs;
      for (const sw of this.switches) {
        const n = sw.expire(before);
        for (let i = 0; i < n; i++) sw.sendNext();
      }
    }, Math.max(50, lostAfterMs / 4));
    return () => {
      this.refill = false;
      clearInterval(sweep);
    };
  }

  /** Open loop: `rate` PACKET_INs per second over all switches in turn, whatever comes back. */
  startOpenLoop(rate: number): () => void {
    const t0 = performance.now();
    let sent = 0;
    let turn = 0;
    let stopped = false;
    const tick = (): void => {
      if (stopped) return;
      const now = performance.now();
      const due = Math.floor(((now - t0) * rate) / 1000);
      while (sent < due) {
        // Latency counts from when the packet was due, so a late generator or a backlog is not hidden.
        this.switches[turn]!.sendNext(t0 + (sent * 1000) / rate);
        turn = turn + 1 === this.switches.length ? 0 : turn + 1;
        sent++;
      }
      setTimeout(tick, 1);
    };
    tick();
    return () => {
      stopped = true;
    };
  }

  outstanding(): number {
    return this.switches.reduce((n, s) => n + s.outstanding, 0);
  }

  /** Wait up to `ms` for what is in flight, then count the rest lost. */
  async drain(ms: number): Promise<void> {
    await until('answers in flight', () => this.outstanding() === 0, ms).catch(() => {});
    for (const sw of this.switches) sw.expire(Infinity);
  }

  close(): void {
    for (const sw of this.switches) sw.close();
  }
}
