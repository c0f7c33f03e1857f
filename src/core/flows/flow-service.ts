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
import { ApiFlowOwner, type ApiHost } from './api-owner.js';
import { FlowConflictError, NotMasterError, SwitchNotConnectedError, type UnsentMessage } from './flow-errors.js';
import { CORE_OWNER, MAGIC_COOKIE, MAGIC_MASK, OWNER_MASK, OwnerRegistry, cookieToString, ownerCookie, ownerGenerationBits, parseCookie } from './cookie.js';
import { addFlowMod, compileFlow, deleteStrictFlowMod, maskedDeleteFlowMod, sameFlow, slotKey, slotOfStats, type DesiredFlow, type FlowSpec } from './flow-spec.js';
import { OwnerHandle, type FlowBatch, type FlowOwner, type OwnerHost } from './owner-handle.js';
import { planGroupsAndMeters, planReconcile } from './reconcile.js';
import { Batch, SwitchFlows, type ReconcileReport } from './switch-state.js';
import { TableRegistry, type TableDecl } from './tables.js';
import { PendingCaps, type PendingCapOptions } from './pending-caps.js';

export type { FlowBatch, FlowOwner } from './owner-handle.js';
export type { ReconcileReport } from './switch-state.js';

export { FlowConflictError, NotMasterError, SwitchNotConnectedError, type UnsentMessage } from './flow-errors.js';

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
  /** Flow batches waiting for their barrier, per switch and in all; the oldest are given up (pending-caps.ts). */
  readonly pendingCaps?: PendingCapOptions;
}

const silent: FlowLog = { warn: () => {}, debug: () => {} };

/**
 * The only way anything programs switches (Faucet/ONOS/Antrea style):
 * apps hand over FlowSpecs, the API hands over users' flow, group and meter
 * mods (the owner "api"); this service compiles, orders, dedupes, sends,
 * confirms with a barrier, maps errors back by xid, and keeps the desired
 * state per switch so a reconnect or a restart is reconciled to exactly
 * that state, in one order: groups and meters, then stale flows out, then
 * missing flows in, then one barrier.
 */
export class FlowService implements OwnerHost, ApiHost {
  readonly owners = new OwnerRegistry();
  readonly generation: number;
  /** Modifications handed to switches (every owner's and the API's), for metrics. */
  readonly counters = { flowMods: 0, groupMods: 0, meterMods: 0, packetOuts: 0 };
  /** The users' flows, groups and meters (REST, Ryu): their own cookies, sent as given. */
  readonly api: ApiFlowOwner;
  private tableRegistry: TableRegistry;
  private readonly states = new Map<bigint, SwitchFlows>();
  private readonly handles = new Map<string, OwnerHandle>();
  private readonly switches: SwitchRegistry;
  private readonly events: EventBus;
  private readonly timeoutMs: number | undefined;
  private readonly log: FlowLog;
  private readonly core: OwnerHandle;
  /** Batches waiting for a barrier; its `evicted` and `size` are in /metrics. */
  readonly pending: PendingCaps<SwitchFlows>;

  constructor(opts: FlowServiceOptions) {
    this.switches = opts.switches;
    this.events = opts.events;
    this.timeoutMs = opts.requestTimeoutMs;
    this.log = opts.log ?? silent;
    this.pending = new PendingCaps(opts.pendingCaps);
    // A new generation per start makes a restart's stale flows recognisable; config can pin it.
    this.generation = opts.generation ?? Math.floor(opts.clock.now() / 1000) & 0xffff;
    this.tableRegistry = new TableRegistry(opts.tables);
    this.core = this.forOwner(CORE_OWNER) as OwnerHandle;
    this.owners.register('api');
    this.api = new ApiFlowOwner(this);
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
    if (name === 'api') throw new Error('"api" is the users\' owner: use FlowService.api');
    let h = this.handles.get(name);
    if (h === undefined) {
      const id = this.owners.register(name);
      h = new OwnerHandle(this, name, id, ownerGenerationBits(id, this.generation));
      this.handles.set(name, h);
    }
    return h;
  }

