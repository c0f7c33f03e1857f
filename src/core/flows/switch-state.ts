import type { OfpErrorReply } from '../../openflow/channel/errors.js';
import type { GroupMod } from '../../openflow/messages/group-mod.js';
import type { MeterMod } from '../../openflow/messages/meter-mod.js';
import { DesiredCache } from './desired-cache.js';
import type { DesiredFlow } from './flow-spec.js';

export type GroupEntry = Omit<GroupMod, 'xid'>;
export type MeterEntry = Omit<MeterMod, 'xid'>;

/** A batch in flight: its xids, and the first error the switch sent for one of them. */
export class Batch {
  readonly xids: number[] = [];
  error: OfpErrorReply | undefined;
  unsent = 0;
}

/** What an xid in flight stands for, so an OFPT_ERROR finds its flow and owner. */
export interface InflightOp {
  readonly batch: Batch;
  readonly kind: string;
  readonly owner: string | null;
  readonly flow: DesiredFlow | undefined;
}

export interface ReconcileReport {
  readonly added: number;
  readonly removed: number;
  readonly kept: number;
  readonly forgotten: number;
  /** Groups and meters added or modified to match the desired ones. */
  readonly groups: number;
  readonly meters: number;
}

/**
 * Everything desired on one switch, by every owner: flows (apps' and the
 * API's, one per slot), and the API's groups and meters (command "add"
 * form, by id). Survives disconnects so a reconnect is reconciled to it.
 */
export class SwitchFlows {
  readonly desired = new DesiredCache();
  readonly groups = new Map<number, GroupEntry>();
  readonly meters = new Map<number, MeterEntry>();
  readonly inflight = new Map<number, InflightOp>();
  reconciling: Promise<ReconcileReport | undefined> | undefined;
}
