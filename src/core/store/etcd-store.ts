import { Etcd3, isRecoverableError, type IKeyValue, type IRequestOp, type ITxnRequest, type ITxnResponse, type Watcher } from 'etcd3';
import { ExponentialBackoff, handleWhen, retry, type IBackoff } from 'cockatiel';
import { Mirror } from './mirror.js';
import { checkName, StoreUnavailableError, type JsonValue, type KvStore, type StateStore, type StoreChange, type StoreEntry, type StoreOp } from './types.js';
import { Watchers } from './watchers.js';
import { settleWithin } from './settle-within.js';

export interface EtcdStoreLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface EtcdStoreOptions {
  /** Client URLs (`http://host:2379`, or https with `credentials`). */
  readonly endpoints: readonly string[];
  /** Every key lives under `<prefix>/state/`; several clusters can share one etcd with different prefixes. */
  readonly prefix?: string;
  /** A write not confirmed by etcd within this is refused with StoreUnavailableError (default 2000). */
  readonly timeoutMs?: number;
  /** How long open() waits for etcd before giving up (default 10000). */
  readonly openTimeoutMs?: number;
  /** TLS to etcd (etcd's --client-cert-auth wants the key and chain too). */
  readonly credentials?: { readonly rootCertificate: Buffer; readonly privateKey?: Buffer; readonly certChain?: Buffer };
  readonly log?: EtcdStoreLog;
}

/** etcd refuses a txn with more operations than its --max-txn-ops (128 by default). */
const MAX_TXN_OPS = 128;
const silent: EtcdStoreLog = { info: () => {}, warn: () => {} };

/** The first key after every key that starts with `prefix` (etcd's range_end for a prefix). */
function rangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]!++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** Errors that are the caller's (etcd refused the request itself), not etcd's absence. */
const REQUEST_ERROR = /too many operations in txn|request is too large|duplicate key given in txn|permission denied|invalid auth token/i;

/**
 * The state store on etcd (the `etcd3` client), for a cluster of
 * controllers. Layout: `<prefix>/state/<namespace>/<key>` holds the JSON of
 * one entry; nothing else of ours lives under `<prefix>/state/`.
 *
 * Writes are etcd transactions and resolve once etcd answered, that is
 * once a quorum of members committed them; a batch's `ifAbsent` guard is
 * the txn compare `create_revision == 0` on each key. A write etcd does not
 * confirm within `timeoutMs` rejects with StoreUnavailableError (the call
 * carries that deadline, so the client does not send it again later).
 *
 * Reads are served from a mirror of the whole prefix that one etcd watch
 * keeps current: they answer while etcd is away (what this instance saw
 * last) and cost no round trip. Watchers are called from that mirror, once
 * per change, whether the change is this process's own write (at commit,
 * before the write resolves, as in the embedded store) or another
 * instance's (when the watch delivers it). After a watch gap (etcd
 * restarted, the connection dropped) the watch resumes from the last seen
 * revision and a full read reconciles the mirror, so no change is lost.
 */
export class EtcdStore implements StateStore {
  private client: Etcd3 | undefined;
  private watcher: Watcher | undefined;
  private readonly mirror = new Mirror();
  private readonly watchers = new Watchers();
  private readonly root: string;
  private readonly rootBuf: Buffer;
  private readonly timeoutMs: number;
  private readonly log: EtcdStoreLog;
  /** Highest revision of a change the watch delivered (or the snapshot was taken at). */
  private seenRev = 0n;
  private gap = false;
  private closing = false;

  constructor(private readonly opts: EtcdStoreOptions) {
    if (opts.endpoints.length === 0) throw new Error('EtcdStore needs at least one endpoint');
    this.root = `${(opts.prefix ?? 'switchyard').replace(/\/+$/, '')}/state/`;
    this.rootBuf = Buffer.from(this.root);
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.log = opts.log ?? silent;
  }

  get description(): string {
    return `etcd at ${this.opts.endpoints.join(',')} (keys under ${this.root})`;
  }

  /** Whether the watch stream is connected (false while etcd is away). */
  get watching(): boolean {
    return this.watcher !== undefined && !this.gap;
  }