  /** The owner of a flow a switch reports: an app by cookie, "api" for a flow in a slot the API holds, or null. */
  ownerOfStats(dpid: bigint, f: { cookie: bigint; table_id: number; priority: number; match: Parameters<typeof slotOfStats>[0]['match'] }): string | null {
    const byCookie = this.owners.nameOf(f.cookie);
    if (byCookie !== undefined && byCookie !== 'api') return byCookie;
    const d = this.states.get(dpid)?.desired.atSlot(slotOfStats(f, this.tableRegistry));
    return d?.owner === 'api' && d.cookie === f.cookie ? 'api' : null;
  }

  /** The last reconcile of a switch (started when it came up). */
  reconciled(dpid: bigint): Promise<ReconcileReport | undefined> {
    return this.states.get(dpid)?.reconciling ?? Promise.resolve(undefined);
  }

  keyOf(spec: FlowSpec): string {
    return spec.key ?? slotKey(this.tables.get(spec.table ?? 'main').name, spec.priority, spec.match);
  }

  /** @internal via OwnerHandle */
  has(h: OwnerHandle, dpid: bigint, key: string): boolean {
    return this.states.get(dpid)?.desired.get(h.name, key) !== undefined;
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
    const link = this.writableLink(dpid);
    // A switch that is down (or that another instance masters) gets the desired state when it comes up (or this
    // instance takes it over): reconcile; its packet-outs have nowhere to go.
    if (link === undefined) return Promise.resolve();
    const batch = new Batch();
    for (const f of deletes) this.send(st, link, batch, deleteStrictFlowMod(f.tableId, f.priority, f.match, f.cookie, link.xid()), h.name, undefined);
    for (const g of b.groupMods ?? []) this.send(st, link, batch, { ...g, xid: link.xid() } as GroupMod, h.name, undefined);
    for (const m of b.meterMods ?? []) this.send(st, link, batch, { ...m, xid: link.xid() } as MeterMod, h.name, undefined);
    for (const f of adds) {
      // A later spec of this batch may have taken the slot or key: send only what is still desired.
      if (st.desired.atSlot(f.slot) === f) this.send(st, link, batch, addFlowMod(f, link.xid()), h.name, f);
    }
    const outs = b.packetOuts;
    if (outs !== undefined && outs.length > 0) {
      // A switch may reorder messages between barriers (OF 1.3.5 §6.2): one here makes "the packet meets
      // the flows just installed" a property of the batch. Its reply needs no waiting for; the last one is the confirmation.
      if (batch.xids.length > 0) link.barrier(this.timeoutMs).catch(() => {});
      // One the channel could not queue is counted there (droppedTx); a packet is not worth failing the flows for.
      for (const p of outs) if (link.send({ ...p, xid: link.xid() } as PacketOut)) this.counters.packetOuts++;
    }
    return this.confirm(st, link, batch);
  }

  /** @internal via OwnerHandle */
  removeAll(h: OwnerHandle, dpid: bigint | undefined): Promise<void> {
    const targets = dpid === undefined ? [...this.states.keys()] : [dpid];
    return Promise.all(targets.map((d) => this.removeAllOn(h, d))).then(() => undefined);
  }

  /** @internal via OwnerHandle */
  list(h: OwnerHandle | { name: string }, dpid: bigint | undefined): DesiredFlow[] {
    if (dpid !== undefined) return [...(this.states.get(dpid)?.desired.ownerFlows(h.name) ?? [])];
    const out: DesiredFlow[] = [];
    for (const st of this.states.values()) out.push(...st.desired.ownerFlows(h.name));
    return out;
  }

