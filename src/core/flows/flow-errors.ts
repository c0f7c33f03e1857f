import type { OfpMessage } from '../../openflow/message.js';
import { dpidToString } from '../../openflow/common.js';

/** A message before the channel gives it an xid. */
export type UnsentMessage = OfpMessage extends infer M ? (M extends OfpMessage ? Omit<M, 'xid'> : never) : never;

/** A flow would take a slot (table, priority, match) another owner holds. */
export class FlowConflictError extends Error {
  override readonly name = 'FlowConflictError';
}

export class SwitchNotConnectedError extends Error {
  override readonly name = 'SwitchNotConnectedError';
  constructor(readonly dpid: bigint) {
    super(`switch ${dpidToString(dpid)} is not connected`);
  }
}

/** In a cluster, another instance is this switch's master: only it changes the switch. */
export class NotMasterError extends Error {
  override readonly name = 'NotMasterError';
  constructor(readonly dpid: bigint) {
    super(`this instance is not the master of switch ${dpidToString(dpid)}; send the request to its master (GET /api/v1/cluster names it)`);
  }
}
