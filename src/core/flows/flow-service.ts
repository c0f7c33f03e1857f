import type { OfpMessage } from '../../openflow/message.js';
import type { ErrorMsg } from '../../openflow/messages/error.js';
import type { FlowRemoved } from '../../openflow/messages/flow-removed.js';
import type { GroupMod } from '../../openflow/messages/group-mod.js';
import type { MeterMod } from '../../openflow/messages/meter-mod.js';
import type { PacketOut } from '../../openflow/messages/packet-out.js';
import { OfpErrorReply } from '../../openflow/channel/errors.js';
import { dpidToString } from '../../openflow/common.js';
import { toJsonValue } from '../../openflow/json.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { SwitchLink } from '../southbound.js';
import type { SwitchRecord, SwitchRegistry } from '../switches.js';
import { CORE_OWNER, MAGIC_COOKIE, MAGIC_MASK, OWNER_MASK, OwnerRegistry, cookieToString, ownerCookie, ownerGenerationBits, parseCookie } from './cookie.js';
import { DesiredCache } from './desired-cache.js';
import { addFlowMod, compileFlow, deleteStrictFlowMod, maskedDeleteFlowMod, sameFlow, slotKey, slotOfStats, type DesiredFlow, type FlowSpec } from './flow-spec.js';
import { planReconcile } from './reconcile.js';
import { TableRegistry, type TableDecl } from './tables.js';

/** A message before the channel gives it an xid. */
export type UnsentMessage = OfpMessage extends infer M ? (M extends OfpMessage ? Omit<M, 'xid'> : never) : never;

/** Everything one owner sends to one switch in one go; sent as deletes, groups, meters, adds, packet-outs, then one barrier. */
export interface FlowBatch {
  readonly remove?: readonly string[];
  readonly install?: readonly FlowSpec[];
  /** Passed through (not cached): groups and meters must exist before the flows that use them. */
  readonly groupMods?: readonly Omit<GroupMod, 'xid'>[];
  readonly meterMods?: readonly Omit<MeterMod, 'xid'>[];
  /** Sent last, so the packet meets the flows just installed (the packet-in hot path). */
  readonly packetOuts?: readonly Omit<PacketOut, 'xid'>[];
}

/** One owner's view of the flow service: it can only see and touch its own flows. */
export interface FlowOwner {
  readonly name: string;
  readonly id: number;
  install(dpid: bigint, specs: readonly FlowSpec[]): Promise<void>;
  remove(dpid: bigint, keys: readonly string[]): Promise<void>;
  /** One masked flow_mod delete per switch (every generation of this owner's cookies) and a cleared cache. */
  removeAll(dpid?: bigint): Promise<void>;
  apply(dpid: bigint, batch: FlowBatch): Promise<void>;
  /** Desired flows of this owner, on one switch or on all. */
  list(dpid?: bigint): DesiredFlow[];
  /** The key a spec without `key` gets (for remove). */
  keyOf(spec: FlowSpec): string;
}

export interface ReconcileReport {
  readonly added: number;
  readonly removed: number;
  readonly kept: number;
  readonly forgotten: number;
}

