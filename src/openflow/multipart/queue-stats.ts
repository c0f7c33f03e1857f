import { enumName, enumTable, enumValue } from '../enums.js';
import { readPortNo, writePortNo, type PortNo } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeUntilEnd, encodeEach, show } from './record.js';

/** OFPQ_ALL. */
export const QueueIdNames = enumTable('queue id', { all: 0xffffffff });
export type QueueId = number | 'all';

// ofp_queue_stats_request.queue_id, OF 1.3.5 §7.3.5.8: u32, OFPQ_ALL = 0xffffffff
export function readQueueId(r: Reader): QueueId {
  return enumName(QueueIdNames, r.u32('queue_id')) as QueueId;
}

// ofp_queue_stats_request.queue_id, OF 1.3.5 §7.3.5.8: u32, OFPQ_ALL = 0xffffffff
export function writeQueueId(w: Writer, q: QueueId): void {
  const v = enumValue(QueueIdNames, q);
  if (v === undefined) w.fail(`unknown queue id ${show(q)}; use a number or 'all'`);
  w.u32(v);
}

/** OFPMP_QUEUE request body (ofp_queue_stats_request, OF 1.3.5 §7.3.5.8). */
export interface QueueStatsRequest {
  readonly type: 'queue';
  /** 'any' for all ports. */
  readonly port_no: PortNo;
  /** 'all' for all queues of the port(s). */
  readonly queue_id: QueueId;
}

/** ofp_queue_stats, OF 1.3.5 §7.3.5.8. */
export interface QueueStats {
  readonly port_no: PortNo;
  readonly queue_id: QueueId;
  readonly tx_bytes: bigint;
  readonly tx_packets: bigint;
  readonly tx_errors: bigint;
  readonly duration_sec: number;
  readonly duration_nsec: number;
}

/** OFPMP_QUEUE reply body. */
export interface QueueStatsReply {
  readonly type: 'queue';
  readonly stats: readonly QueueStats[];
}

// ofp_queue_stats_request, OF 1.3.5 §7.3.5.8: port_no(4) queue_id(4)
export function decodeQueueStatsRequest(r: Reader): QueueStatsRequest {
  return { type: 'queue', port_no: readPortNo(r), queue_id: readQueueId(r) };
}

// ofp_queue_stats_request, OF 1.3.5 §7.3.5.8: port_no(4) queue_id(4)
export function encodeQueueStatsRequest(w: Writer, b: QueueStatsRequest): void {
  writePortNo(w, b.port_no);
  writeQueueId(w, b.queue_id);
}

// ofp_queue_stats, OF 1.3.5 §7.3.5.8: port_no(4) queue_id(4) tx_bytes(8) tx_packets(8) tx_errors(8)
// duration_sec(4) duration_nsec(4)
export function decodeQueueStats(r: Reader): QueueStats {
  return {
    port_no: readPortNo(r),
    queue_id: readQueueId(r),
    tx_bytes: r.u64('tx_bytes'),
    tx_packets: r.u64('tx_packets'),
    tx_errors: r.u64('tx_errors'),
    duration_sec: r.u32('duration_sec'),
    duration_nsec: r.u32('duration_nsec'),
  };
}

// ofp_queue_stats, OF 1.3.5 §7.3.5.8: port_no(4) queue_id(4) tx_bytes(8) tx_packets(8) tx_errors(8)
// duration_sec(4) duration_nsec(4)
export function encodeQueueStats(w: Writer, s: QueueStats): void {
  writePortNo(w, s.port_no);
  writeQueueId(w, s.queue_id);
  w.u64(s.tx_bytes);
  w.u64(s.tx_packets);
  w.u64(s.tx_errors);
  w.u32(s.duration_sec);
  w.u32(s.duration_nsec);
}

// OFPMP_QUEUE reply body, OF 1.3.5 §7.3.5.8: ofp_queue_stats[] (40 bytes each) to the end of the message
export function decodeQueueStatsReply(r: Reader): QueueStatsReply {
  return { type: 'queue', stats: decodeUntilEnd(r, decodeQueueStats) };
}

// OFPMP_QUEUE reply body, OF 1.3.5 §7.3.5.8: ofp_queue_stats[] (40 bytes each)
export function encodeQueueStatsReply(w: Writer, b: QueueStatsReply): void {
  encodeEach(w, b.stats, 'stats', encodeQueueStats);
}