  /**
   * Make the switch hold exactly the desired state: the API's groups and
   * meters first (added or modified), then one flow dump (only our cookies
   * unless the API has flows here, whose cookies are the users'), then
   * delete_strict for what nobody desires and add for what is missing or
   * different, then one barrier.
   */
  async reconcile(dpid: bigint): Promise<ReconcileReport> {
    const link = this.switches.get(dpid)?.link;
    if (link === undefined) throw new Error(`switch ${dpidToString(dpid)} is not connected`);
    const st = this.state(dpid);
    const apiFlows = this.list({ name: 'api' }, dpid).length > 0;
    const [bodies, groupBodies, meterBodies] = await Promise.all([
      link.multipart({ type: 'flow', table_id: 'all', out_port: 'any', out_group: 'any', cookie: apiFlows ? 0n : MAGIC_COOKIE, cookie_mask: apiFlows ? 0n : MAGIC_MASK, match: [] }, this.timeoutMs),
      st.groups.size > 0 ? link.multipart({ type: 'group_desc' }, this.timeoutMs) : undefined,
      st.meters.size > 0 ? link.multipart({ type: 'meter_config', meter_id: 'all' }, this.timeoutMs) : undefined,
    ]);
    if (this.switches.get(dpid)?.link !== link) throw new Error(`switch ${dpidToString(dpid)} reconnected during reconcile`);
    const present = bodies.flatMap((b) => (b.type === 'flow' ? b.flows : []));
    const gm = planGroupsAndMeters(
      st.groups, groupBodies?.flatMap((b) => (b.type === 'group_desc' ? b.groups : [])),
      st.meters, meterBodies?.flatMap((b) => (b.type === 'meter_config' ? b.configs : [])),
    );
    const plan = planReconcile(st.desired.bySlot, present, this.tableRegistry);
    const expired = plan.forget.filter((f) => f.owner === 'api');
    for (const f of plan.forget) st.desired.forget(f);
    const batch = new Batch();
    for (const g of gm.groups) this.send(st, link, batch, { ...g, xid: link.xid() } as GroupMod, 'api', undefined);
    for (const m of gm.meters) this.send(st, link, batch, { ...m, xid: link.xid() } as MeterMod, 'api', undefined);
    for (const s of plan.remove) {
      this.send(st, link, batch, deleteStrictFlowMod(s.table_id, s.priority, s.match, s.cookie, link.xid()), this.owners.nameOf(s.cookie) ?? null, undefined);
    }
    for (const f of plan.add) this.send(st, link, batch, addFlowMod(f, link.xid()), f.owner, f);
    const report: ReconcileReport = { added: plan.add.length, removed: plan.remove.length, kept: plan.kept, forgotten: plan.forget.length, groups: gm.groups.length, meters: gm.meters.length };
    for (const f of expired) this.api.expired(dpid, f);
    // Refused flows were already reported as flow.error events and dropped from the cache.
    await this.confirm(st, link, batch).catch((e: unknown) => {
      if (!(e instanceof OfpErrorReply)) throw e;
    });
    this.log.debug({ switch: dpidToString(dpid), ...report }, 'flows reconciled');
    return report;
  }

  /**
   * Messages that are not desired state (a port_mod, a packet-out the API
   * was asked for): sent in order, confirmed by one barrier; the first
   * refusal is thrown decoded (OfpErrorReply).
   */
  sendConfirmed(dpid: bigint, msgs: readonly UnsentMessage[], owner = 'api'): Promise<void> {
    if (this.switches.get(dpid) !== undefined && !this.switches.writable(dpid)) return Promise.reject(new NotMasterError(dpid));
    return this.sendBatch(dpid, msgs.map((msg) => ({ msg })), owner);
  }

  /** @internal for ApiFlowOwner: one batch of messages sent as given, confirmed by its barrier; `flow` ties an add to its desired entry. */
  sendBatch(dpid: bigint, msgs: readonly { msg: UnsentMessage; flow?: DesiredFlow }[], owner: string): Promise<void> {
    const link = this.switches.get(dpid)?.link;
    if (link === undefined) return Promise.reject(new SwitchNotConnectedError(dpid));
    // Another instance masters it: the desired state is edited (the master installs it), nothing is sent from here.
    if (!this.switches.writable(dpid)) return Promise.resolve();
    const st = this.state(dpid);
    const batch = new Batch();
    // Encoding happens in send(): a message the codec refuses throws before anything of the batch went out only if it is the first.
    for (const m of msgs) this.send(st, link, batch, { ...m.msg, xid: link.xid() } as OfpMessage, owner, m.flow);
    return this.confirm(st, link, batch);
  }

