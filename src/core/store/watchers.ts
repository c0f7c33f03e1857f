import type { StoreChange } from './types.js';

interface Watch {
  readonly full: string;
  readonly strip: number;
  readonly fn: (c: StoreChange) => void;
}

/** Prefix watchers of one store; changes are delivered after commit, keys relative to the watcher's namespace. */
export class Watchers {
  private readonly list = new Set<Watch>();

  /** `full` is namespace prefix + key prefix; keys reach `fn` without the namespace part. */
  add(full: string, namespacePrefix: string, fn: (c: StoreChange) => void): () => void {
    const w: Watch = { full, strip: namespacePrefix.length, fn };
    this.list.add(w);
    return () => this.list.delete(w);
  }

  /** Changes with full keys (namespace included). */
  notify(changes: readonly StoreChange[]): void {
    if (this.list.size === 0) return;
    for (const c of changes) {
      for (const w of this.list) {
        if (!c.key.startsWith(w.full)) continue;
        try {
          w.fn({ key: c.key.slice(w.strip), value: c.value });
        } catch {
          // A watcher's bug must not undo or hide a committed write from the others.
        }
      }
    }
  }
}
