import { readGroupId, writeGroupId, type GroupId } from '../common.js';
import { enumTable, readEnum16, readEnum8, writeEnum16, writeEnum8 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeBuckets, encodeBuckets, type Bucket } from '../structs/bucket.js';

/** ofp_group_type (also used by group_desc and, as bits, group_features). */
export const GroupTypeNames = enumTable('group type', { all: 0, select: 1, indirect: 2, ff: 3 });
export type GroupType = 'all' | 'select' | 'indirect' | 'ff';

/** ofp_group_mod_command. */
export const GroupModCommandNames = enumTable('group_mod command', { add: 0, modify: 1, delete: 2 });
export type GroupModCommand = 'add' | 'modify' | 'delete';

/** OFPT_GROUP_MOD, OF 1.3.5 §7.3.4.2. */
export interface GroupMod {
  readonly type: 'group_mod';
  readonly xid: number;
  readonly command: GroupModCommand | number;
  /** ofp_group_mod.type, renamed: `type` is the message type. */
  readonly group_type: GroupType | number;
  readonly group_id: GroupId;
  readonly buckets: readonly Bucket[];
}

// ofp_group_mod, OF 1.3.5 §7.3.4.2: command(2) type(1) pad(1) group_id(4) buckets(rest)
export function decodeGroupMod(r: Reader, xid: number): GroupMod {
  const command = readEnum16(r, GroupModCommandNames) as GroupModCommand | number;
  const group_type = readEnum8(r, GroupTypeNames) as GroupType | number;
  r.pad(1);
  const group_id = readGroupId(r);
  const buckets = decodeBuckets(r);
  return { type: 'group_mod', xid, command, group_type, group_id, buckets };
}

// ofp_group_mod, OF 1.3.5 §7.3.4.2: command(2) type(1) pad(1) group_id(4) buckets
export function encodeGroupMod(w: Writer, m: GroupMod): void {
  writeEnum16(w, GroupModCommandNames, m.command);
  writeEnum8(w, GroupTypeNames, m.group_type);
  w.pad(1);
  writeGroupId(w, m.group_id);
  encodeBuckets(w, m.buckets);
}
