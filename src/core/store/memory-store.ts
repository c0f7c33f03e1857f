import { checkName, type JsonValue, type KvStore, type StateStore, type StoreChange, type StoreEntry, type StoreOp } from './types.js';
import { Watchers } from './watchers.js';

/**
 * A store that forgets everything when the process ends: for unit tests and
 * for `--state-dir ''`-style throwaway runs. Same semantics as the durable
 * ones (values are copied in and out, so callers cannot change stored data).
 */
export class MemoryStore implements StateStore {
  readonly description = 'memory (not kept across restarts)';
  private readonly data = new Map<string, string>();
  private readonly watchers = new Watchers();

  async open(): Promise<void> {}
  async close(): Promise<void> {}

  namespace(name: string): KvStore {
    checkName('namespace', name);
    const prefix = name + '/';
    const full = (key: string): string => {
      checkName('key', key);
      return prefix + key;
    };
    const read = (k: string): JsonValue | undefined => {
      const t = this.data.get(k);
      return t === undefined ? undefined : (JSON.parse(t) as JsonValue);
    };
    const apply = (ops: readonly StoreOp[]): StoreChange[] => {
      const changes: StoreChange[] = [];
      for (const op of ops) {
        const k = full(op.key);
        if (op.op === 'put') {
          this.data.set(k, JSON.stringify(op.value));
          changes.push({ key: k, value: op.value });
        } else if (this.data.delete(k)) changes.push({ key: k, value: undefined });
      }
      return changes;
    };
    return {
      get: async (key) => read(full(key)),
      list: async (p = '') => {
        const start = prefix + p;
        const out: StoreEntry[] = [];
        for (const k of [...this.data.keys()].sort()) if (k.startsWith(start)) out.push({ key: k.slice(prefix.length), value: read(k)! });
        return out;
      },
      put: async (key, value) => {
        this.watchers.notify(apply([{ op: 'put', key, value }]));
      },
      delete: async (key) => {
        const changes = apply([{ op: 'delete', key }]);
        this.watchers.notify(changes);
        return changes.length > 0;
      },
      batch: async (ops, ifAbsent = []) => {
        for (const k of ifAbsent) if (this.data.has(full(k))) return false;
        for (const op of ops) full(op.key); // all keys valid before anything is written
        this.watchers.notify(apply(ops));
        return true;
      },
      watch: (p, fn) => this.watchers.add(prefix + p, prefix, fn),
    };
  }
}
