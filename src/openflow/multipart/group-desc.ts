import { readGroupId, writeGroupId, type GroupId } from '../common.js';
import { readEnum8, writeEnum8 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { GroupTypeNames, type GroupType } from '../messages/group-mod.js';
import { decodeBuckets, encodeBuckets, type Bucket } from '../structs/bucket.js';
import { decodeUntilEnd, encodeEach, needObject, peekLength } from './record.js';

/** ofp_group_desc, OF 1.3.5 §7.3.5.10: one group's configuration. */
export interface GroupDesc {
  /** ofp_group_desc.type, named as in group_mod. */
  readonly group_type: GroupType | number;
  readonly group_id: GroupId;
  readonly buckets: readonly Bucket[];
}

/** OFPMP_GROUP_DESC reply body; the request has no body. */
export interface GroupDescReply {
  readonly type: 'group_desc';
  readonly groups: readonly GroupDesc[];
}

const FIXED_LEN = 8;

// ofp_group_desc, OF 1.3.5 §7.3.5.10: length(2) type(1) pad(1) group_id(4) buckets(length-8)
export function decodeGroupDesc(r: Reader): GroupDesc {
  const saved = r.limit(peekLength(r, 0, FIXED_LEN, 'group_desc'), 'group_desc');
  r.pos += 2;
  const group_type = readEnum8(r, GroupTypeNames) as GroupType | number;
  r.pad(1);
  const group_id = readGroupId(r);
  const buckets = decodeBuckets(r);
  r.restore(saved, 'group_desc');
  return { group_type, group_id, buckets };
}

// ofp_group_desc, OF 1.3.5 §7.3.5.10: length(2) type(1) pad(1) group_id(4) buckets
export function encodeGroupDesc(w: Writer, g: GroupDesc): void {
  needObject(w, g, 'group desc');
  const start = w.pos;
  const at = w.reserve16();
  writeEnum8(w, GroupTypeNames, g.group_type);
  w.pad(1);
  writeGroupId(w, g.group_id);
  encodeBuckets(w, g.buckets);
  w.patch16(at, start);
}

// OFPMP_GROUP_DESC reply body, OF 1.3.5 §7.3.5.10: ofp_group_desc[] to the end of the message
export function decodeGroupDescReply(r: Reader): GroupDescReply {
  return { type: 'group_desc', groups: decodeUntilEnd(r, decodeGroupDesc) };
}

// OFPMP_GROUP_DESC reply body, OF 1.3.5 §7.3.5.10: ofp_group_desc[]
export function encodeGroupDescReply(w: Writer, b: GroupDescReply): void {
  encodeEach(w, b.groups, 'groups', encodeGroupDesc);
}
