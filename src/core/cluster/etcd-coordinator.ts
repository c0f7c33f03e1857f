// Mastership through etcd: one lease per instance, keys under
// `<prefix>cluster/`:
//   members/<node>            this instance's record (JSON ClusterMember)
//   candidates/<dpid>/<node>  the switch is connected to <node>
//   masters/<dpid>            the elected master (JSON {node, incarnation});
//                             its create revision is the generation id
// Every key carries the instance's lease, so a dead instance's keys vanish
// together when the lease expires (TTL seconds after its last keepalive),
// and the others see it as one watch event.
import { randomBytes } from 'node:crypto';
import { ExponentialBackoff, noop } from 'cockatiel';
import { Etcd3, type IKeyValue, type IOptions, type Lease, type Watcher } from 'etcd3';
import type { ClusterMember, Coordinator, MasterRecord } from './coordinator.js';
import { placeMasters } from './placement.js';
import { settleWithin } from '../store/settle-within.js';

/** How long stopping waits for each etcd call (watch cancel, lease revoke). */
const STOP_STEP_MS = 2000;

export interface CoordinatorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface EtcdCoordinatorOptions {
  /** Client URLs (`http://host:port`). */
  readonly endpoints: readonly string[];
  readonly nodeId: string;
  /** Key prefix shared by the cluster (default `switchyard/`). */
  readonly prefix?: string;
  /** Lease TTL in seconds: how long a dead instance holds its switches (default 2). */
  readonly ttlSec?: number;
  /** A switch without master that placement gives to another instance is claimed here after this (default 1500 ms). */
  readonly takeoverDelayMs?: number;
  /** A master hands a switch to the instance placement prefers once that one has seen it this long (default 2000 ms). */
  readonly handoverAfterMs?: number;
  readonly log: CoordinatorLog;
  /** TLS to etcd (etcds://). */
  readonly credentials?: IOptions['credentials'];
}

interface Held extends MasterRecord {
  readonly value: string;
}

const POLL_MS = 250;
const LEAVE_GRACE_MS = 1000;
/** etcd3 declares an IBackoff but calls `.next()` on it, as on cockatiel 3's backoff factories (its own default). */
type WatchBackoff = NonNullable<NonNullable<IOptions['faultHandling']>['watchBackoff']>;

export class EtcdCoordinator implements Coordinator {
  readonly nodeId: string;
  reachable = false;
  private readonly client: Etcd3;
  private readonly root: string;
  private readonly ttl: number;
  private readonly takeoverMs: number;
  private readonly handoverMs: number;
  private readonly log: CoordinatorLog;
  /** Tells this process's master keys from an earlier run's with the same node id (still leased after a kill -9). */
  private readonly incarnation = randomBytes(6).toString('hex');
  private readonly mine: string;
  private lease: Lease | undefined;
  private leaseId: string | undefined;
  private watcher: Watcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private memberInfo: ClusterMember;
  private readonly memberRecs = new Map<string, ClusterMember>();
  /** dpid → node → when this instance first saw that candidate (for the hand-over delay). */
  private readonly cands = new Map<string, Map<string, number>>();
  private readonly masters = new Map<string, Held>();
  private readonly joined = new Set<string>();
  private readonly orphanSince = new Map<string, number>();
  private readonly leftAt = new Map<string, number>();
  private readonly busy = new Set<string>();
  private readonly listeners = new Set<(dpid: string | undefined) => void>();
  private decideQueued = false;

