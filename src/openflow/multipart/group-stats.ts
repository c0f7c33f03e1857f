import { readGroupId, writeGroupId, type GroupId } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeUntilEnd, encodeEach, needObject, peekLength } from './record.js';

/** OFPMP_GROUP request body (ofp_group_stats_request, OF 1.3.5 §7.3.5.9). */
export interface GroupStatsRequest {
  readonly type: 'group';
  /** 'all' for every group. */
  readonly group_id: GroupId;
}

/** ofp_bucket_counter, OF 1.3.5 §7.3.5.9. */
export interface BucketCounter {
  readonly packet_count: bigint;
  readonly byte_count: bigint;
}

/** ofp_group_stats, OF 1.3.5 §7.3.5.9. */
export interface GroupStats {
  readonly group_id: GroupId;
  /** Flows or groups forwarding to this group. */
  readonly ref_count: number;
  readonly packet_count: bigint;
  readonly byte_count: bigint;
  readonly duration_sec: number;
  readonly duration_nsec: number;
  /** One per bucket, in bucket order. */
  readonly bucket_stats: readonly BucketCounter[];
}

/** OFPMP_GROUP reply body. */
export interface GroupStatsReply {
  readonly type: 'group';
  readonly stats: readonly GroupStats[];
}

const FIXED_LEN = 40;

// ofp_group_stats_request, OF 1.3.5 §7.3.5.9: group_id(4) pad(4)
export function decodeGroupStatsRequest(r: Reader): GroupStatsRequest {
  const group_id = readGroupId(r);
  r.pad(4);
  return { type: 'group', group_id };
}

// ofp_group_stats_request, OF 1.3.5 §7.3.5.9: group_id(4) pad(4)
export function encodeGroupStatsRequest(w: Writer, b: GroupStatsRequest): void {
  writeGroupId(w, b.group_id);
  w.pad(4);
}

// ofp_bucket_counter, OF 1.3.5 §7.3.5.9: packet_count(8) byte_count(8)
function decodeBucketCounter(r: Reader): BucketCounter {
  return { packet_count: r.u64('packet_count'), byte_count: r.u64('byte_count') };
}

// ofp_bucket_counter, OF 1.3.5 §7.3.5.9: packet_count(8) byte_count(8)
function encodeBucketCounter(w: Writer, c: BucketCounter): void {
  w.u64(c.packet_count);
  w.u64(c.byte_count);
}

// ofp_group_stats, OF 1.3.5 §7.3.5.9: length(2) pad(2) group_id(4) ref_count(4) pad(4) packet_count(8)
// byte_count(8) duration_sec(4) duration_nsec(4) bucket_stats(length-40, 16 each)
export function decodeGroupStats(r: Reader): GroupStats {
  const saved = r.limit(peekLength(r, 0, FIXED_LEN, 'group_stats'), 'group_stats');
  r.pos += 2;
  r.pad(2);
  const group_id = readGroupId(r);
  const ref_count = r.u32('ref_count');
  r.pad(4);
  const packet_count = r.u64('packet_count');
  const byte_count = r.u64('byte_count');
  const duration_sec = r.u32('duration_sec');
  const duration_nsec = r.u32('duration_nsec');
  const bucket_stats = decodeUntilEnd(r, decodeBucketCounter);
  r.restore(saved, 'group_stats');
  return { group_id, ref_count, packet_count, byte_count, duration_sec, duration_nsec, bucket_stats };
}

// ofp_group_stats, OF 1.3.5 §7.3.5.9: length(2) pad(2) group_id(4) ref_count(4) pad(4) packet_count(8)
// byte_count(8) duration_sec(4) duration_nsec(4) bucket_stats
export function encodeGroupStats(w: Writer, s: GroupStats): void {
  needObject(w, s, 'group stats');
  const start = w.pos;
  const at = w.reserve16();
  w.pad(2);
  writeGroupId(w, s.group_id);
  w.u32(s.ref_count);
  w.pad(4);
  w.u64(s.packet_count);
  w.u64(s.byte_count);
  w.u32(s.duration_sec);
  w.u32(s.duration_nsec);
  encodeEach(w, s.bucket_stats, 'bucket_stats', encodeBucketCounter);
  w.patch16(at, start);
}

// OFPMP_GROUP reply body, OF 1.3.5 §7.3.5.9: ofp_group_stats[] to the end of the message
export function decodeGroupStatsReply(r: Reader): GroupStatsReply {
  return { type: 'group', stats: decodeUntilEnd(r, decodeGroupStats) };
}

// OFPMP_GROUP reply body, OF 1.3.5 §7.3.5.9: ofp_group_stats[]
export function encodeGroupStatsReply(w: Writer, b: GroupStatsReply): void {
  encodeEach(w, b.stats, 'stats', encodeGroupStats);
}