export interface FlowLog {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface FlowServiceOptions {
  readonly switches: SwitchRegistry;
  readonly events: EventBus;
  readonly clock: Clock;
  /** Controller generation in cookies (16 bits); default derived from the start time. */
  readonly generation?: number;
  readonly tables?: readonly TableDecl[];
  readonly requestTimeoutMs?: number;
  readonly log?: FlowLog;
}

export class FlowConflictError extends Error {
  override readonly name = 'FlowConflictError';
}

const silent: FlowLog = { warn: () => {}, debug: () => {} };

/** A batch in flight: its xids, and the first error the switch sent for one of them. */
class Batch {
  readonly xids: number[] = [];
  error: OfpErrorReply | undefined;
  unsent = 0;
}

/** What an xid in flight stands for, so an OFPT_ERROR finds its flow and owner. */
interface InflightOp {
  readonly batch: Batch;
  readonly kind: string;
  readonly owner: string | null;
  readonly flow: DesiredFlow | undefined;
}

class SwitchFlows {
  readonly desired = new DesiredCache();
  readonly inflight = new Map<number, InflightOp>();
  reconciling: Promise<ReconcileReport | undefined> | undefined;
}

/**
 * The only way apps program switches (Faucet/ONOS/Antrea style): apps hand
 * over FlowSpecs; this service compiles, orders, dedupes, sends, confirms
 * with a barrier, maps errors back by xid, and keeps the desired state per
 * switch so a reconnect or a restart is reconciled to exactly that state.
 */
export class FlowService {
  readonly owners = new OwnerRegistry();
  readonly generation: number;
  /** Modifications handed to switches (every owner's and the API's), for metrics. */
  readonly counters = { flowMods: 0, groupMods: 0, meterMods: 0 };
  private tableRegistry: TableRegistry;
  private readonly states = new Map<bigint, SwitchFlows>();
  private readonly handles = new Map<string, OwnerHandle>();
  private readonly switches: SwitchRegistry;
  private readonly events: EventBus;
  private readonly timeoutMs: number | undefined;
  private readonly log: FlowLog;
  private readonly core: OwnerHandle;

  constructor(opts: FlowServiceOptions) {
    this.switches = opts.switches;
    this.events = opts.events;
    this.timeoutMs = opts.requestTimeoutMs;
    this.log = opts.log ?? silent;
    // A new generation per start makes a restart's stale flows recognisable; config can pin it.
    this.generation = opts.generation ?? Math.floor(opts.clock.now() / 1000) & 0xffff;
    this.tableRegistry = new TableRegistry(opts.tables);
    this.core = this.forOwner(CORE_OWNER) as OwnerHandle;
    this.switches.onSwitchUp((sw) => this.switchUp(sw));
    this.switches.onSwitchDown((sw) => this.states.get(sw.dpid)?.inflight.clear());
    this.switches.onMessage((sw, msg) => this.message(sw, msg));
  }

  get tables(): TableRegistry {
    return this.tableRegistry;
  }

  /** Replace the pipeline; only before any flow exists, since table ids of cached flows would change under them. */
  declareTables(decls: readonly TableDecl[]): void {
    for (const st of this.states.values()) if (st.desired.size > 0) throw new Error('declare tables before any flow is installed');
    this.tableRegistry = new TableRegistry(decls);
  }

  /** The scoped API for one owner (an app name); registers it (collisions throw). */
  forOwner(name: string): FlowOwner {
    let h = this.handles.get(name);
    if (h === undefined) {
      const id = this.owners.register(name);
      h = new OwnerHandle(this, name, id, ownerGenerationBits(id, this.generation));
      this.handles.set(name, h);
    }
    return h;
  }

  /** The last reconcile of a switch (started when it came up). */
  reconciled(dpid: bigint): Promise<ReconcileReport | undefined> {
    return this.states.get(dpid)?.reconciling ?? Promise.resolve(undefined);
  }