  constructor(o: EtcdCoordinatorOptions) {
    this.nodeId = o.nodeId;
    this.root = `${o.prefix ?? 'switchyard/'}cluster/`;
    this.ttl = o.ttlSec ?? 2;
    this.takeoverMs = o.takeoverDelayMs ?? 1500;
    this.handoverMs = o.handoverAfterMs ?? 2000;
    this.log = o.log;
    this.mine = JSON.stringify({ node: o.nodeId, incarnation: this.incarnation });
    this.memberInfo = { node_id: o.nodeId, since: Date.now() };
    this.client = new Etcd3({
      hosts: [...o.endpoints],
      dialTimeout: 2000,
      ...(o.credentials ? { credentials: o.credentials } : {}),
      // The default circuit breaker stays open 5 s after etcd returns; a failover budget of 5 s cannot afford that.
      faultHandling: { host: () => noop, global: noop, watchBackoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1000 }) as unknown as WatchBackoff },
    });
  }

  async start(): Promise<void> {
    await this.newLease();
    const res = await this.client.getAll().prefix(this.root).exec();
    for (const kv of res.kvs) this.apply('put', kv);
    this.watcher = await this.client.watch().prefix(this.root).startRevision(String(BigInt(res.header.revision) + 1n)).create();
    this.watcher.on('put', (kv) => this.apply('put', kv));
    this.watcher.on('delete', (kv) => this.apply('delete', kv));
    this.watcher.on('disconnected', () => this.setReachable(false));
    this.watcher.on('connected', () => this.setReachable(true));
    this.watcher.on('error', (err) => this.log.warn({ err: String(err) }, 'etcd watch failed'));
    this.setReachable(true);
    this.timer = setInterval(() => this.decide(), POLL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await settleWithin(this.watcher?.cancel(), STOP_STEP_MS);
    // Revoking deletes every key of ours at once: the others take over without waiting for the TTL
    // (or, if etcd does not answer in time, once the TTL runs out).
    await settleWithin(this.lease?.revoke(), STOP_STEP_MS);
    this.client.close();
  }

  join(dpid: string): void {
    this.joined.add(dpid);
    this.putLeased(`candidates/${dpid}/${this.nodeId}`, '');
    this.queueDecide();
  }

  leave(dpid: string): void {
    this.joined.delete(dpid);
    this.leftAt.set(dpid, Date.now());
    // A reconnect (the switch replaced its connection) comes back at once: withdraw only if it stays away.
    setTimeout(() => {
      if (this.stopped || this.joined.has(dpid)) return;
      this.client.delete().key(`${this.root}candidates/${dpid}/${this.nodeId}`).exec().catch((e: unknown) => this.log.debug({ err: String(e) }, 'etcd delete failed'));
      if (this.masters.get(dpid)?.mine) void this.resign(dpid);
    }, LEAVE_GRACE_MS).unref();
  }

  master(dpid: string): MasterRecord | undefined {
    const m = this.masters.get(dpid);
    return m && { node: m.node, generation: m.generation, mine: m.mine };
  }

  switches(): Map<string, { master: MasterRecord | undefined; candidates: string[] }> {
    const out = new Map<string, { master: MasterRecord | undefined; candidates: string[] }>();
    for (const d of new Set([...this.cands.keys(), ...this.masters.keys()])) {
      out.set(d, { master: this.master(d), candidates: [...(this.cands.get(d)?.keys() ?? [])].sort() });
    }
    return out;
  }

  members(): ClusterMember[] {
    const all = new Map(this.memberRecs);
    all.set(this.nodeId, this.memberInfo);
    return [...all.values()].sort((a, b) => (a.node_id < b.node_id ? -1 : 1));
  }

  onChange(fn: (dpid: string | undefined) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  advertise(addrs: Pick<ClusterMember, 'openflow' | 'api' | 'flow_generation'>): void {
    this.memberInfo = { ...this.memberInfo, ...addrs };
    this.putLeased(`members/${this.nodeId}`, JSON.stringify(this.memberInfo));
  }

  private notify(dpid: string | undefined): void {
    for (const fn of this.listeners) fn(dpid);
  }

  private setReachable(r: boolean): void {
    if (this.reachable === r) return;
    this.reachable = r;
    this.log[r ? 'info' : 'warn']({}, r ? 'etcd reachable' : 'etcd unreachable: keeping the switches this instance masters');
    this.notify(undefined);
    if (r) this.queueDecide();
  }

  /** A fresh lease, and every key of ours written again under it (at start, and after etcd declared the old one lost). */
  private async newLease(): Promise<void> {
    const lease = this.client.lease(this.ttl);
    this.lease = lease;
    lease.on('lost', (err) => {
      if (this.stopped || this.lease !== lease) return;
      this.log.warn({ err: String(err) }, 'etcd lease lost: registering again');
      this.leaseId = undefined;
      void this.renew();
    });
    lease.on('keepaliveSucceeded', () => this.setReachable(true));
    this.leaseId = await lease.grant();
    await this.client.put(`${this.root}members/${this.nodeId}`).value(JSON.stringify(this.memberInfo)).lease(this.leaseId).exec();
    for (const d of this.joined) await this.client.put(`${this.root}candidates/${d}/${this.nodeId}`).value('').lease(this.leaseId).exec();
    for (const [d, m] of this.masters) {
      // Still ours (etcd kept it): move it to the new lease; its create revision, the generation, stays.
      if (m.mine) await this.client.if(`${this.root}masters/${d}`, 'Value', '==', this.mine).then(this.client.put(`${this.root}masters/${d}`).value(this.mine).lease(this.leaseId)).commit();
    }
  }

  private async renew(): Promise<void> {
    while (!this.stopped && this.leaseId === undefined) {
      try {
        await this.newLease();
        this.queueDecide();
        return;
      } catch (e) {
        this.log.debug({ err: String(e) }, 'etcd lease grant failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private putLeased(rel: string, value: string): void {
    if (this.leaseId === undefined) return; // written with the next lease
    this.client.put(this.root + rel).value(value).lease(this.leaseId).exec().catch((e: unknown) => this.log.debug({ key: rel, err: String(e) }, 'etcd put failed'));
  }

  private apply(kind: 'put' | 'delete', kv: IKeyValue): void {
    const rel = kv.key.toString().slice(this.root.length);
    const [kind1, a, b] = rel.split('/');
    if (kind1 === 'members' && a !== undefined) {
      if (a === this.nodeId) return;
      if (kind === 'put') {
        try {
          this.memberRecs.set(a, JSON.parse(kv.value.toString()) as ClusterMember);
        } catch {
          this.memberRecs.set(a, { node_id: a, since: 0 });
        }
      } else this.memberRecs.delete(a);
      this.notify(undefined);
    } else if (kind1 === 'candidates' && a !== undefined && b !== undefined) {
      let c = this.cands.get(a);
      if (kind === 'put') {
        if (c === undefined) this.cands.set(a, (c = new Map()));
        if (!c.has(b)) c.set(b, Date.now());
      } else if (c !== undefined) {
        c.delete(b);
        if (c.size === 0) this.cands.delete(a);
      }
    } else if (kind1 === 'masters' && a !== undefined) {
      const before = this.masters.get(a);
      if (kind === 'put') {
        const value = kv.value.toString();
        let node = '?';
        try {
          node = (JSON.parse(value) as { node: string }).node;
        } catch {
          /* not ours to read: a stranger's key */
        }
        this.masters.set(a, { node, generation: BigInt(kv.create_revision), mine: value === this.mine, value });
        this.orphanSince.delete(a);
      } else this.masters.delete(a);
      const after = this.masters.get(a);
      if (before?.value !== after?.value || before?.generation !== after?.generation) this.notify(a);
    }
    this.queueDecide();
  }

  private queueDecide(): void {
    if (this.decideQueued) return;
    this.decideQueued = true;
    setImmediate(() => {
      this.decideQueued = false;
      this.decide();
    });
  }

  /** Claim orphaned switches that placement gives us (others after a delay), and hand over those it gives to another. */
  private decide(): void {
    if (this.stopped || !this.reachable || this.leaseId === undefined) return;
    const candidates = new Map<string, Set<string>>();
    for (const [d, c] of this.cands) candidates.set(d, new Set(c.keys()));
    for (const d of this.joined) {
      let c = candidates.get(d);
      if (c === undefined) candidates.set(d, (c = new Set()));
      c.add(this.nodeId);
    }
    const current = new Map<string, string>();
    for (const [d, m] of this.masters) current.set(d, m.mine ? this.nodeId : m.node);
    const placed = placeMasters(candidates, current);
    const now = Date.now();
    this.repairCandidates();
    for (const d of this.joined) {
      if (this.busy.has(d)) continue;
      const m = this.masters.get(d);
      const want = placed.get(d);
      if (m === undefined) {
        const since = this.orphanSince.get(d) ?? now;
        this.orphanSince.set(d, since);
        if (want === this.nodeId || now - since >= this.takeoverMs) void this.acquire(d);
      } else if (m.mine && want !== undefined && want !== this.nodeId) {
        const seen = this.cands.get(d)?.get(want);
        if (seen !== undefined && now - seen >= this.handoverMs) void this.resign(d);
      }
    }
  }

  /**
   * Our candidate keys in etcd must be exactly the switches connected here: a
   * put or delete that failed during an outage is done again, otherwise others
   * would hand a switch to an instance that does not see it (or never to one that does).
   */
  private repairCandidates(): void {
    for (const d of this.joined) {
      if (this.cands.get(d)?.has(this.nodeId) !== true && !this.busy.has(`cand:${d}`)) this.candidateOp(d, true);
    }
    for (const [d, c] of this.cands) {
      const seen = c.get(this.nodeId);
      if (seen !== undefined && !this.joined.has(d) && !this.busy.has(`cand:${d}`) && Date.now() - (this.leftAt.get(d) ?? 0) > LEAVE_GRACE_MS) this.candidateOp(d, false);
    }
  }

  private candidateOp(dpid: string, present: boolean): void {
    const key = `${this.root}candidates/${dpid}/${this.nodeId}`;
    this.busy.add(`cand:${dpid}`);
    const op = present ? this.client.put(key).value('').lease(this.leaseId!).exec() : this.client.delete().key(key).exec();
    op.catch((e: unknown) => this.log.debug({ key, err: String(e) }, 'etcd candidate update failed')).finally(() => this.busy.delete(`cand:${dpid}`));
  }

  private async acquire(dpid: string): Promise<void> {
    const key = `${this.root}masters/${dpid}`;
    this.busy.add(dpid);
    try {
      const r = await this.client.if(key, 'Create', '==', 0).then(this.client.put(key).value(this.mine).lease(this.leaseId!)).commit();
      if (r.succeeded) this.log.info({ switch: dpid, generation: r.header.revision }, 'elected master');
    } catch (e) {
      this.log.debug({ switch: dpid, err: String(e) }, 'etcd campaign failed');
    } finally {
      this.busy.delete(dpid);
    }
  }

  private async resign(dpid: string): Promise<void> {
    const key = `${this.root}masters/${dpid}`;
    this.busy.add(dpid);
    try {
      const r = await this.client.if(key, 'Value', '==', this.mine).then(this.client.delete().key(key)).commit();
      if (r.succeeded) this.log.info({ switch: dpid }, 'handed mastership over');
    } catch (e) {
      this.log.debug({ switch: dpid, err: String(e) }, 'etcd resign failed');
    } finally {
      this.busy.delete(dpid);
    }
  }
}
