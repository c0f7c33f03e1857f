import { dpidToString } from '../../openflow/common.js';
import { toJsonValue } from '../../openflow/json.js';
import type { FlowMod } from '../../openflow/messages/flow-mod.js';
import type { GroupMod } from '../../openflow/messages/group-mod.js';
import type { MeterMod } from '../../openflow/messages/meter-mod.js';
import type { FlowStats } from '../../openflow/multipart/flow-stats.js';
import type { FlowService } from '../flows/flow-service.js';
import type { ApiEdit, ApiMessage } from '../flows/api-owner.js';
import { MAGIC_COOKIE, MAGIC_MASK } from '../flows/cookie.js';
import { desiredOfFlowMod, flowModOfDesired, instructionsKey, slotOfStats, type DesiredFlow } from '../flows/flow-spec.js';
import { StoreUnavailableError, type JsonValue, type KvStore, type StoreOp } from '../store/types.js';
import { canonicalMatch, forwardsToGroup, requestSelects } from './flow-filter.js';
import { importLegacyJournal } from './legacy-journal.js';
import { fromStored, StaticFollower } from './static-follow.js';

export type StaticFlowMod = Omit<FlowMod, 'xid'>;
export type StaticGroupMod = Omit<GroupMod, 'xid'>;
export type StaticMeterMod = Omit<MeterMod, 'xid'>;
export type StaticChange = StaticFlowMod | StaticGroupMod | StaticMeterMod;

/** What apply() did. */
export interface AppliedChange {
  /** The message as sent, with what the store adds (send_flow_rem on a timed flow). */
  readonly msg: StaticChange;
  /** For an add (or a group or meter add/modify), the stored entry in its JSON form, exactly what the store holds. */
  readonly stored: Readonly<Record<string, unknown>> | undefined;
}

/** A change the store refuses before anything is sent (the API answers 400). */
export class StaticInputError extends Error {
  override readonly name = 'StaticInputError';
}

export interface StaticStoreLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface StaticStoreDeps {
  readonly flows: FlowService;
  /** The API's namespace of the state store. */
  readonly kv: KvStore;
  readonly log: StaticStoreLog;
  /** A static.jsonl an earlier version wrote: imported once, then renamed. */
  readonly legacyJournal?: string;
}

const flowKey = (dpid: bigint, slot: string): string => `flow/${dpidToString(dpid)}/${slot}`;
const groupKey = (dpid: bigint, id: number): string => `group/${dpidToString(dpid)}/${id}`;
const meterKey = (dpid: bigint, id: number): string => `meter/${dpidToString(dpid)}/${id}`;
const idOf = (v: unknown): number => (typeof v === 'number' ? v : -1);

/**
 * Flows, groups and meters users created through the API (static state, as
 * Floodlight's static flow pusher keeps it). The desired state lives in the
 * flow service as the owner "api", beside the apps' flows, so a switch that
 * reconnects is replayed in the one order the flow service uses; this class
 * applies OpenFlow's selection rules to a modify or delete (what it
 * selects among the stored entries), and keeps every entry in the state
 * store: a change is recorded (fsynced) after the switch confirmed it and
 * before the caller hears back. Flows carrying the controller's cookie magic
 * belong to apps and are refused. A timed flow is sent with send_flow_rem
 * and forgotten when it expires.
 */
export class StaticStore {
  private readonly writes = new Set<Promise<unknown>>();
  private readonly follower: StaticFollower;
  /** Switches this instance is changing now, and the keys whose store changes wait for that to end. */
  private readonly busy = new Map<bigint, { n: number; skipped: Set<string> }>();
  private unfollow: (() => void) | undefined;

  constructor(private readonly deps: StaticStoreDeps) {
    this.follower = new StaticFollower(deps.flows, deps.kv, deps.log, (dpid, key) => this.deferred(dpid, key));
  }

