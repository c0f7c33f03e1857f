import { mkdir } from 'node:fs/promises';
import { open, type RootDatabase } from 'lmdb';
import { checkName, type JsonValue, type KvStore, type StateStore, type StoreChange, type StoreEntry, type StoreOp } from './types.js';
import { Watchers } from './watchers.js';

/**
 * The embedded default: LMDB (the `lmdb` package) in `<state-dir>/state`.
 *
 * Why LMDB and not the JSON-lines journal the static flows used: LMDB is a
 * copy-on-write B+tree whose commit flips one meta page, so a process killed
 * at any instant leaves either the old or the new transaction, never half a
 * record; there is no torn tail to detect and repair, and no compaction
 * pass. Every write here is its own (or a batch's) transaction, and with
 * `overlappingSync: false` the commit's fsync happens before the write's
 * promise resolves, so "the API answered" implies "on disk". Writes issued
 * in the same event-loop turn share one transaction and one fsync, which
 * keeps bursts of REST adds cheap. better-sqlite3 would give the same
 * guarantees but blocks the event loop for every fsync.
 */
export class LmdbStore implements StateStore {
  private db: RootDatabase<JsonValue, string> | undefined;
  private readonly watchers = new Watchers();

  constructor(readonly path: string) {}

  get description(): string {
    return `lmdb at ${this.path}`;
  }

  async open(): Promise<void> {
    if (this.db !== undefined) return;
    await mkdir(this.path, { recursive: true });
    // JSON encoding: the file holds what the API shows, readable with mdb_dump, and no msgpack record
    // structures shared between entries (one bad entry cannot affect the others).
    this.db = open<JsonValue, string>({ path: this.path, encoding: 'json', compression: false, overlappingSync: false, keyEncoding: 'ordered-binary' });
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    await db?.close();
  }

  namespace(name: string): KvStore {
    checkName('namespace', name);
    return new LmdbSpace(this, name + '/');
  }

  /** @internal */
  handle(): RootDatabase<JsonValue, string> {
    if (this.db === undefined) throw new Error(`state store ${this.path} is not open`);
    return this.db;
  }

  /** @internal */
  committed(changes: readonly StoreChange[]): void {
    this.watchers.notify(changes);
  }

  /** @internal */
  watch(full: string, ns: string, fn: (c: StoreChange) => void): () => void {
    return this.watchers.add(full, ns, fn);
  }
}

class LmdbSpace implements KvStore {
  constructor(
    private readonly store: LmdbStore,
    private readonly prefix: string,
  ) {}

  private full(key: string): string {
    checkName('key', key);
    return this.prefix + key;
  }

  async get(key: string): Promise<JsonValue | undefined> {
    return this.store.handle().get(this.full(key));
  }

  async list(p = ''): Promise<StoreEntry[]> {
    const start = this.prefix + p;
    const out: StoreEntry[] = [];
    for (const { key, value } of this.store.handle().getRange({ start })) {
      if (!key.startsWith(start)) break; // keys are ordered: past the prefix, nothing more matches
      out.push({ key: key.slice(this.prefix.length), value });
    }
    return out;
  }

  async put(key: string, value: JsonValue): Promise<void> {
    await this.batch([{ op: 'put', key, value }]);
  }

  async delete(key: string): Promise<boolean> {
    const k = this.full(key);
    const db = this.store.handle();
    const existed = await db.transaction(() => {
      if (db.get(k) === undefined) return false;
      void db.remove(k);
      return true;
    });
    if (existed) this.store.committed([{ key: k, value: undefined }]);
    return existed;
  }

  async batch(ops: readonly StoreOp[], ifAbsent: readonly string[] = []): Promise<boolean> {
    const keys = ops.map((o) => this.full(o.key));
    const guards = ifAbsent.map((k) => this.full(k));
    const db = this.store.handle();
    const changes: StoreChange[] = [];
    const done = await db.transaction(() => {
      for (const g of guards) if (db.get(g) !== undefined) return false;
      ops.forEach((o, i) => {
        const k = keys[i]!;
        if (o.op === 'put') {
          void db.put(k, o.value);
          changes.push({ key: k, value: o.value });
        } else if (db.get(k) !== undefined) {
          void db.remove(k);
          changes.push({ key: k, value: undefined });
        }
      });
      return true;
    });
    if (done) this.store.committed(changes);
    return done;
  }

  watch(p: string, fn: (c: StoreChange) => void): () => void {
    return this.store.watch(this.prefix + p, this.prefix, fn);
  }
}
