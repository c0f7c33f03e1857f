// What a leak looks like from outside: heap after a full GC, the process's
// active handles and timers, and, walking the object graph from a root (the
// controller), every event listener and every entry of a Map, Set or array
// reachable from it. Take one sample after a warm-up and one after the same
// work again: a leak grows between them, a bounded buffer does not.
import { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export interface LeakSample {
  readonly heapUsed: number;
  /** process.getActiveResourcesInfo(), counted by kind (Timeout, TCPSocketWrap, ...). */
  readonly resources: Readonly<Record<string, number>>;
  readonly listeners: number;
  /** Entries of every Map, Set and array reachable from the root. */
  readonly entries: number;
  /** Every reachable collection's size by the path it was first reached by, to name a leak. */
  readonly sizes: ReadonlyMap<string, number>;
}

export async function sampleLeaks(root: object): Promise<LeakSample> {
  // Two passes: finalizers and weak callbacks run between them.
  for (let i = 0; i < 2; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
  const resources: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
  const seen = new WeakSet<object>();
  let listeners = 0;
  let entries = 0;
  const sizes: [string, number][] = [];
  const visit = (v: unknown, path: string, depth: number): void => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || depth > 12) return;
    const o = v as object;
    if (seen.has(o) || Buffer.isBuffer(o) || ArrayBuffer.isView(o)) return;
    seen.add(o);
    if (o instanceof EventEmitter) for (const n of o.eventNames()) listeners += o.listenerCount(n);
    const kids: [string, unknown][] = [];
    if (o instanceof Map) {
      entries += o.size;
      sizes.push([path, o.size]);
      for (const [k, x] of o) kids.push([`${path}[${String(k).slice(0, 20)}]`, x], [`${path}{key}`, k]);
    } else if (o instanceof Set) {
      entries += o.size;
      sizes.push([path, o.size]);
      let i = 0;
      for (const x of o) kids.push([`${path}[${i++}]`, x]);
    } else if (Array.isArray(o)) {
      entries += o.length;
      sizes.push([path, o.length]);
      o.forEach((x, i) => kids.push([`${path}[${i}]`, x]));
    }
    if (typeof o !== 'function') for (const k of Object.getOwnPropertyNames(o)) {
      let x: unknown;
      try {
        const d = Object.getOwnPropertyDescriptor(o, k);
        x = d && 'value' in d ? d.value : undefined;
      } catch {
        continue;
      }
      kids.push([`${path}.${k}`, x]);
    }
    for (const [p, x] of kids) visit(x, p, depth + 1);
  };
  visit(root, 'root', 0);
  return { heapUsed: process.memoryUsage().heapUsed, resources, listeners, entries, sizes: new Map(sizes) };
}

/** Collections that grew from one sample to the next, largest growth first. */
export function grown(a: LeakSample, b: LeakSample): string[] {
  const out: [string, number][] = [];
  for (const [p, n] of b.sizes) {
    const before = a.sizes.get(p) ?? 0;
    if (n > before) out.push([p, n - before]);
  }
  return out.sort((x, y) => y[1] - x[1]).slice(0, 10).map(([p, d]) => `${p} +${d}`);
}
