// Round-trip times in a log-linear histogram (HDR style: 64 buckets per
// power of two, so any value is known to within 1.6 %): constant memory
// however many millions of answers a run counts, and cheap to record.

const SUB = 64;
/** Values are nanoseconds; 2^34 ns is 17 s, far beyond any answer we wait for. */
const MAX_EXP = 34;

export class LatencyHistogram {
  private readonly counts = new Float64Array(2 * SUB + (MAX_EXP - 7) * SUB + SUB);
  count = 0;
  max = 0;

  /** Record one round trip, in nanoseconds. */
  record(ns: number): void {
    const v = Math.max(1, Math.round(ns));
    if (v > this.max) this.max = v;
    this.counts[indexOf(v)]!++;
    this.count++;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.max = 0;
  }

  /** The value below which `q` (0..1) of the samples lie, in nanoseconds (the bucket's lower bound). */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.min(this.count, Math.max(1, Math.ceil(q * this.count)));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(valueOf(i), this.max);
    }
    return this.max;
  }
}

function indexOf(v: number): number {
  if (v < 2 * SUB) return v;
  const e = Math.min(MAX_EXP, Math.floor(Math.log2(v)));
  const shift = e - 6;
  return 2 * SUB + (e - 7) * SUB + (Math.min(2 * SUB - 1, Math.floor(v / 2 ** shift)) - SUB);
}

function valueOf(i: number): number {
  if (i < 2 * SUB) return i;
  const j = i - 2 * SUB;
  const e = Math.floor(j / SUB) + 7;
  return ((j % SUB) + SUB) * 2 ** (e - 6);
}
