import {
  readGroupId, readPortNo, readTableId, writeGroupId, writePortNo, writeTableId,
  type GroupId, type PortNo, type TableId,
} from '../common.js';
import { readBits16, writeBits16 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { FlowModFlagBits } from '../messages/flow-mod.js';
import { decodeInstructions, encodeInstructions, type Instruction } from '../structs/instruction.js';
import { decodeMatch, encodeMatch, type Match } from '../structs/match.js';
import { decodeUntilEnd, encodeEach, needObject, peekLength } from './record.js';

/** Which flows an OFPMP_FLOW or OFPMP_AGGREGATE request selects. */
export interface FlowFilter {
  /** 'all' for every table. */
  readonly table_id: TableId;
  /** Only flows outputting to this port; 'any' for no restriction. */
  readonly out_port: PortNo;
  /** Only flows outputting to this group; 'any' for no restriction. */
  readonly out_group: GroupId;
  readonly cookie: bigint;
  /** Bits of cookie that must match; 0 for no restriction. */
  readonly cookie_mask: bigint;
  readonly match: Match;
}

/** OFPMP_FLOW request body. */
export interface FlowStatsRequest extends FlowFilter {
  readonly type: 'flow';
}

/** ofp_flow_stats, OF 1.3.5 §7.3.5.2: one flow entry. */
export interface FlowStats {
  readonly table_id: number;
  readonly duration_sec: number;
  readonly duration_nsec: number;
  readonly priority: number;
  readonly idle_timeout: number;
  readonly hard_timeout: number;
  /** flow_mod flag names: send_flow_rem, check_overlap, reset_counts, no_pkt_counts, no_byt_counts. */
  readonly flags: readonly string[];
  readonly cookie: bigint;
  readonly packet_count: bigint;
  readonly byte_count: bigint;
  readonly match: Match;
  readonly instructions: readonly Instruction[];
}

/** OFPMP_FLOW reply body. */
export interface FlowStatsReply {
  readonly type: 'flow';
  readonly flows: readonly FlowStats[];
}

// ofp_flow_stats_request / ofp_aggregate_stats_request, OF 1.3.5 §7.3.5.2-3: table_id(1) pad(3)
// out_port(4) out_group(4) pad(4) cookie(8) cookie_mask(8) match(ofp_match, padded to 8)
export function decodeFlowFilter(r: Reader): FlowFilter {
  const table_id = readTableId(r);
  r.pad(3);
  const out_port = readPortNo(r);
  const out_group = readGroupId(r);
  r.pad(4);
  const cookie = r.u64('cookie');
  const cookie_mask = r.u64('cookie_mask');
  const match = decodeMatch(r);
  return { table_id, out_port, out_group, cookie, cookie_mask, match };
}

// ofp_flow_stats_request / ofp_aggregate_stats_request, OF 1.3.5 §7.3.5.2-3: table_id(1) pad(3)
// out_port(4) out_group(4) pad(4) cookie(8) cookie_mask(8) match
export function encodeFlowFilter(w: Writer, f: FlowFilter): void {
  writeTableId(w, f.table_id);
  w.pad(3);
  writePortNo(w, f.out_port);
  writeGroupId(w, f.out_group);
  w.pad(4);
  w.u64(f.cookie);
  w.u64(f.cookie_mask);
  encodeMatch(w, f.match);
}

// ofp_flow_stats_request, OF 1.3.5 §7.3.5.2: see decodeFlowFilter
export function decodeFlowStatsRequest(r: Reader): FlowStatsRequest {
  return { type: 'flow', ...decodeFlowFilter(r) };
}

// ofp_flow_stats_request, OF 1.3.5 §7.3.5.2: see encodeFlowFilter
export function encodeFlowStatsRequest(w: Writer, b: FlowStatsRequest): void {
  encodeFlowFilter(w, b);
}

/** Fixed part plus the smallest ofp_match (an empty OXM match is 8 bytes with its padding). */
const FLOW_STATS_MIN_LEN = 48 + 8;

// ofp_flow_stats, OF 1.3.5 §7.3.5.2: length(2) table_id(1) pad(1) duration_sec(4) duration_nsec(4)
// priority(2) idle_timeout(2) hard_timeout(2) flags(2) pad(4) cookie(8) packet_count(8) byte_count(8)
// match(ofp_match, padded to 8) instructions(rest of length)
export function decodeFlowStats(r: Reader): FlowStats {
  const saved = r.limit(peekLength(r, 0, FLOW_STATS_MIN_LEN, 'flow_stats'), 'flow_stats');
  r.pos += 2;
  const table_id = r.u8('table_id');
  r.pad(1);
  const duration_sec = r.u32('duration_sec');
  const duration_nsec = r.u32('duration_nsec');
  const priority = r.u16('priority');
  const idle_timeout = r.u16('idle_timeout');
  const hard_timeout = r.u16('hard_timeout');
  const flags = readBits16(r, FlowModFlagBits);
  r.pad(4);
  const cookie = r.u64('cookie');
  const packet_count = r.u64('packet_count');
  const byte_count = r.u64('byte_count');
  const match = decodeMatch(r);
  const instructions = decodeInstructions(r, r.remaining);
  r.restore(saved, 'flow_stats');
  return {
    table_id, duration_sec, duration_nsec, priority, idle_timeout, hard_timeout, flags,
    cookie, packet_count, byte_count, match, instructions,
  };
}

// ofp_flow_stats, OF 1.3.5 §7.3.5.2: length(2) table_id(1) pad(1) duration_sec(4) duration_nsec(4)
// priority(2) idle_timeout(2) hard_timeout(2) flags(2) pad(4) cookie(8) packet_count(8) byte_count(8)
// match instructions
export function encodeFlowStats(w: Writer, f: FlowStats): void {
  needObject(w, f, 'flow stats');
  const start = w.pos;
  const at = w.reserve16();
  w.u8(f.table_id);
  w.pad(1);
  w.u32(f.duration_sec);
  w.u32(f.duration_nsec);
  w.u16(f.priority);
  w.u16(f.idle_timeout);
  w.u16(f.hard_timeout);
  writeBits16(w, FlowModFlagBits, f.flags);
  w.pad(4);
  w.u64(f.cookie);
  w.u64(f.packet_count);
  w.u64(f.byte_count);
  encodeMatch(w, f.match);
  encodeInstructions(w, f.instructions);
  w.patch16(at, start);
}

// OFPMP_FLOW reply body, OF 1.3.5 §7.3.5.2: ofp_flow_stats[] to the end of the message
export function decodeFlowStatsReply(r: Reader): FlowStatsReply {
  return { type: 'flow', flows: decodeUntilEnd(r, decodeFlowStats) };
}

// OFPMP_FLOW reply body, OF 1.3.5 §7.3.5.2: ofp_flow_stats[]
export function encodeFlowStatsReply(w: Writer, b: FlowStatsReply): void {
  encodeEach(w, b.flows, 'flows', encodeFlowStats);
}
