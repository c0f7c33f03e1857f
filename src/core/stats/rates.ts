import type { PortStats } from '../../openflow/multipart/port-stats.js';

/** Port counters as received, stamped with our clock when the reply arrived. */
export interface PortSample {
  readonly time: number;
  readonly stats: PortStats;
}

/** Rates between two samples; `reset` when the switch's counters went backwards in between. */
export interface PortRates {
  readonly time: number;
  readonly rx_bps: number;
  readonly tx_bps: number;
  readonly rx_pps: number;
  readonly tx_pps: number;
  readonly reset: boolean;
}

/** OF 1.3.5 §7.3.5.6: a counter the switch does not keep reads all ones. */
const UNSUPPORTED = 0xffff_ffff_ffff_ffffn;

/**
 * Growth of a counter between two samples. A counter that went backwards
 * was reset (port re-created, switch restarted, or a 32-bit counter
 * wrapped): what it counts now accumulated since the reset, which lies
 * inside the interval, so the current value is the best bounded estimate.
 * Plain subtraction would give a huge negative rate.
 */
function growth(prev: bigint, cur: bigint, reset: boolean): number {
  if (cur === UNSUPPORTED || prev === UNSUPPORTED) return 0;
  return Number(reset || cur < prev ? cur : cur - prev);
}

/** Rates from the last two samples of one port; undefined when no time passed between them. */
export function portRates(prev: PortSample, cur: PortSample): PortRates | undefined {
  const seconds = (cur.time - prev.time) / 1000;
  if (!(seconds > 0)) return undefined;
  const p = prev.stats;
  const c = cur.stats;
  // The port's own age going backwards means every counter restarted, even ones that happen to be larger now.
  const restarted = c.duration_sec < p.duration_sec || (c.duration_sec === p.duration_sec && c.duration_nsec < p.duration_nsec);
  const reset = restarted || c.rx_bytes < p.rx_bytes || c.tx_bytes < p.tx_bytes || c.rx_packets < p.rx_packets || c.tx_packets < p.tx_packets;
  return {
    time: cur.time,
    rx_bps: (growth(p.rx_bytes, c.rx_bytes, restarted) * 8) / seconds,
    tx_bps: (growth(p.tx_bytes, c.tx_bytes, restarted) * 8) / seconds,
    rx_pps: growth(p.rx_packets, c.rx_packets, restarted) / seconds,
    tx_pps: growth(p.tx_packets, c.tx_packets, restarted) / seconds,
    reset,
  };
}

/** A fixed-capacity history: the newest `capacity` entries, oldest first. */
export class Ring<T> {
  private readonly items: T[] = [];
  private start = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('ring capacity must be at least 1');
  }
  get size(): number {
    return this.items.length;
  }
  push(v: T): void {
    if (this.items.length < this.capacity) this.items.push(v);
    else {
      this.items[this.start] = v;
      this.start = (this.start + 1) % this.capacity;
    }
  }
  toArray(): T[] {
    return this.start === 0 ? this.items.slice() : [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
}
