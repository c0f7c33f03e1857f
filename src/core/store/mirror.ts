import type { JsonValue, StoreChange, StoreEntry } from './types.js';

interface Slot {
  /** JSON text; undefined = deleted at `rev` (a tombstone, so an older event cannot bring the key back). */
  readonly text: string | undefined;
  readonly rev: bigint;
}

/**
 * A local copy of a networked store's keys, each with the revision that last
 * changed it. Two sources feed it in any order: this process's own commits
 * (applied when the write's answer arrives, so a caller reads its own write
 * at once) and the watch stream (other writers, and our own writes again).
 * A change is applied only when its revision is newer than what the key
 * already has, so each change is applied, and reported, exactly once.
 */
export class Mirror {
  private readonly slots = new Map<string, Slot>();
  /** Keys whose slot is a tombstone, so prune() does not walk every key. */
  private readonly tombstones = new Set<string>();

  /** Apply a change at `rev`; the change to report, or undefined when it is not newer (or changes nothing). */
  apply(key: string, text: string | undefined, rev: bigint): StoreChange | undefined {
    const old = this.slots.get(key);
    if (old !== undefined && old.rev >= rev) return undefined;
    this.slots.set(key, { text, rev });
    if (text === undefined) this.tombstones.add(key);
    else this.tombstones.delete(key);
    if (text === undefined && old?.text === undefined) return undefined; // deleting what was not there
    return { key, value: text === undefined ? undefined : (JSON.parse(text) as JsonValue) };
  }

  get(key: string): JsonValue | undefined {
    const t = this.slots.get(key)?.text;
    return t === undefined ? undefined : (JSON.parse(t) as JsonValue);
  }

  has(key: string): boolean {
    return this.slots.get(key)?.text !== undefined;
  }

  /** Live entries whose key starts with `prefix`, in key order; keys with `strip` characters cut off the front. */
  list(prefix: string, strip: number): StoreEntry[] {
    const out: StoreEntry[] = [];
    for (const [k, s] of this.slots) if (s.text !== undefined && k.startsWith(prefix)) out.push({ key: k.slice(strip), value: JSON.parse(s.text) as JsonValue });
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * Bring the copy to a full snapshot taken at revision `at` (after a watch
   * gap): newer entries are applied, and a live key the snapshot lacks, not
   * changed after `at`, was deleted meanwhile.
   */
  resync(snapshot: readonly { key: string; text: string; rev: bigint }[], at: bigint): StoreChange[] {
    const changes: StoreChange[] = [];
    const seen = new Set<string>();
    for (const e of snapshot) {
      seen.add(e.key);
      const c = this.apply(e.key, e.text, e.rev);
      if (c) changes.push(c);
    }
    for (const [k, s] of [...this.slots]) {
      if (seen.has(k) || s.text === undefined || s.rev > at) continue;
      const c = this.apply(k, undefined, at);
      if (c) changes.push(c);
    }
    return changes;
  }

  /** Forget tombstones at or below `rev`: the watch has passed them, no older change can arrive any more. */
  prune(rev: bigint): void {
    for (const k of this.tombstones) {
      const s = this.slots.get(k);
      if (s !== undefined && s.text === undefined && s.rev <= rev) {
        this.slots.delete(k);
        this.tombstones.delete(k);
      }
    }
  }

  get size(): number {
    return this.slots.size;
  }
}
