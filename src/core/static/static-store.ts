import { join } from 'node:path';
import { decodeMessage, encodeMessage } from '../../openflow/codec.js';
import { dpidToString } from '../../openflow/common.js';
import { toJsonValue } from '../../openflow/json.js';
import type { OfpMessage } from '../../openflow/message.js';
import type { FlowMod } from '../../openflow/messages/flow-mod.js';
import type { GroupMod } from '../../openflow/messages/group-mod.js';
import type { MeterMod } from '../../openflow/messages/meter-mod.js';
import type { FlowRemoved } from '../../openflow/messages/flow-removed.js';
import type { FlowStats } from '../../openflow/multipart/flow-stats.js';
import { OfpErrorReply } from '../../openflow/channel/errors.js';
import type { SwitchRecord, SwitchRegistry } from '../switches.js';
import type { FlowService, UnsentMessage } from '../flows/flow-service.js';
import { MAGIC_COOKIE, MAGIC_MASK } from '../flows/cookie.js';
import { instructionsKey } from '../flows/flow-spec.js';
import { Journal } from './journal.js';
import { flowSlot, forwardsToGroup, requestSelects } from './flow-filter.js';

export type StaticFlowMod = Omit<FlowMod, 'xid'>;
export type StaticGroupMod = Omit<GroupMod, 'xid'>;
export type StaticMeterMod = Omit<MeterMod, 'xid'>;
export type StaticChange = StaticFlowMod | StaticGroupMod | StaticMeterMod;

/** What apply() did. */
export interface AppliedChange {
  /** The message as sent: canonical, with what the store adds (send_flow_rem on a timed flow). */
  readonly msg: StaticChange;
  /**
   * For an add (or a group or meter modify), the stored entry in its JSON form (toJsonValue: bigints as decimal
   * strings), exactly what the journal holds: a caller answering with the flow reuses it instead of converting again.
   */
  readonly stored: Readonly<Record<string, unknown>> | undefined;
}

/** A change the store refuses before anything is sent (the API answers 400). */
export class StaticInputError extends Error {
  override readonly name = 'StaticInputError';
}

type Kind = 'flow' | 'group' | 'meter';
interface Record_ {
  readonly op: 'put' | 'del';
  readonly kind: Kind;
  readonly dpid: string;
  readonly key: string;
  readonly msg?: unknown;
}

class SwitchState {
  readonly flows = new Map<string, StaticFlowMod>();
  readonly groups = new Map<string, StaticGroupMod>();
  readonly meters = new Map<string, StaticMeterMod>();
}

export interface StaticStoreLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Encode and decode once: one canonical typed form (bigints, names) whatever JSON it came from. */
function canonical<M extends OfpMessage>(m: Omit<M, 'xid'>): M {
  return decodeMessage(encodeMessage({ ...m, xid: 0 } as OfpMessage)) as M;
}

/**
 * The form apply() works on: encoded once (the codec's checks; throws
 * CodecError) and decoded back. A caller that validates by encoding anyway
 * calls this instead and hands the result to applyCanonical(), so the
 * message is encoded once, not twice.
 */
export function canonicalChange<M extends StaticChange>(m: M): M {
  return stripXid(canonical<OfpMessage>(m as UnsentMessage) as FlowMod | GroupMod | MeterMod) as M;
}

/** Where a stored message lives in its map: the flow's slot, the group or meter id. */
function keyOf(m: StaticFlowMod | StaticGroupMod | StaticMeterMod): string | undefined {
  if (m.type === 'flow_mod') return m.command === 'add' ? flowSlot(m) : undefined;
  return m.type === 'group_mod' ? String(m.group_id) : String(m.meter_id);
}

function stripXid<M extends { xid: number }>(m: M): Omit<M, 'xid'> {
  const { xid: _xid, ...rest } = m;
  return rest;
}

/**
 * Flows, groups and meters users created through the API (static state, as
 * Floodlight's static flow pusher keeps it): each change goes to the switch
 * first and is recorded only once the switch confirmed it; the record is on
 * disk before the caller hears back; a switch that (re)connects gets all of
 * it back, groups and meters before the flows that use them. Flows carrying
 * the controller's cookie magic belong to the flow service and are refused.
 * A flow with a timeout is forgotten once it expires (it is sent with
 * send_flow_rem so the switch says so); one deleted behind the store's back
 * (ovs-ofctl del-flows) comes back at the next reconnect.
 */
