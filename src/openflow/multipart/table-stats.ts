import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeUntilEnd, encodeEach } from './record.js';

/** ofp_table_stats, OF 1.3.5 §7.3.5.4. */
export interface TableStats {
  readonly table_id: number;
  readonly active_count: number;
  readonly lookup_count: bigint;
  readonly matched_count: bigint;
}

/** OFPMP_TABLE reply body; the request has no body. */
export interface TableStatsReply {
  readonly type: 'table';
  readonly tables: readonly TableStats[];
}

// ofp_table_stats, OF 1.3.5 §7.3.5.4: table_id(1) pad(3) active_count(4) lookup_count(8) matched_count(8)
export function decodeTableStats(r: Reader): TableStats {
  const table_id = r.u8('table_id');
  r.pad(3);
  return {
    table_id,
    active_count: r.u32('active_count'),
    lookup_count: r.u64('lookup_count'),
    matched_count: r.u64('matched_count'),
  };
}

// ofp_table_stats, OF 1.3.5 §7.3.5.4: table_id(1) pad(3) active_count(4) lookup_count(8) matched_count(8)
export function encodeTableStats(w: Writer, t: TableStats): void {
  w.u8(t.table_id);
  w.pad(3);
  w.u32(t.active_count);
  w.u64(t.lookup_count);
  w.u64(t.matched_count);
}

// OFPMP_TABLE reply body, OF 1.3.5 §7.3.5.4: ofp_table_stats[] (24 bytes each) to the end of the message
export function decodeTableStatsReply(r: Reader): TableStatsReply {
  return { type: 'table', tables: decodeUntilEnd(r, decodeTableStats) };
}

// OFPMP_TABLE reply body, OF 1.3.5 §7.3.5.4: ofp_table_stats[] (24 bytes each)
export function encodeTableStatsReply(w: Writer, b: TableStatsReply): void {
  encodeEach(w, b.tables, 'tables', encodeTableStats);
}
