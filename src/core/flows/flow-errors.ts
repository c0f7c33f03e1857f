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
