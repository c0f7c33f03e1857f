// Warnings that can come once per packet (a refused flow, a barrier timeout,
// a failing processor, a flow batch given up) are summarised: the first of
// each message is written, then one line per 10 s with how many more there
// were (WarnSummariser). One LogSummaries per controller hands out the
// summarised logs and counts what was folded, for /metrics.

import { WarnSummariser, type WarnLog } from '../openflow/channel/rate-limited-warn.js';
import type { Clock } from './clock.js';

export class LogSummaries {
  private readonly all: WarnSummariser[] = [];

  constructor(
    private readonly clock: Pick<Clock, 'now' | 'setTimeout'>,
    private readonly intervalMs = 10_000,
  ) {}

  /** Warning lines not written one by one (counted into summary lines). */
  get suppressed(): number {
    let n = 0;
    for (const s of this.all) n += s.suppressed;
    return n;
  }

  /** `log` with its warn summarised; everything else passes through. */
  wrap<L extends WarnLog>(log: L): L {
    const s = new WarnSummariser(log, this.clock, this.intervalMs);
    this.all.push(s);
    // A view of the same logger whose warn goes through the summariser (pino's methods stay bound to it).
    return new Proxy(log, { get: (target, p, recv) => (p === 'warn' ? s.warn : Reflect.get(target, p, recv)) });
  }
}