export class StaticStore {
  private readonly states = new Map<bigint, SwitchState>();
  private readonly journal: Journal<Record_>;

  constructor(
    private readonly deps: { readonly switches: SwitchRegistry; readonly flows: FlowService; readonly log: StaticStoreLog },
    stateDir: string,
  ) {
    this.journal = new Journal(join(stateDir, 'static.jsonl'));
  }

  /** Replay the journal, compact it, and re-install on every switch that comes up from now on. */
  async open(): Promise<void> {
    const loaded = await this.journal.load();
    for (const r of loaded) {
      let dpid: bigint;
      try {
        dpid = BigInt('0x' + r.dpid);
      } catch {
        continue;
      }
      const map = this.mapOf(this.state(dpid), r.kind);
      if (map === undefined) continue;
      if (r.op === 'del') map.delete(r.key);
      else {
        try {
          const m = stripXid(canonical(r.msg as OfpMessage)) as StaticFlowMod | StaticGroupMod | StaticMeterMod;
          // The key from the message, not the file: a file written by an older version may key slots differently.
          (map as Map<string, unknown>).set(keyOf(m) ?? r.key, m);
        } catch (e) {
          this.deps.log.warn({ switch: r.dpid, kind: r.kind, err: String(e) }, 'skipping a stored entry that no longer encodes');
        }
      }
    }
    if (loaded.length > 0) await this.journal.rewrite(this.records());
    const counts = [...this.states.values()].reduce((n, s) => n + s.flows.size + s.groups.size + s.meters.size, 0);
    if (counts > 0) this.deps.log.info({ entries: counts, file: this.journal.file }, 'static flows, groups and meters loaded');
    this.deps.switches.onSwitchUp((sw) => {
      this.reinstall(sw).catch((e: unknown) => this.deps.log.warn({ switch: sw.id, err: String(e) }, 'could not re-install static flows'));
    });
    this.deps.switches.onMessage((sw, msg) => {
      if (msg.type === 'flow_removed') this.flowRemoved(sw.dpid, msg);
    });
    for (const sw of this.deps.switches.all()) void this.reinstall(sw).catch(() => {});
  }

  flows(dpid: bigint): StaticFlowMod[] {
    return [...(this.states.get(dpid)?.flows.values() ?? [])];
  }
  groups(dpid: bigint): StaticGroupMod[] {
    return [...(this.states.get(dpid)?.groups.values() ?? [])];
  }
  meters(dpid: bigint): StaticMeterMod[] {
    return [...(this.states.get(dpid)?.meters.values() ?? [])];
  }
  /** Whether a flow the switch reports (table, priority, match) is one of the stored ones. */
  hasFlow(dpid: bigint, f: Pick<FlowMod, 'table_id' | 'priority' | 'match'>): boolean {
    return this.states.get(dpid)?.flows.has(flowSlot(f)) ?? false;
  }

  /**
   * Send one flow_mod, group_mod or meter_mod, wait for the barrier, then
   * record the effect. Throws StaticInputError (nothing sent), OfpErrorReply
   * (the switch refused; nothing recorded) or a channel error.
   */
  async apply(dpid: bigint, msg: StaticChange): Promise<AppliedChange> {
    // Checks run on the canonical form: the caller's object may come from JSON with fields left to the codec's defaults.
    return this.applyCanonical(dpid, canonicalChange(msg));
  }

