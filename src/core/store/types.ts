/** Values a store holds: plain JSON (no bigint, no Buffer), so every backend can keep them as text. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

export interface StoreEntry {
  readonly key: string;
  readonly value: JsonValue;
}

export type StoreOp = { readonly op: 'put'; readonly key: string; readonly value: JsonValue } | { readonly op: 'delete'; readonly key: string };

/** A change seen by a watcher: `value` undefined means the key was deleted. */
export interface StoreChange {
  readonly key: string;
  readonly value: JsonValue | undefined;
}

/**
 * One app's (or service's) durable key-value space. Every write resolves
 * only once it is committed and on disk (or, for a networked store, agreed
 * by a quorum), so a REST call that awaited it can answer "done".
 * Deliberately small, so that an etcd implementation maps onto it one to
 * one: get / list by prefix / put / delete, an atomic batch with an
 * "only if these keys are absent" guard (etcd's txn compare on create
 * revision), and watch by prefix.
 */
export interface KvStore {
  get(key: string): Promise<JsonValue | undefined>;
  /** Entries whose key starts with `prefix` ('' = all), in key order. */
  list(prefix?: string): Promise<StoreEntry[]>;
  put(key: string, value: JsonValue): Promise<void>;
  /** Whether the key existed. */
  delete(key: string): Promise<boolean>;
  /**
   * All of `ops` or none, in one transaction. When any key in `ifAbsent`
   * exists, nothing is written and the result is false (how two writers
   * reserve the same address and only one wins).
   */
  batch(ops: readonly StoreOp[], ifAbsent?: readonly string[]): Promise<boolean>;
  /** Changes under `prefix` after they are committed, from this process or (networked stores) any other. */
  watch(prefix: string, fn: (c: StoreChange) => void): () => void;
}

/** The backend: one per controller, handing out namespaced views. */
export interface StateStore {
  /** Human-readable description for the start-up log ("lmdb at .switchyard/state"). */
  readonly description: string;
  open(): Promise<void>;
  close(): Promise<void>;
  /** The space of one owner; keys of different namespaces never meet. */
  namespace(name: string): KvStore;
}

/** The store cannot take writes now (a networked store lost its quorum): the API answers 503. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

export class StoreKeyError extends Error {
  override readonly name = 'StoreKeyError';
}

/** Namespace and key rules shared by every backend, so data moves between them unchanged. */
export function checkName(what: 'namespace' | 'key', s: string): void {
  if (typeof s !== 'string' || s.length === 0 || s.length > 512) throw new StoreKeyError(`${what} must be a non-empty string of at most 512 characters`);
  // Backends key an entry as `${namespace}/${key}`: a namespace without "/" keeps spaces apart.
  if (s.includes('\u0000')) throw new StoreKeyError(`${what} ${JSON.stringify(s)} contains a NUL character`);
  if (what === 'namespace' && s.includes('/')) throw new StoreKeyError(`namespace ${JSON.stringify(s)} must not contain "/"`);
}