  /** @internal via OwnerHandle */
  apply(h: OwnerHandle, dpid: bigint, b: FlowBatch): Promise<void> {
    const st = this.state(dpid);
    const deletes: DesiredFlow[] = [];
    const adds: DesiredFlow[] = [];
    try {
      const compiled = this.compileAll(h, dpid, b.install, st);
      for (const key of b.remove ?? []) {
        const f = st.desired.get(h.name, key);
        if (f !== undefined && st.desired.forget(f)) deletes.push(f);
      }
      for (const f of compiled) {
        const prev = st.desired.get(h.name, f.key);
        if (prev !== undefined && sameFlow(prev, f)) continue; // identical to what is installed: not re-sent
        if (prev !== undefined && prev.slot !== f.slot) deletes.push(prev); // the key moved: the old slot must go
        st.desired.put(f);
        adds.push(f);
      }
    } catch (e) {
      return Promise.reject(e);
    }
    const link = this.switches.get(dpid)?.link;
    // A switch that is down gets the desired state when it comes up (reconcile).
    if (link === undefined) return Promise.resolve();
    const batch = new Batch();
    for (const f of deletes) this.send(st, link, batch, deleteStrictFlowMod(f.tableId, f.priority, f.match, f.cookie, link.xid()), h.name, undefined);
    for (const g of b.groupMods ?? []) this.send(st, link, batch, { ...g, xid: link.xid() } as GroupMod, h.name, undefined);
    for (const m of b.meterMods ?? []) this.send(st, link, batch, { ...m, xid: link.xid() } as MeterMod, h.name, undefined);
    for (const f of adds) {
      // A later spec of this batch may have taken the slot or key: send only what is still desired.
      if (st.desired.atSlot(f.slot) === f) this.send(st, link, batch, addFlowMod(f, link.xid()), h.name, f);
    }
    for (const p of b.packetOuts ?? []) this.send(st, link, batch, { ...p, xid: link.xid() } as PacketOut, h.name, undefined);
    return this.confirm(st, link, batch);
  }

  /**
   * Messages outside every owner's desired state (flows, groups and meters
   * a user created through the API): sent in order, confirmed by one
   * barrier; the first refusal is thrown decoded (OfpErrorReply).
   */
  sendConfirmed(dpid: bigint, msgs: readonly UnsentMessage[], label = 'api'): Promise<void> {
    const link = this.switches.get(dpid)?.link;
    if (link === undefined) return Promise.reject(new Error(`switch ${dpidToString(dpid)} is not connected`));
    const st = this.state(dpid);
    const batch = new Batch();
    for (const m of msgs) this.send(st, link, batch, { ...m, xid: link.xid() } as OfpMessage, label, undefined);
    return this.confirm(st, link, batch);
  }

  /** @internal via OwnerHandle */
  removeAll(h: OwnerHandle, dpid: bigint | undefined): Promise<void> {
    const targets = dpid === undefined ? [...this.states.keys()] : [dpid];
    return Promise.all(targets.map((d) => this.removeAllOn(h, d))).then(() => undefined);
  }

  /** @internal via OwnerHandle */
  list(h: OwnerHandle, dpid: bigint | undefined): DesiredFlow[] {
    if (dpid !== undefined) return [...(this.states.get(dpid)?.desired.ownerFlows(h.name) ?? [])];
    const out: DesiredFlow[] = [];
    for (const st of this.states.values()) out.push(...st.desired.ownerFlows(h.name));
    return out;
  }

  /**
   * Make the switch hold exactly the desired flows of ours: one flow dump
   * filtered by our magic, then delete_strict for what nobody desires and
   * add for what is missing or different, then one barrier.
   */
  async reconcile(dpid: bigint): Promise<ReconcileReport> {
    const link = this.switches.get(dpid)?.link;
    if (link === undefined) throw new Error(`switch ${dpidToString(dpid)} is not connected`);
    const st = this.state(dpid);
    const bodies = await link.multipart(
      { type: 'flow', table_id: 'all', out_port: 'any', out_group: 'any', cookie: MAGIC_COOKIE, cookie_mask: MAGIC_MASK, match: [] },
      this.timeoutMs,
    );
    if (this.switches.get(dpid)?.link !== link) throw new Error(`switch ${dpidToString(dpid)} reconnected during reconcile`);
    const present = bodies.flatMap((b) => (b.type === 'flow' ? b.flows : []));
    const plan = planReconcile(st.desired.bySlot, present, this.tableRegistry);
    for (const f of plan.forget) st.desired.forget(f);
    const batch = new Batch();
    for (const s of plan.remove) {
      this.send(st, link, batch, deleteStrictFlowMod(s.table_id, s.priority, s.match, s.cookie, link.xid()), this.owners.nameOf(s.cookie) ?? null, undefined);
    }
    for (const f of plan.add) this.send(st, link, batch, addFlowMod(f, link.xid()), f.owner, f);
    const report = { added: plan.add.length, removed: plan.remove.length, kept: plan.kept, forgotten: plan.forget.length };
    // Refused flows were already reported as flow.error events and dropped from the cache.
    await this.confirm(st, link, batch).catch((e: unknown) => {
      if (!(e instanceof OfpErrorReply)) throw e;
    });
    this.log.debug({ switch: dpidToString(dpid), ...report }, 'flows reconciled');
    return report;
  }

