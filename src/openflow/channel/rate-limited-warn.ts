import type { Timers } from './timers.js';

/**
 * A warning that an attacker can trigger at will: the first one is logged,
 * then at most one line per interval carrying how many were suppressed, so
 * a flood of refused connections cannot fill the disk.
 */
export class RateLimitedWarn {
  private lastAt = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly log: { warn(obj: object, msg: string): void },
    private readonly timers: Pick<Timers, 'now'>,
    private readonly intervalMs: number,
  ) {}

  warn(obj: object, msg: string): void {
    const now = this.timers.now();
    if (now - this.lastAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    this.log.warn(this.suppressed > 0 ? { ...obj, suppressed: this.suppressed, sinceMs: now - this.lastAt } : obj, msg);
    this.lastAt = now;
    this.suppressed = 0;
  }
}