  /** apply() for a message already in canonical form (canonicalChange's result, or a decoded message without its xid). */
  async applyCanonical(dpid: bigint, msg: StaticChange): Promise<AppliedChange> {
    let m = msg;
    if (m.type === 'flow_mod' && m.command === 'add') {
      if ((m.cookie & MAGIC_MASK) === MAGIC_COOKIE) {
        throw new StaticInputError(`cookie 0x${m.cookie.toString(16)} carries the controller's own magic 0x5359 in its top 16 bits; pick another cookie`);
      }
      if (m.table_id === 'all') throw new StaticInputError('a flow is added to one table: table_id "all" is only for deletes');
      // A flow that can expire must say so when it does, or it would be re-installed after it expired.
      if ((m.idle_timeout !== 0 || m.hard_timeout !== 0) && !m.flags.includes('send_flow_rem')) m = { ...m, flags: [...m.flags, 'send_flow_rem'] };
    }
    await this.deps.flows.sendConfirmed(dpid, [m as UnsentMessage], 'api');
    const changes = this.record(dpid, m);
    await Promise.all(changes.map((c) => this.journal.append(c)));
    const isAdd = m.type === 'flow_mod' ? m.command === 'add' : m.command === 'add' || m.command === 'modify';
    const put = isAdd ? changes.find((c) => c.op === 'put') : undefined;
    return { msg: m, stored: put?.msg as Record<string, unknown> | undefined };
  }

  /** Finish pending journal writes and let go of the file (the controller is stopping). */
  close(): Promise<void> {
    return this.journal.close();
  }

