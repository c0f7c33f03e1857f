import type { Timers } from './timers.js';

/** Where the lines go (pino's warn fits). */
export interface WarnLog {
  warn(obj: object, msg: string): void;
}

/**
 * A warning that an attacker can trigger at will: the first one is logged,
 * then at most one line per interval carrying how many were suppressed, so
 * a flood of refused connections cannot fill the disk. When the flood stops
 * the count still comes out: a timer writes the last summary at the end of
 * the interval.
 */
export class RateLimitedWarn {
  private lastAt = -Infinity;
  private suppressed = 0;
  private lastObj: object = {};
  private timer: unknown;
  /** Lines not written (counted into a later summary line), over the lifetime. */
  totalSuppressed = 0;

  constructor(
    private readonly log: WarnLog,
    private readonly timers: Pick<Timers, 'now' | 'setTimeout'>,
    private readonly intervalMs: number,
    private readonly msg?: string,
  ) {}

  warn(obj: object, msg: string): void {
    const now = this.timers.now();
    if (now - this.lastAt < this.intervalMs) {
      this.suppressed++;
      this.totalSuppressed++;
      this.lastObj = obj;
      this.timer ??= this.timers.setTimeout(() => this.flush(msg), this.lastAt + this.intervalMs - now);
      return;
    }
    this.write(obj, msg, now);
  }

  private flush(msg: string): void {
    this.timer = undefined;
    if (this.suppressed > 0) this.write(this.lastObj, this.msg ?? msg, this.timers.now());
  }

  private write(obj: object, msg: string, now: number): void {
    this.log.warn(this.suppressed > 0 ? { ...obj, suppressed: this.suppressed, sinceMs: now - this.lastAt } : obj, this.suppressed > 0 ? `${msg} (and ${this.suppressed} more like it since the last line)` : msg);
    this.lastAt = now;
    this.suppressed = 0;
  }
}

/**
 * Every warning of a log summarised by its message text: the first of each
 * kind is written at once, the rest become one line per interval with a
 * count (RateLimitedWarn per message). For logs whose warnings can come once
 * per packet (a refused flow, a barrier timeout, a failing processor).
 */
export class WarnSummariser {
  private readonly byMsg = new Map<string, RateLimitedWarn>();
  /** Distinct messages tracked at most; beyond, new kinds share one limiter (a message built from input must not grow the map). */
  private static readonly MAX_KINDS = 256;

  constructor(
    private readonly log: WarnLog,
    private readonly timers: Pick<Timers, 'now' | 'setTimeout'>,
    private readonly intervalMs = 10_000,
  ) {}

  /** Warning lines folded into summaries so far. */
  get suppressed(): number {
    let n = 0;
    for (const w of this.byMsg.values()) n += w.totalSuppressed;
    return n;
  }

  warn = (obj: object, msg: string): void => {
    let w = this.byMsg.get(msg);
    if (w === undefined) {
      const key = this.byMsg.size < WarnSummariser.MAX_KINDS ? msg : '(other warnings)';
      w = this.byMsg.get(key) ?? new RateLimitedWarn(this.log, this.timers, this.intervalMs);
      this.byMsg.set(key, w);
    }
    w.warn(obj, msg);
  };
}