  private compileAll(h: OwnerHandle, dpid: bigint, specs: readonly FlowSpec[] | undefined, st: SwitchFlows): DesiredFlow[] {
    if (specs === undefined || specs.length === 0) return [];
    const ctx = { dpid, owner: h.name, cookieBits: h.cookieBits, tables: this.tableRegistry };
    const out: DesiredFlow[] = [];
    let byKey: Map<string, number> | undefined;
    for (const spec of specs) {
      const f = compileFlow(spec, ctx);
      const holder = st.desired.atSlot(f.slot);
      if (holder !== undefined && holder.owner !== h.name) {
        throw new FlowConflictError(`${h.name} flow ${f.key} takes the slot of ${holder.owner} flow ${holder.key} (same table, priority and match)`);
      }
      // The same key twice in one batch: the last one wins. A map only when there is more than one spec.
      if (specs.length === 1) return [f];
      byKey ??= new Map();
      const at = byKey.get(f.key);
      if (at === undefined) {
        byKey.set(f.key, out.length);
        out.push(f);
      } else out[at] = f;
    }
    return out;
  }

  private removeAllOn(h: OwnerHandle, dpid: bigint): Promise<void> {
    const st = this.state(dpid);
    st.desired.forgetOwner(h.name);
    const link = this.switches.get(dpid)?.link;
    if (link === undefined) return Promise.resolve();
    const batch = new Batch();
    this.send(st, link, batch, maskedDeleteFlowMod(ownerCookie(h.id), OWNER_MASK, link.xid()), h.name, undefined);
    return this.confirm(st, link, batch);
  }

  private send(st: SwitchFlows, link: SwitchLink, batch: Batch, msg: OfpMessage, owner: string | null, flow: DesiredFlow | undefined): void {
    if (!link.send(msg)) {
      batch.unsent++;
      return;
    }
    batch.xids.push(msg.xid);
    st.inflight.set(msg.xid, { batch, kind: msg.type, owner, flow });
    if (msg.type === 'flow_mod') this.counters.flowMods++;
    else if (msg.type === 'group_mod') this.counters.groupMods++;
    else if (msg.type === 'meter_mod') this.counters.meterMods++;
  }

  /** One barrier per batch: errors for its xids arrive before the barrier reply, so at the reply the verdict is known. */
  private confirm(st: SwitchFlows, link: SwitchLink, batch: Batch): Promise<void> {
    if (batch.xids.length === 0 && batch.unsent === 0) return Promise.resolve();
    return link.barrier(this.timeoutMs).then(
      () => this.settle(st, batch, undefined),
      (e: unknown) => this.settle(st, batch, e),
    );
  }

  private settle(st: SwitchFlows, batch: Batch, failure: unknown): void {
    for (const xid of batch.xids) if (st.inflight.get(xid)?.batch === batch) st.inflight.delete(xid);
    if (batch.error !== undefined) throw batch.error;
    if (failure !== undefined) throw failure;
    if (batch.unsent > 0) throw new Error(`${batch.unsent} message(s) could not be sent (connection closing or write queue full)`);
  }

  private state(dpid: bigint): SwitchFlows {
    let st = this.states.get(dpid);
    if (st === undefined) this.states.set(dpid, (st = new SwitchFlows()));
    return st;
  }