  /** Load the stored state into the flow service (switches get it when they connect). */
  async open(): Promise<void> {
    const { kv, flows, log } = this.deps;
    if (this.deps.legacyJournal !== undefined) await importLegacyJournal(this.deps.legacyJournal, kv, log);
    let n = 0;
    const edits = new Map<bigint, { putFlows: DesiredFlow[]; putGroups: StaticGroupMod[]; putMeters: StaticMeterMod[] }>();
    const editOf = (dpid: bigint) => {
      let e = edits.get(dpid);
      if (e === undefined) edits.set(dpid, (e = { putFlows: [], putGroups: [], putMeters: [] }));
      return e;
    };
    // Keys are derived from the entry (a flow's slot), not trusted from the store: an entry written by an
    // older version, or imported, may be keyed differently, and is moved to its key now.
    const rekey: StoreOp[] = [];
    const stored = await kv.list();
    // From here on, changes other instances make (a networked store) reach the flow service and the switches.
    this.unfollow = this.deps.kv.watch('', (c) => void this.follower.enqueue([c.key]));
    for (const { key, value } of stored) {
      const [kind, dpidText] = key.split('/');
      try {
        const dpid = BigInt('0x' + dpidText);
        let want: string;
        if (kind === 'flow') {
          const d = desiredOfFlowMod(dpid, fromStored<FlowMod>(value), flows.tables);
          editOf(dpid).putFlows.push(d);
          want = flowKey(dpid, d.slot);
        } else if (kind === 'group') {
          const g = fromStored<GroupMod>(value);
          editOf(dpid).putGroups.push(g);
          want = groupKey(dpid, idOf(g.group_id));
        } else if (kind === 'meter') {
          const m = fromStored<MeterMod>(value);
          editOf(dpid).putMeters.push(m);
          want = meterKey(dpid, idOf(m.meter_id));
        } else continue;
        if (want !== key) rekey.push({ op: 'delete', key }, { op: 'put', key: want, value });
        n++;
      } catch (e) {
        log.warn({ key, err: String(e) }, 'skipping a stored entry that no longer decodes');
      }
    }
    if (rekey.length > 0) await kv.batch(rekey);
    for (const [dpid, e] of edits) flows.api.load(dpid, e);
    if (n > 0) log.info({ entries: n }, 'static flows, groups and meters loaded');
    flows.api.onExpired((dpid, f) => {
      this.record([{ op: 'delete', key: flowKey(dpid, f.slot) }]).catch((e: unknown) => log.warn({ switch: dpidToString(dpid), err: String(e) }, 'could not record an expired static flow'));
    });
  }

  flows(dpid: bigint): StaticFlowMod[] {
    return this.deps.flows.api.flows(dpid).map(flowModOfDesired);
  }
  groups(dpid: bigint): StaticGroupMod[] {
    return this.deps.flows.api.groups(dpid);
  }
  meters(dpid: bigint): StaticMeterMod[] {
    return this.deps.flows.api.meters(dpid);
  }
  /** Whether a flow the switch reports (table, priority, match) is one of the stored ones. */
  hasFlow(dpid: bigint, f: Pick<FlowStats, 'table_id' | 'priority' | 'match'>): boolean {
    const slot = slotOfStats(f, this.deps.flows.tables);
    return this.deps.flows.api.flows(dpid).some((d) => d.slot === slot);
  }

  /**
   * Send one flow_mod, group_mod or meter_mod, wait for the barrier, then
   * record the effect. Throws StaticInputError (nothing sent), CodecError
   * (the message does not encode; nothing sent), FlowConflictError (an
   * app's slot), OfpErrorReply (the switch refused; nothing recorded) or a
   * channel error.
   */
  async apply(dpid: bigint, msg: StaticChange): Promise<AppliedChange> {
    const b = this.busy.get(dpid) ?? { n: 0, skipped: new Set<string>() };
    this.busy.set(dpid, b);
    b.n++;
    try {
      return await this.applyNow(dpid, msg);
    } finally {
      if (--b.n === 0) {
        this.busy.delete(dpid);
        if (b.skipped.size > 0) void this.follower.enqueue([...b.skipped]);
      }
    }
  }

  /**
   * Whether a change of the store must wait because this instance is
   * changing the same switch: until its own write is recorded the flow
   * service is ahead of the store, and following the store would undo,
   * for a moment, what is being sent. The key is looked at again after.
   */
  private deferred(dpid: bigint, key: string): boolean {
    const b = this.busy.get(dpid);
    b?.skipped.add(key);
    return b !== undefined;
  }

