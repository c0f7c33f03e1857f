// How many flow batches may wait for their barrier: at most `maxPerSwitch`
// on one switch and `maxTotal` in all. In a packet-in storm every packet-in
// became a flow_mod + barrier; a switch (or a controller) that falls behind
// let them pile up, each with its timer, until 133,661 "barrier timeout"
// lines came out at once (issue 15, item 2). With caps the oldest waiting
// batch is given up (its promise rejects with PendingEvictedError, counted)
// to make room: the desired state keeps its flows, so a later reconcile or
// the next packet repairs anything the switch did not get.

/** One batch waiting; `abandon` settles it as evicted. */
export interface PendingBatch {
  abandon(err: Error): void;
}

export interface PendingCapOptions {
  /** Batches awaiting a barrier on one switch (default 1024). */
  readonly maxPerSwitch?: number;
  /** Batches awaiting a barrier in all (default 8192). */
  readonly maxTotal?: number;
}

export const DEFAULT_PENDING_CAPS = { maxPerSwitch: 1024, maxTotal: 8192 } as const;

export class PendingEvictedError extends Error {
  override readonly name = 'PendingEvictedError';
}

export class PendingCaps<K> {
  readonly maxPerSwitch: number;
  readonly maxTotal: number;
  /** Per switch, oldest first (Set insertion order). */
  private readonly bySwitch = new Map<K, Set<PendingBatch>>();
  /** Every waiting batch, oldest first, with its switch. */
  private readonly all = new Map<PendingBatch, K>();
  /** Batches given up to make room (for /metrics). */
  evicted = 0;

  constructor(o: PendingCapOptions = {}) {
    this.maxPerSwitch = o.maxPerSwitch ?? DEFAULT_PENDING_CAPS.maxPerSwitch;
    this.maxTotal = o.maxTotal ?? DEFAULT_PENDING_CAPS.maxTotal;
  }

  get size(): number {
    return this.all.size;
  }

  /** `b` now waits on switch `k`; the oldest over either cap are abandoned first. */
  add(k: K, b: PendingBatch): void {
    let s = this.bySwitch.get(k);
    if (s === undefined) this.bySwitch.set(k, (s = new Set()));
    s.add(b);
    this.all.set(b, k);
    while (s.size > this.maxPerSwitch) this.evict(s.values().next().value!, `more than ${this.maxPerSwitch} flow batches wait for a barrier on this switch`);
    while (this.all.size > this.maxTotal) this.evict(this.all.keys().next().value!, `more than ${this.maxTotal} flow batches wait for a barrier in all`);
  }

  /** `b` has its answer (or failed); false when it had been evicted already. */
  done(b: PendingBatch): boolean {
    const k = this.all.get(b);
    if (k === undefined) return false;
    this.all.delete(b);
    const s = this.bySwitch.get(k);
    s?.delete(b);
    if (s?.size === 0) this.bySwitch.delete(k);
    return true;
  }

  private evict(b: PendingBatch, why: string): void {
    this.done(b);
    this.evicted++;
    b.abandon(new PendingEvictedError(`flow batch given up without confirmation: ${why}`));
  }
}
