import { decodeMessage, encodeMessage } from '../../openflow/codec.js';
import { OfpErrorReply } from '../../openflow/channel/errors.js';
import { dpidToString } from '../../openflow/common.js';
import { toJsonValue } from '../../openflow/json.js';
import type { OfpMessage } from '../../openflow/message.js';
import type { FlowMod } from '../../openflow/messages/flow-mod.js';
import type { GroupMod } from '../../openflow/messages/group-mod.js';
import type { MeterMod } from '../../openflow/messages/meter-mod.js';
import type { ApiEdit, ApiMessage } from '../flows/api-owner.js';
import { SwitchNotConnectedError, type FlowService } from '../flows/flow-service.js';
import { deleteStrictFlowMod, desiredOfFlowMod, flowModOfDesired } from '../flows/flow-spec.js';
import type { JsonValue, KvStore, StoreChange } from '../store/types.js';

export interface FollowLog {
  warn(obj: object, msg: string): void;
}

/** Decode a stored message (its JSON form) into the typed one: encoded and decoded once. */
export function fromStored<M extends OfpMessage>(v: JsonValue): Omit<M, 'xid'> {
  const { xid: _x, ...rest } = decodeMessage(encodeMessage({ ...(v as object), xid: 0 } as OfpMessage)) as M;
  return rest;
}

const text = (v: unknown): string => JSON.stringify(toJsonValue(v));
const idOf = (v: unknown): number => (typeof v === 'number' ? v : -1);

/**
 * Brings the API's desired state in the flow service to what the store
 * holds for one key, and sends the difference to the switch when it is
 * connected here (otherwise it gets it when it connects). Two callers: a
 * change another instance made (the watch), and this instance undoing a
 * change it sent but could not record (the store refused the write: the
 * store, not the switch, is the truth). A change that matches what the
 * flow service already has is this instance's own write coming back, and
 * does nothing.
 */
export class StaticFollower {
  private queue: Promise<void> = Promise.resolve();

  /**
   * `defer(dpid, key)`: true when this instance is itself changing that
   * switch (its flow service is ahead of the store until its write is
   * recorded); the key is then looked at again when that change is done.
   */
  constructor(
    private readonly flows: FlowService,
    private readonly kv: KvStore,
    private readonly log: FollowLog,
    private readonly defer: (dpid: bigint, key: string) => boolean = () => false,
  ) {}

  /**
   * Bring these keys to what the store holds when their turn comes (not
   * what it held when they changed: a change already overtaken is not
   * replayed), one batch at a time; deletes of flows first, adds of flows
   * last, so groups and meters exist for the flows that use them.
   */
  enqueue(keys: readonly string[], undo = false): Promise<void> {
    const run = this.queue.then(async () => {
      const now = await Promise.all(keys.map(async (key): Promise<StoreChange> => ({ key, value: await this.kv.get(key) })));
      const rank = (c: StoreChange): number => (c.key.startsWith('flow/') ? (c.value === undefined ? 0 : 3) : c.value === undefined ? 1 : 2);
      for (const c of now.sort((a, b) => rank(a) - rank(b))) await this.one(c.key, undo);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** `undo`: this instance takes back its own change (it is the one ahead of the store): never deferred. */
  private async one(key: string, undo: boolean): Promise<void> {
    const [kind, dpidText, ...rest] = key.split('/');
    const api = this.flows.api;
    let dpid: bigint;
    try {
      dpid = BigInt('0x' + dpidText);
    } catch {
      return;
    }
    // Read and decide in one turn of the event loop: nothing can change the flow service in between.
    const c: StoreChange = { key, value: await this.kv.get(key) };
    if (!undo && this.defer(dpid, key)) return;
    const id = Number(rest[0]);
    let msgs: ApiMessage[] = [];
    let edit: ApiEdit = {};
    try {
      if (kind === 'flow') {
        const slot = rest.join('/');
        const have = api.flows(dpid).find((f) => f.slot === slot);
        if (c.value === undefined) {
          if (have === undefined) return;
          msgs = [{ msg: deleteStrictFlowMod(have.tableId, have.priority, have.match, have.cookie, 0) }];
          edit = { dropFlows: [have] };
        } else {
          if (have !== undefined && text(flowModOfDesired(have)) === JSON.stringify(c.value)) return;
          const fm = fromStored<FlowMod>(c.value);
          const d = desiredOfFlowMod(dpid, fm, this.flows.tables);
          msgs = [{ msg: flowModOfDesired(d), flow: d }];
          edit = { putFlows: [d] };
        }
      } else if (kind === 'group' || kind === 'meter') {
        const list = kind === 'group' ? api.groups(dpid) : api.meters(dpid);
        const have = list.find((e) => idOf(kind === 'group' ? (e as GroupMod).group_id : (e as MeterMod).meter_id) === id);
        if (c.value === undefined) {
          if (have === undefined) return;
          msgs = [{ msg: { ...have, command: 'delete' } as ApiMessage['msg'] }];
          edit = kind === 'group' ? { dropGroups: [id] } : { dropMeters: [id] };
        } else {
          if (have !== undefined && text(have) === JSON.stringify(c.value)) return;
          const entry = kind === 'group' ? fromStored<GroupMod>(c.value) : fromStored<MeterMod>(c.value);
          msgs = [{ msg: { ...entry, command: have === undefined ? 'add' : 'modify' } as ApiMessage['msg'] }];
          edit = kind === 'group' ? { putGroups: [entry as Omit<GroupMod, 'xid'>] } : { putMeters: [entry as Omit<MeterMod, 'xid'>] };
        }
      } else return;
    } catch (e) {
      this.log.warn({ key: c.key, err: String(e) }, 'a stored static entry does not decode; ignored');
      return;
    }
    try {
      await api.change(dpid, msgs, edit);
    } catch (e) {
      // The switch refused it: it stays out (as when the instance that took the request was refused).
      // Otherwise (not connected here, or it left meanwhile) the desired state is enough: the switch gets it when it connects.
      if (!(e instanceof OfpErrorReply)) api.load(dpid, edit);
      if (!(e instanceof SwitchNotConnectedError)) this.log.warn({ switch: dpidToString(dpid), key: c.key, err: String(e) }, 'could not apply a static change made through another instance');
    }
  }
}
