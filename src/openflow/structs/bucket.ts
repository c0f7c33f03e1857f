import { readGroupId, readPortNo, writeGroupId, writePortNo, type GroupId, type PortNo } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeActions, encodeActions, type Action } from './action.js';
import { decodeUntilEnd, encodeEach, needObject, peekLength } from '../multipart/record.js';

/** ofp_bucket, OF 1.3.5 §7.3.4.2: one action set of a group (group_mod, group_desc). */
export interface Bucket {
  /** Relative weight for select groups; 0 for the other types. */
  readonly weight: number;
  /** Liveness port for fast-failover groups; 'any' when unused. */
  readonly watch_port: PortNo;
  /** Liveness group for fast-failover groups; 'any' when unused. */
  readonly watch_group: GroupId;
  readonly actions: readonly Action[];
}

const BUCKET_LEN = 16;

// ofp_bucket, OF 1.3.5 §7.3.4.2: len(2) weight(2) watch_port(4) watch_group(4) pad(4) actions(len-16)
export function decodeBucket(r: Reader): Bucket {
  const saved = r.limit(peekLength(r, 0, BUCKET_LEN, 'bucket'), 'bucket');
  r.u16('bucket len');
  const weight = r.u16('weight');
  const watch_port = readPortNo(r);
  const watch_group = readGroupId(r);
  r.pad(4);
  const actions = decodeActions(r, r.remaining);
  r.restore(saved, 'bucket');
  return { weight, watch_port, watch_group, actions };
}

// ofp_bucket, OF 1.3.5 §7.3.4.2: len(2) weight(2) watch_port(4) watch_group(4) pad(4) actions
export function encodeBucket(w: Writer, b: Bucket): void {
  needObject(w, b, 'bucket');
  const start = w.pos;
  const at = w.reserve16();
  w.u16(b.weight);
  writePortNo(w, b.watch_port);
  writeGroupId(w, b.watch_group);
  w.pad(4);
  encodeActions(w, b.actions);
  w.patch16(at, start);
}

// ofp_bucket[], OF 1.3.5 §7.3.4.2: len(2)-prefixed buckets to the end of the group_mod / group_desc
export function decodeBuckets(r: Reader): Bucket[] {
  return decodeUntilEnd(r, decodeBucket);
}

// ofp_bucket[], OF 1.3.5 §7.3.4.2: len(2)-prefixed buckets
export function encodeBuckets(w: Writer, buckets: readonly Bucket[]): void {
  encodeEach(w, buckets, 'buckets', encodeBucket);
}
