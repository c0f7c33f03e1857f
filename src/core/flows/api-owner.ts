import { FlowConflictError, type UnsentMessage } from './flow-errors.js';
import type { DesiredFlow } from './flow-spec.js';
import type { GroupEntry, MeterEntry, SwitchFlows } from './switch-state.js';

/** What the API's owner needs of the flow service. */
export interface ApiHost {
  list(h: { name: string }, dpid: bigint | undefined): DesiredFlow[];
  stateOf(dpid: bigint): SwitchFlows;
  allStates(): IterableIterator<[bigint, SwitchFlows]>;
  sendBatch(dpid: bigint, msgs: readonly { msg: UnsentMessage; flow?: DesiredFlow }[], owner: string): Promise<void>;
}

/** Changes to the API's desired state on one switch, applied together (and undone together if the switch refuses). */
export interface ApiEdit {
  readonly putFlows?: readonly DesiredFlow[];
  readonly dropFlows?: readonly DesiredFlow[];
  readonly putGroups?: readonly GroupEntry[];
  readonly dropGroups?: readonly number[];
  readonly putMeters?: readonly MeterEntry[];
  readonly dropMeters?: readonly number[];
}

/** A message to send; an add names the desired flow it realises, so a refusal drops exactly that entry. */
export interface ApiMessage {
  readonly msg: UnsentMessage;
  readonly flow?: DesiredFlow;
}

const idOf = (v: unknown): number => (typeof v === 'number' ? v : -1);

/**
 * The owner "api" inside the flow service: flows, groups and meters users
 * created (REST, Ryu's ofctl_rest). Unlike apps' flows they keep the users'
 * cookies and flags and are sent as given; they live in the same desired
 * state, so a reconnect replays them in the one order the service uses.
 * What a modify or delete selects is the caller's business (the static
 * store applies OpenFlow's selection rules and persists); this is the
 * mechanism: edit the desired state, send, confirm, undo on refusal.
 */
export class ApiFlowOwner {
  private readonly expiryListeners: ((dpid: bigint, f: DesiredFlow) => void)[] = [];

  constructor(private readonly svc: ApiHost) {}

  flows(dpid: bigint): DesiredFlow[] {
    return this.svc.list({ name: 'api' }, dpid);
  }
  groups(dpid: bigint): GroupEntry[] {
    return [...this.svc.stateOf(dpid).groups.values()];
  }
  meters(dpid: bigint): MeterEntry[] {
    return [...this.svc.stateOf(dpid).meters.values()];
  }
  /** Switches with any API state. */
  dpids(): bigint[] {
    const out: bigint[] = [];
    for (const [dpid, st] of this.svc.allStates()) if (st.groups.size + st.meters.size > 0 || this.flows(dpid).length > 0) out.push(dpid);
    return out;
  }

  /** A timed API flow expired (flow_removed, or missing at a reconcile): it is gone for good. */
  onExpired(fn: (dpid: bigint, f: DesiredFlow) => void): () => void {
    this.expiryListeners.push(fn);
    return () => {
      const i = this.expiryListeners.indexOf(fn);
      if (i >= 0) this.expiryListeners.splice(i, 1);
    };
  }

  /** State read back at start-up: desired, not sent (the switch gets it when it connects and is reconciled). */
  load(dpid: bigint, edit: ApiEdit): void {
    this.edit(this.svc.stateOf(dpid), edit);
  }

  /**
   * Edit the desired state, send `msgs` in one batch, and resolve once the
   * barrier confirmed them; if the switch refuses any, the edit is undone
   * and the decoded refusal thrown. An added flow whose slot an app holds
   * is refused before anything is sent.
   */
  async change(dpid: bigint, msgs: readonly ApiMessage[], edit: ApiEdit): Promise<void> {
    const st = this.svc.stateOf(dpid);
    for (const f of edit.putFlows ?? []) {
      const holder = st.desired.atSlot(f.slot);
      if (holder !== undefined && holder.owner !== 'api') {
        throw new FlowConflictError(`table ${f.tableId} priority ${f.priority} with this match holds a flow of the controller (owner "${holder.owner}"); an add would replace it. Use another priority or match.`);
      }
    }
    const undo = this.edit(st, edit);
    try {
      await this.svc.sendBatch(dpid, msgs, 'api');
    } catch (e) {
      undo();
      throw e;
    }
  }

  /** @internal from the flow service */
  expired(dpid: bigint, f: DesiredFlow): void {
    for (const fn of this.expiryListeners) fn(dpid, f);
  }

  private edit(st: SwitchFlows, e: ApiEdit): () => void {
    const restoreFlows: DesiredFlow[] = [];
    const removeFlows: DesiredFlow[] = [];
    for (const f of e.dropFlows ?? []) if (st.desired.forget(f)) restoreFlows.push(f);
    for (const f of e.putFlows ?? []) {
      const prev = st.desired.atSlot(f.slot);
      if (prev !== undefined) restoreFlows.push(prev);
      st.desired.put(f);
      removeFlows.push(f);
    }
    const groups = new Map(st.groups);
    const meters = new Map(st.meters);
    for (const id of e.dropGroups ?? []) st.groups.delete(id);
    for (const g of e.putGroups ?? []) st.groups.set(idOf(g.group_id), { ...g, command: 'add' });
    for (const id of e.dropMeters ?? []) st.meters.delete(id);
    for (const m of e.putMeters ?? []) st.meters.set(idOf(m.meter_id), { ...m, command: 'add' });
    return () => {
      for (const f of removeFlows) st.desired.forget(f);
      for (const f of restoreFlows) st.desired.put(f);
      st.groups.clear();
      for (const [k, v] of groups) st.groups.set(k, v);
      st.meters.clear();
      for (const [k, v] of meters) st.meters.set(k, v);
    };
  }
}