  async open(): Promise<void> {
    if (this.client !== undefined) return;
    this.closing = false;
    this.client = new Etcd3({
      hosts: [...this.opts.endpoints],
      dialTimeout: this.timeoutMs,
      ...(this.opts.credentials ? { credentials: { ...this.opts.credentials } } : {}),
      faultHandling: {
        // One try per member: a dead member's call fails at once and the next one is asked, within the deadline.
        global: retry(handleWhen(isRecoverableError), { maxAttempts: Math.max(1, this.opts.endpoints.length - 1) }),
        // etcd3 calls .next() on what it gets here, i.e. wants the factory its typings call IBackoff.
        watchBackoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2000 }) as unknown as IBackoff<unknown>,
      },
    });
    try {
      const snap = await this.snapshot(this.opts.openTimeoutMs ?? 10_000);
      this.mirror.resync(snap.entries, snap.rev);
      this.seenRev = snap.rev;
      await this.startWatch();
    } catch (e) {
      await this.close();
      throw e instanceof StoreUnavailableError ? e : this.unavailable(e, 'open');
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const w = this.watcher;
    const c = this.client;
    this.watcher = undefined;
    this.client = undefined;
    await settleWithin(w?.cancel(), 2000);
    c?.close();
  }

  namespace(name: string): KvStore {
    checkName('namespace', name);
    return new EtcdSpace(this, name + '/');
  }

  /** The etcd client this store talks through (shared by the cluster's role election, one connection per instance). */
  etcd(): Etcd3 {
    if (this.client === undefined) throw new Error('the etcd store is not open');
    return this.client;
  }

  /** @internal */
  read(full: string): JsonValue | undefined {
    return this.mirror.get(full);
  }

  /** @internal */
  list(full: string, strip: number): StoreEntry[] {
    return this.mirror.list(full, strip);
  }

  /** @internal */
  watch(full: string, ns: string, fn: (c: StoreChange) => void): () => void {
    return this.watchers.add(full, ns, fn);
  }

  /** @internal One transaction: `ops` (full keys, already checked) if none of `ifAbsent` exists. */
  async commit(ops: readonly StoreOp[], ifAbsent: readonly string[]): Promise<{ ok: boolean; deleted: boolean }> {
    // etcd refuses one key twice in a txn; the last op on a key is what a sequential apply leaves.
    const last = new Map<string, StoreOp>();
    for (const o of ops) {
      last.delete(o.key);
      last.set(o.key, o);
    }
    const list = [...last.values()];
    if (list.length > MAX_TXN_OPS && ifAbsent.length > 0) throw new Error(`a guarded batch has ${list.length} operations; etcd takes at most ${MAX_TXN_OPS} in one transaction`);
    let deleted = false;
    // Unguarded batches larger than etcd's limit go as several transactions, in order.
    for (let i = 0; i === 0 || i < list.length; i += MAX_TXN_OPS) {
      const chunk = list.slice(i, i + MAX_TXN_OPS);
      const req: ITxnRequest = {
        compare: ifAbsent.map((k) => ({ key: this.key(k), target: 'Create', result: 'Equal', create_revision: 0 })),
        success: chunk.map((o): IRequestOp => (o.op === 'put' ? { request_put: { key: this.key(o.key), value: Buffer.from(JSON.stringify(o.value)) } } : { request_delete_range: { key: this.key(o.key) } })),
        failure: [],
      };
      const res = await this.txn(req);
      if (!res.succeeded) return { ok: false, deleted: false };
      const rev = BigInt(res.header.revision);
      const changes: StoreChange[] = [];
      chunk.forEach((o, j) => {
        if (o.op === 'delete' && Number(res.responses[j]?.response_delete_range?.deleted ?? 0) === 0) return;
        if (o.op === 'delete') deleted = true;
        const c = this.mirror.apply(o.key, o.op === 'put' ? JSON.stringify(o.value) : undefined, rev);
        if (c) changes.push(c);
      });
      this.watchers.notify(changes);
    }
    return { ok: true, deleted };
  }

  private key(rel: string): Buffer {
    return Buffer.concat([this.rootBuf, Buffer.from(rel)]);
  }

  private async txn(req: ITxnRequest): Promise<ITxnResponse> {
    const client = this.client;
    if (client === undefined) throw new StoreUnavailableError('the etcd store is closed');
    return this.bounded(client.kv.txn(req, { deadline: Date.now() + this.timeoutMs }), this.timeoutMs, 'write');
  }

  /** Every entry under the root, and the revision it was read at. */
  private async snapshot(timeoutMs: number): Promise<{ entries: { key: string; text: string; rev: bigint }[]; rev: bigint }> {
    const client = this.client;
    if (client === undefined) throw new StoreUnavailableError('the etcd store is closed');
    const res = await this.bounded(client.kv.range({ key: this.rootBuf, range_end: rangeEnd(this.rootBuf) }, { deadline: Date.now() + timeoutMs }), timeoutMs, 'read');
    const entries: { key: string; text: string; rev: bigint }[] = [];
    for (const kv of res.kvs) {
      const e = this.decode(kv);
      if (e) entries.push({ key: e.key, text: e.text, rev: BigInt(kv.mod_revision) });
    }
    return { entries, rev: BigInt(res.header.revision) };
  }

  private decode(kv: IKeyValue): { key: string; text: string } | undefined {
    const key = kv.key.subarray(this.rootBuf.length).toString();
    const text = kv.value.toString();
    try {
      JSON.parse(text);
      return { key, text };
    } catch {
      this.log.warn({ key }, 'skipping an etcd entry that is not JSON (written by something else?)');
      return undefined;
    }
  }

  private async bounded<T>(p: Promise<T>, ms: number, what: 'read' | 'write'): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`no answer within ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([p, timeout]);
    } catch (e) {
      throw this.unavailable(e, what);
    } finally {
      clearTimeout(timer);
      p.catch(() => {}); // the race's loser must not become an unhandled rejection
    }
  }

  private unavailable(e: unknown, what: string): Error {
    const msg = e instanceof Error ? e.message : String(e);
    if (REQUEST_ERROR.test(msg)) return e instanceof Error ? e : new Error(msg);
    // gRPC's own words name load-balancer picks and codes; say what they mean instead.
    const why = e instanceof StoreUnavailableError ? msg
      : /DEADLINE_EXCEEDED|deadline/i.test(msg) ? `no answer within ${this.timeoutMs} ms`
      : /UNAVAILABLE|ECONNREFUSED|No connection established|circuit/i.test(msg) ? 'no etcd member reachable'
      : (msg.split('\n')[0] ?? msg);
    const where = `the cluster store (etcd at ${this.opts.endpoints.join(',')})`;
    if (what !== 'write') return new StoreUnavailableError(`${where} could not be read: ${why}. Is etcd running, with a quorum, at these addresses?`);
    return new StoreUnavailableError(`${where} did not confirm the write: ${why}. etcd is down or has lost its quorum; nothing is known to be written: retry once etcd is back`);
  }

  private async startWatch(): Promise<void> {
    const client = this.client!;
    const w = await client.watch().prefix(this.root).startRevision(String(this.seenRev + 1n)).create();
    this.watcher = w;
    w.on('put', (kv) => this.remote(kv, true));
    w.on('delete', (kv) => this.remote(kv, false));
    // The client emits a response's put/delete events before this. Events come in revision order, so once one at
    // revision R was seen no older one can come: tombstones up to R can go. (Not the header's revision: events up
    // to it may still be on their way to a watcher catching up.)
    w.on('data', (res) => {
      let rev = 0n;
      for (const ev of res.events) if (BigInt(ev.kv.mod_revision) > rev) rev = BigInt(ev.kv.mod_revision);
      if (rev > this.seenRev) this.seenRev = rev;
      if (rev > 0n) this.mirror.prune(rev);
    });
    w.on('disconnected', (err) => {
      if (this.closing || this.gap) return;
      this.gap = true;
      this.log.warn({ err: err.message.split('\n')[0] }, 'lost the etcd watch; reads answer from the last state seen, writes are refused until etcd is back');
    });
    w.on('connected', () => {
      if (!this.gap || this.closing) return;
      this.gap = false;
      void this.reconcile('watch reconnected');
    });
    w.on('error', (err) => {
      // Fatal for this watcher (e.g. its revision was compacted away): a new one from a fresh snapshot.
      if (this.closing) return;
      this.log.warn({ err: err.message.split('\n')[0] }, 'the etcd watch failed; starting a new one');
      this.gap = true;
      void w.cancel().catch(() => {});
      if (this.watcher === w) this.watcher = undefined;
      void this.reconcile('watch failed', true);
    });
  }

  private remote(kv: IKeyValue, put: boolean): void {
    const rev = BigInt(kv.mod_revision);
    const key = kv.key.subarray(this.rootBuf.length).toString();
    const text = put ? this.decode(kv)?.text : undefined;
    if (put && text === undefined) return;
    const c = this.mirror.apply(key, text, rev);
    if (c) this.watchers.notify([c]);
  }

  /** A full read after a gap: changes the watch may have missed are applied (and reported) now. */
  private async reconcile(why: string, restartWatch = false): Promise<void> {
    for (let attempt = 0; !this.closing; attempt++) {
      try {
        const snap = await this.snapshot(this.timeoutMs * 2);
        const changes = this.mirror.resync(snap.entries, snap.rev);
        if (snap.rev > this.seenRev) this.seenRev = snap.rev;
        this.watchers.notify(changes);
        if (restartWatch && this.client !== undefined) await this.startWatch();
        this.gap = false;
        this.log.info({ why, changes: changes.length, revision: String(snap.rev) }, 'etcd is back; state reconciled');
        return;
      } catch {
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      }
    }
  }
}

class EtcdSpace implements KvStore {
  constructor(
    private readonly store: EtcdStore,
    private readonly prefix: string,
  ) {}

  private full(key: string): string {
    checkName('key', key);
    return this.prefix + key;
  }

  async get(key: string): Promise<JsonValue | undefined> {
    return this.store.read(this.full(key));
  }

  async list(p = ''): Promise<StoreEntry[]> {
    return this.store.list(this.prefix + p, this.prefix.length);
  }

  async put(key: string, value: JsonValue): Promise<void> {
    await this.store.commit([{ op: 'put', key: this.full(key), value }], []);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.store.commit([{ op: 'delete', key: this.full(key) }], [])).deleted;
  }

  async batch(ops: readonly StoreOp[], ifAbsent: readonly string[] = []): Promise<boolean> {
    const full = ops.map((o): StoreOp => (o.op === 'put' ? { op: 'put', key: this.full(o.key), value: o.value } : { op: 'delete', key: this.full(o.key) }));
    const guards = ifAbsent.map((k) => this.full(k));
    return (await this.store.commit(full, guards)).ok;
  }

  watch(p: string, fn: (c: StoreChange) => void): () => void {
    return this.store.watch(this.prefix + p, this.prefix, fn);
  }
}