  /** @internal for ApiFlowOwner */
  stateOf(dpid: bigint): SwitchFlows {
    return this.state(dpid);
  }

  /** @internal for ApiFlowOwner */
  allStates(): IterableIterator<[bigint, SwitchFlows]> {
    return this.states.entries();
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
    const link = this.writableLink(dpid);
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

  /**
   * One barrier per batch: errors for its xids arrive before the barrier reply, so at the reply the verdict is known.
   * A batch of packet-outs only has nothing to confirm and costs no barrier (the packet-in hot path).
   */
  private confirm(st: SwitchFlows, link: SwitchLink, batch: Batch): Promise<void> {
    if (batch.xids.length === 0 && batch.unsent === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiting = {
        abandon: (e: Error): void => {
          for (const xid of batch.xids) if (st.inflight.get(xid)?.batch === batch) st.inflight.delete(xid);
          reject(e);
        },
      };
      const answer = (failure: unknown): void => {
        // Evicted already: its promise has settled, and its xids are forgotten.
        if (!this.pending.done(waiting)) return;
        try {
          this.settle(st, batch, failure);
          resolve();
        } catch (e) {
          reject(e);
        }
      };
      link.barrier(this.timeoutMs).then(() => answer(undefined), answer);
      this.pending.add(st, waiting);
    });
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
    // A table whose miss drops needs no flow: OpenFlow 1.3 drops what misses
    // a table with no table-miss entry (5.4), so none is written and dump-flows
    // shows only flows that do something.
    const miss = this.tableRegistry.all().filter((t) => t.miss !== 'drop').map((t) => ({ table: t.name, priority: 0, match: [], instructions: this.tableRegistry.missInstructions(t), key: `miss:${t.name}` }));
    this.core.install(sw.dpid, miss).catch((e: unknown) => this.log.warn({ switch: sw.id, err: String(e) }, 'table-miss flows refused'));
    // Deferred so the apps' own onSwitchUp hooks (which run after this one, synchronously) have installed first.
    // In a cluster a switch is reconciled when this instance becomes its master, not before.
    if (this.switches.writable(sw.dpid)) this.startReconcile(sw.dpid);
  }

  /** Reconcile now (or once the running hooks are done), recorded as the switch's last reconcile; never rejects. */
  startReconcile(dpid: bigint): Promise<ReconcileReport | undefined> {
    const st = this.state(dpid);
    st.reconciling = Promise.resolve()
      .then(() => this.reconcile(dpid))
      .catch((e: unknown) => {
        this.log.warn({ switch: dpidToString(dpid), err: String(e) }, 'flow reconcile failed');
        return undefined;
      });
    return st.reconciling;
  }

  /** The switch's connection when this instance may change it (connected, and master in a cluster). */
  private writableLink(dpid: bigint): SwitchLink | undefined {
    const link = this.switches.get(dpid)?.link;
    return link !== undefined && this.switches.writable(dpid) ? link : undefined;
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
    const st = this.states.get(sw.dpid);
    const f = st?.desired.atSlot(slotOfStats(msg, this.tableRegistry));
    const isApi = parsed === undefined && f?.owner === 'api' && f.cookie === msg.cookie;
    if (parsed === undefined && !isApi) return; // someone else's flow
    // Only expiry means "gone for good"; our own deletes were already forgotten, and the cookie check skips stale generations.
    if (f !== undefined && f.cookie === msg.cookie && (msg.reason === 'idle_timeout' || msg.reason === 'hard_timeout')) {
      st!.desired.forget(f);
      if (isApi) this.api.expired(sw.dpid, f);
    }
    this.events.emit('flow.removed', {
      dpid: sw.id, cookie: cookieToString(msg.cookie), owner: isApi ? 'api' : this.owners.name(parsed!.owner) ?? null, priority: msg.priority,
      table_id: msg.table_id, reason: String(msg.reason), packet_count: msg.packet_count.toString(), byte_count: msg.byte_count.toString(),
      match: toJsonValue(msg.match),
    });
  }
}
