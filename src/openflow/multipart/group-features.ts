import { bitTable, readBits32, writeBits32 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { ActionTypeCodes } from '../structs/action.js';
import { needList, show } from './record.js';

/** Group types as bits (1 << ofp_group_type). */
export const GroupTypeBits = bitTable('group types', { all: 1, select: 2, indirect: 4, ff: 8 });
/** ofp_group_capabilities. */
export const GroupCapabilityBits = bitTable('group capabilities', {
  select_weight: 1, select_liveness: 2, chaining: 4, chaining_checks: 8,
});
/** Action types as bits (1 << ofp_action_type); experimenter (0xffff) has no bit. */
export const ActionTypeBits = bitTable(
  'action types',
  Object.fromEntries(
    Object.entries(ActionTypeCodes).filter(([, code]) => code < 32).map(([name, code]) => [name, 2 ** code]),
  ),
);

/** OFPMP_GROUP_FEATURES reply body (ofp_group_features, OF 1.3.5 §7.3.5.11); the request has no body. */
export interface GroupFeaturesReply {
  readonly type: 'group_features';
  /** Supported group types: 'all' | 'select' | 'indirect' | 'ff'. */
  readonly types: readonly string[];
  readonly capabilities: readonly string[];
  /** Four entries, indexed by group type (all, select, indirect, ff). */
  readonly max_groups: readonly number[];
  /** Four lists of supported action type names, indexed by group type (all, select, indirect, ff). */
  readonly actions: readonly (readonly string[])[];
}

const GROUP_TYPE_COUNT = 4;

function needFour(w: Writer, v: unknown, what: string): void {
  needList(w, v, what);
  if ((v as unknown[]).length !== GROUP_TYPE_COUNT) {
    w.fail(`${what} must have exactly 4 entries (all, select, indirect, ff), got ${show((v as unknown[]).length)}`);
  }
}

// ofp_group_features, OF 1.3.5 §7.3.5.11: types(4) capabilities(4) max_groups(4x4) actions(4x4)
export function decodeGroupFeaturesReply(r: Reader): GroupFeaturesReply {
  const types = readBits32(r, GroupTypeBits);
  const capabilities = readBits32(r, GroupCapabilityBits);
  const max_groups: number[] = [];
  for (let i = 0; i < GROUP_TYPE_COUNT; i++) max_groups.push(r.u32('max_groups'));
  const actions: string[][] = [];
  for (let i = 0; i < GROUP_TYPE_COUNT; i++) actions.push(readBits32(r, ActionTypeBits));
  return { type: 'group_features', types, capabilities, max_groups, actions };
}

// ofp_group_features, OF 1.3.5 §7.3.5.11: types(4) capabilities(4) max_groups(4x4) actions(4x4)
export function encodeGroupFeaturesReply(w: Writer, b: GroupFeaturesReply): void {
  writeBits32(w, GroupTypeBits, b.types);
  writeBits32(w, GroupCapabilityBits, b.capabilities);
  needFour(w, b.max_groups, 'max_groups');
  for (const n of b.max_groups) w.u32(n);
  needFour(w, b.actions, 'actions');
  for (const names of b.actions) writeBits32(w, ActionTypeBits, names);
}
