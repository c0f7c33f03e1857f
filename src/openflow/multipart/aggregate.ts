import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeFlowFilter, encodeFlowFilter, type FlowFilter } from './flow-stats.js';

/** OFPMP_AGGREGATE request body: the same flow selection as OFPMP_FLOW. */
export interface AggregateRequest extends FlowFilter {
  readonly type: 'aggregate';
}

/** OFPMP_AGGREGATE reply body (ofp_aggregate_stats_reply, OF 1.3.5 §7.3.5.3). */
export interface AggregateReply {
  readonly type: 'aggregate';
  readonly packet_count: bigint;
  readonly byte_count: bigint;
  readonly flow_count: number;
}

// ofp_aggregate_stats_request, OF 1.3.5 §7.3.5.3: same 32 bytes + match as ofp_flow_stats_request
export function decodeAggregateRequest(r: Reader): AggregateRequest {
  return { type: 'aggregate', ...decodeFlowFilter(r) };
}

// ofp_aggregate_stats_request, OF 1.3.5 §7.3.5.3: same 32 bytes + match as ofp_flow_stats_request
export function encodeAggregateRequest(w: Writer, b: AggregateRequest): void {
  encodeFlowFilter(w, b);
}

// ofp_aggregate_stats_reply, OF 1.3.5 §7.3.5.3: packet_count(8) byte_count(8) flow_count(4) pad(4)
export function decodeAggregateReply(r: Reader): AggregateReply {
  const packet_count = r.u64('packet_count');
  const byte_count = r.u64('byte_count');
  const flow_count = r.u32('flow_count');
  r.pad(4);
  return { type: 'aggregate', packet_count, byte_count, flow_count };
}

// ofp_aggregate_stats_reply, OF 1.3.5 §7.3.5.3: packet_count(8) byte_count(8) flow_count(4) pad(4)
export function encodeAggregateReply(w: Writer, b: AggregateReply): void {
  w.u64(b.packet_count);
  w.u64(b.byte_count);
  w.u32(b.flow_count);
  w.pad(4);
}