  private async applyNow(dpid: bigint, msg: StaticChange): Promise<AppliedChange> {
    const api = this.deps.flows.api;
    if (msg.type === 'flow_mod') {
      if (msg.command === 'add') return this.addFlow(dpid, msg);
      const selected = api.flows(dpid).filter((f) => requestSelects(msg, flowModOfDesired(f)));
      const isDelete = msg.command === 'delete' || msg.command === 'delete_strict';
      const changed = isDelete ? [] : selected.map((f) => ({ ...f, instructions: msg.instructions, insKey: instructionsKey(msg.instructions) }));
      await api.change(dpid, [{ msg }], isDelete ? { dropFlows: selected } : { putFlows: changed });
      await this.record(isDelete ? selected.map((f) => ({ op: 'delete', key: flowKey(dpid, f.slot) })) : changed.map((f) => putFlow(dpid, f)));
      return { msg, stored: undefined };
    }
    if (msg.type === 'group_mod') {
      if (msg.command === 'add' || msg.command === 'modify') {
        const entry: StaticGroupMod = { ...msg, command: 'add' };
        await api.change(dpid, [{ msg }], { putGroups: [entry] });
        const stored = toJsonValue(entry) as JsonValue;
        await this.record([{ op: 'put', key: groupKey(dpid, idOf(msg.group_id)), value: stored }]);
        return { msg, stored: stored as Record<string, unknown> };
      }
      const ids = msg.group_id === 'all' ? api.groups(dpid).map((g) => idOf(g.group_id)) : [idOf(msg.group_id)];
      // Deleting a group removes the flows that forward to it (OF 1.3.5 §6.5); OFPG_ANY names no group.
      const gone = msg.group_id === 'any' ? [] : api.flows(dpid).filter((f) => forwardsToGroup(f.instructions, msg.group_id === 'all' ? 'all' : idOf(msg.group_id)));
      await this.changeAndRecord(dpid, msg, { dropGroups: ids, dropFlows: gone }, [...ids.map((id) => groupKey(dpid, id)), ...gone.map((f) => flowKey(dpid, f.slot))]);
      return { msg, stored: undefined };
    }
    if (msg.command === 'add' || msg.command === 'modify') {
      const entry: StaticMeterMod = { ...msg, command: 'add' };
      await api.change(dpid, [{ msg }], { putMeters: [entry] });
      const stored = toJsonValue(entry) as JsonValue;
      await this.record([{ op: 'put', key: meterKey(dpid, idOf(msg.meter_id)), value: stored }]);
      return { msg, stored: stored as Record<string, unknown> };
    }
    const ids = msg.meter_id === 'all' ? api.meters(dpid).map((m) => idOf(m.meter_id)) : [idOf(msg.meter_id)];
    const gone = api.flows(dpid).filter((f) => f.instructions.some((i) => i.type === 'meter' && (msg.meter_id === 'all' || i.meter_id === msg.meter_id)));
    await this.changeAndRecord(dpid, msg, { dropMeters: ids, dropFlows: gone }, [...ids.map((id) => meterKey(dpid, id)), ...gone.map((f) => flowKey(dpid, f.slot))]);
    return { msg, stored: undefined };
  }

  /** Resolves once every write started so far is on disk (expiries are recorded in the background). */
  async flushed(): Promise<void> {
    await Promise.all([...this.writes].map((p) => p.catch(() => {})));
  }

  /** Wait for writes in flight (the controller is stopping). */
  close(): Promise<void> {
    this.unfollow?.();
    return this.flushed();
  }

  private async addFlow(dpid: bigint, fm: StaticFlowMod): Promise<AppliedChange> {
    if ((fm.cookie & MAGIC_MASK) === MAGIC_COOKIE) {
      throw new StaticInputError(`cookie 0x${fm.cookie.toString(16)} carries the controller's own magic 0x5359 in its top 16 bits; pick another cookie`);
    }
    if (fm.table_id === 'all') throw new StaticInputError('a flow is added to one table: table_id "all" is only for deletes');
    let m: StaticFlowMod = { ...fm, match: canonicalMatch(fm.match) };
    // A flow that can expire must say so when it does, or it would be re-installed after it expired.
    if ((m.idle_timeout !== 0 || m.hard_timeout !== 0) && !m.flags.includes('send_flow_rem')) m = { ...m, flags: [...m.flags, 'send_flow_rem'] };
    let d: DesiredFlow;
    try {
      d = desiredOfFlowMod(dpid, m, this.deps.flows.tables);
    } catch (e) {
      if (e instanceof RangeError) throw new StaticInputError(e.message);
      throw e;
    }
    const send: ApiMessage = { msg: m, flow: d };
    await this.deps.flows.api.change(dpid, [send], { putFlows: [d] });
    const op = putFlow(dpid, d);
    await this.record([op]);
    return { msg: m, stored: op.value as Record<string, unknown> };
  }

  private async changeAndRecord(dpid: bigint, msg: StaticChange, edit: ApiEdit, deleted: readonly string[]): Promise<void> {
    await this.deps.flows.api.change(dpid, [{ msg }], edit);
    await this.record(deleted.map((key) => ({ op: 'delete', key })));
  }

  /**
   * Keep what was sent. When the store refuses (a cluster's etcd is away),
   * the switch already has the change but no other instance would know:
   * it is undone (the switch brought back to what the store holds) and the
   * caller hears 503.
   */
  private record(ops: readonly StoreOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    const p = this.deps.kv.batch(ops).then(
      () => undefined,
      async (e: unknown) => {
        if (e instanceof StoreUnavailableError) await this.follower.enqueue(ops.map((o) => o.key), true).catch(() => {});
        throw e;
      },
    );
    this.writes.add(p);
    void p.finally(() => this.writes.delete(p)).catch(() => {});
    return p;
  }
}

function putFlow(dpid: bigint, f: DesiredFlow): { op: 'put'; key: string; value: JsonValue } {
  return { op: 'put', key: flowKey(dpid, f.slot), value: toJsonValue(flowModOfDesired(f)) as JsonValue };
}
