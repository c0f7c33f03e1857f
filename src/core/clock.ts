/** Time, injected: services never read Date.now() or set timers directly, so tests drive time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(h: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(h: TimerHandle | undefined): void;
}
export type TimerHandle = { readonly id: unknown };

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const id = setTimeout(fn, ms);
    id.unref();
    return { id };
  },
  clearTimeout: (h) => {
    if (h) clearTimeout(h.id as NodeJS.Timeout);
  },
  setInterval: (fn, ms) => {
    const id = setInterval(fn, ms);
    id.unref();
    return { id };
  },
  clearInterval: (h) => {
    if (h) clearInterval(h.id as NodeJS.Timeout);
  },
};

/** A clock that moves only when told; timers fire in time order during advance(). */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void; every?: number }>();

  constructor(start = 1_000_000) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return { id };
  }
  clearTimeout(h: TimerHandle | undefined): void {
    if (h) this.timers.delete(h.id as number);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn, every: Math.max(1, ms) });
    return { id };
  }
  clearInterval(h: TimerHandle | undefined): void {
    this.clearTimeout(h);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let nextId = -1;
      let next: { at: number; fn: () => void; every?: number } | undefined;
      for (const [id, tm] of this.timers) if (tm.at <= end && (!next || tm.at < next.at)) [nextId, next] = [id, tm];
      if (!next) break;
      this.t = next.at;
      if (next.every !== undefined) next.at += next.every;
      else this.timers.delete(nextId);
      next.fn();
    }
    this.t = end;
  }
}