  private switchUp(sw: SwitchRecord): void {
    const st = this.state(sw.dpid);
    st.inflight.clear(); // xids restart with the new connection
    const miss = this.tableRegistry.all().map((t) => ({ table: t.name, priority: 0, match: [], instructions: this.tableRegistry.missInstructions(t), key: `miss:${t.name}` }));
    this.core.install(sw.dpid, miss).catch((e: unknown) => this.log.warn({ switch: sw.id, err: String(e) }, 'table-miss flows refused'));
    // Deferred so the apps' own onSwitchUp hooks (which run after this one, synchronously) have installed first.
    st.reconciling = Promise.resolve()
      .then(() => this.reconcile(sw.dpid))
      .catch((e: unknown) => {
        this.log.warn({ switch: sw.id, err: String(e) }, 'flow reconcile failed');
        return undefined;
      });
  }

  private message(sw: SwitchRecord, msg: OfpMessage): void {
    if (msg.type === 'error') this.error(sw, msg);
    else if (msg.type === 'flow_removed') this.flowRemoved(sw, msg);
  }

  private error(sw: SwitchRecord, msg: ErrorMsg): void {
    const st = this.states.get(sw.dpid);
    const op = st?.inflight.get(msg.xid);
    if (st === undefined || op === undefined) return; // not one of ours
    const err = new OfpErrorReply(msg, op.kind);
    op.batch.error ??= err;
    // A refused flow is not on the switch: drop it so a retry is sent, not deduplicated away.
    if (op.flow !== undefined) st.desired.forget(op.flow);
    this.log.warn({ switch: sw.id, owner: op.owner, key: op.flow?.key, err: err.message }, 'switch refused a flow service message');
    this.events.emit('flow.error', { dpid: sw.id, owner: op.owner, err_type: err.errType, code: err.code, hint: err.hint });
  }

  private flowRemoved(sw: SwitchRecord, msg: FlowRemoved): void {
    const parsed = parseCookie(msg.cookie);
    if (parsed === undefined) return; // someone else's flow
    const st = this.states.get(sw.dpid);
    const f = st?.desired.atSlot(slotOfStats(msg, this.tableRegistry));
    // Only expiry means "gone for good"; our own deletes were already forgotten, and the cookie check skips stale generations.
    if (f !== undefined && f.cookie === msg.cookie && (msg.reason === 'idle_timeout' || msg.reason === 'hard_timeout')) st!.desired.forget(f);
    this.events.emit('flow.removed', {
      dpid: sw.id, cookie: cookieToString(msg.cookie), owner: this.owners.name(parsed.owner) ?? null, priority: msg.priority,
      table_id: msg.table_id, reason: String(msg.reason), packet_count: msg.packet_count.toString(), byte_count: msg.byte_count.toString(),
      match: toJsonValue(msg.match),
    });
  }
}

/** FlowOwner as a class, not closures: one object per owner, methods on the prototype. */
class OwnerHandle implements FlowOwner {
  constructor(
    private readonly svc: FlowService,
    readonly name: string,
    readonly id: number,
    readonly cookieBits: bigint,
  ) {}
  install(dpid: bigint, specs: readonly FlowSpec[]): Promise<void> {
    return this.svc.apply(this, dpid, { install: specs });
  }
  remove(dpid: bigint, keys: readonly string[]): Promise<void> {
    return this.svc.apply(this, dpid, { remove: keys });
  }
  removeAll(dpid?: bigint): Promise<void> {
    return this.svc.removeAll(this, dpid);
  }
  apply(dpid: bigint, batch: FlowBatch): Promise<void> {
    return this.svc.apply(this, dpid, batch);
  }
  list(dpid?: bigint): DesiredFlow[] {
    return this.svc.list(this, dpid);
  }
  keyOf(spec: FlowSpec): string {
    return spec.key ?? slotKey(this.svc.tables.get(spec.table ?? 'main').name, spec.priority, spec.match);
  }
}