  /** The switch state after a confirmed message, as the switch applies it (OF 1.3.5 §6.4, §6.5, §6.6). */
  private record(dpid: bigint, m: StaticFlowMod | StaticGroupMod | StaticMeterMod): Record_[] {
    const st = this.state(dpid);
    const id = dpidToString(dpid);
    const out: Record_[] = [];
    const put = (kind: Kind, key: string, v: object): void => {
      (this.mapOf(st, kind) as Map<string, unknown>).set(key, v);
      out.push({ op: 'put', kind, dpid: id, key, msg: toJsonValue(v) });
    };
    const del = (kind: Kind, key: string): void => {
      if (this.mapOf(st, kind)!.delete(key)) out.push({ op: 'del', kind, dpid: id, key });
    };
    if (m.type === 'flow_mod') {
      if (m.command === 'add') put('flow', flowSlot(m), { ...m, cookie_mask: 0n, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any' });
      else if (m.command === 'modify' || m.command === 'modify_strict') {
        for (const [key, f] of st.flows) {
          if (!requestSelects(m, f)) continue;
          put('flow', key, { ...f, instructions: m.instructions });
        }
      } else if (m.command === 'delete' || m.command === 'delete_strict') {
        for (const [key, f] of st.flows) if (requestSelects(m, f)) del('flow', key);
      }
    } else if (m.type === 'group_mod') {
      const key = String(m.group_id);
      if (m.command === 'add' || m.command === 'modify') put('group', key, { ...m, command: 'add' });
      else if (m.command === 'delete') {
        for (const k of m.group_id === 'all' ? [...st.groups.keys()] : [key]) del('group', k);
        // Deleting a group removes the flows that forward to it (OF 1.3.5 §6.5); OFPG_ANY names no group.
        const gone = m.group_id;
        if (gone !== 'any') for (const [fk, f] of st.flows) if (forwardsToGroup(f.instructions, gone)) del('flow', fk);
      }
    } else {
      const key = String(m.meter_id);
      if (m.command === 'add' || m.command === 'modify') put('meter', key, { ...m, command: 'add' });
      else if (m.command === 'delete') {
        for (const k of m.meter_id === 'all' ? [...st.meters.keys()] : [key]) del('meter', k);
        for (const [fk, f] of st.flows) {
          if (f.instructions.some((i) => i.type === 'meter' && (m.meter_id === 'all' || i.meter_id === m.meter_id))) del('flow', fk);
        }
      }
    }
    return out;
  }

  /**
   * Put a (re)connected switch back in the stored state; a group or meter
   * that survived on the switch is modified instead. Flows the switch still
   * holds unchanged are left alone (an add would reset their counters and
   * timers); a timed flow it no longer holds expired while nobody listened,
   * so it is forgotten rather than brought back.
   */
  private async reinstall(sw: SwitchRecord): Promise<void> {
    const st = this.states.get(sw.dpid);
    if (st === undefined || st.flows.size + st.groups.size + st.meters.size === 0) return;
    for (const g of st.groups.values()) await this.addOrModify(sw.dpid, g, 'group_exists');
    for (const m of st.meters.values()) await this.addOrModify(sw.dpid, m, 'meter_exists');
    if (st.flows.size === 0) return;
    const present = await this.presentFlows(sw);
    const send: StaticFlowMod[] = [];
    const forget: string[] = [];
    for (const [key, f] of st.flows) {
      const p = present?.get(key);
      if (p !== undefined && p.cookie === f.cookie && p.idle_timeout === f.idle_timeout && p.hard_timeout === f.hard_timeout &&
        instructionsKey(p.instructions) === instructionsKey(f.instructions)) continue;
      if (present !== undefined && p === undefined && (f.idle_timeout !== 0 || f.hard_timeout !== 0)) forget.push(key);
      else send.push(f);
    }
    if (forget.length > 0) await Promise.all(forget.map((key) => this.forgetFlow(sw.dpid, key)));
    if (send.length > 0) await this.deps.flows.sendConfirmed(sw.dpid, send, 'api');
    this.deps.log.info({ switch: sw.id, flows: send.length, kept: st.flows.size - send.length, expired: forget.length, groups: st.groups.size, meters: st.meters.size }, 'static flows re-installed');
  }

  /** The switch's flows by slot, or undefined when it would not say (then everything is re-added). */
  private async presentFlows(sw: SwitchRecord): Promise<Map<string, FlowStats> | undefined> {
    try {
      const bodies = await sw.link.multipart({ type: 'flow', table_id: 'all', out_port: 'any', out_group: 'any', cookie: 0n, cookie_mask: 0n, match: [] });
      const out = new Map<string, FlowStats>();
      for (const b of bodies) if (b.type === 'flow') for (const f of b.flows) out.set(flowSlot(f), f);
      return out;
    } catch (e) {
      this.deps.log.warn({ switch: sw.id, err: String(e) }, 'flow dump before re-installing static flows failed; re-adding them all');
      return undefined;
    }
  }

  /** A stored flow that expired (idle or hard timeout) is gone for good; one deleted by someone else is re-installed later. */
  private flowRemoved(dpid: bigint, msg: FlowRemoved): void {
    if (msg.reason !== 'idle_timeout' && msg.reason !== 'hard_timeout') return;
    const key = flowSlot(msg);
    const f = this.states.get(dpid)?.flows.get(key);
    if (f === undefined || f.cookie !== msg.cookie) return;
    this.forgetFlow(dpid, key).catch((e: unknown) => this.deps.log.warn({ switch: dpidToString(dpid), err: String(e) }, 'could not record an expired static flow'));
  }

  private forgetFlow(dpid: bigint, key: string): Promise<void> {
    if (!this.states.get(dpid)?.flows.delete(key)) return Promise.resolve();
    return this.journal.append({ op: 'del', kind: 'flow', dpid: dpidToString(dpid), key });
  }

  private async addOrModify(dpid: bigint, m: StaticGroupMod | StaticMeterMod, exists: string): Promise<void> {
    try {
      await this.deps.flows.sendConfirmed(dpid, [m], 'api');
    } catch (e) {
      if (!(e instanceof OfpErrorReply) || e.code !== exists) throw e;
      await this.deps.flows.sendConfirmed(dpid, [{ ...m, command: 'modify' } as StaticGroupMod | StaticMeterMod], 'api');
    }
  }

  private records(): Record_[] {
    const out: Record_[] = [];
    for (const [dpid, st] of this.states) {
      const id = dpidToString(dpid);
      for (const kind of ['group', 'meter', 'flow'] as const) {
        for (const [key, v] of this.mapOf(st, kind)!) out.push({ op: 'put', kind, dpid: id, key, msg: toJsonValue(v) });
      }
    }
    return out;
  }

  private mapOf(st: SwitchState, kind: Kind): Map<string, object> | undefined {
    return kind === 'flow' ? st.flows : kind === 'group' ? st.groups : kind === 'meter' ? st.meters : undefined;
  }

  private state(dpid: bigint): SwitchState {
    let st = this.states.get(dpid);
    if (st === undefined) this.states.set(dpid, (st = new SwitchState()));
    return st;
  }
}
