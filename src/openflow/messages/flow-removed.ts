import { enumTable, readEnum8, writeEnum8 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeMatch, encodeMatch, type Match } from '../structs/match.js';

export const FlowRemovedReasons = enumTable('flow_removed reason', { idle_timeout: 0, hard_timeout: 1, delete: 2, group_delete: 3 });

export interface FlowRemoved {
  readonly type: 'flow_removed';
  readonly xid: number;
  readonly cookie: bigint;
  readonly priority: number;
  readonly reason: 'idle_timeout' | 'hard_timeout' | 'delete' | 'group_delete' | number;
  readonly table_id: number;
  readonly duration_sec: number;
  readonly duration_nsec: number;
  readonly idle_timeout: number;
  readonly hard_timeout: number;
  readonly packet_count: bigint;
  readonly byte_count: bigint;
  readonly match: Match;
}

/** ofp_flow_removed, OF 1.3.5 §7.4.2: cookie(8) priority(2) reason(1) table_id(1) duration_sec(4) duration_nsec(4) idle_timeout(2) hard_timeout(2) packet_count(8) byte_count(8) match(var). */
export function decodeFlowRemoved(r: Reader, xid: number): FlowRemoved {
  return {
    type: 'flow_removed',
    xid,
    cookie: r.u64('cookie'),
    priority: r.u16('priority'),
    reason: readEnum8(r, FlowRemovedReasons) as FlowRemoved['reason'],
    table_id: r.u8('table_id'),
    duration_sec: r.u32('duration_sec'),
    duration_nsec: r.u32('duration_nsec'),
    idle_timeout: r.u16('idle_timeout'),
    hard_timeout: r.u16('hard_timeout'),
    packet_count: r.u64('packet_count'),
    byte_count: r.u64('byte_count'),
    match: decodeMatch(r),
  };
}

export function encodeFlowRemoved(w: Writer, m: FlowRemoved): void {
  w.u64(m.cookie);
  w.u16(m.priority);
  writeEnum8(w, FlowRemovedReasons, m.reason);
  w.u8(m.table_id);
  w.u32(m.duration_sec);
  w.u32(m.duration_nsec);
  w.u16(m.idle_timeout);
  w.u16(m.hard_timeout);
  w.u64(m.packet_count);
  w.u64(m.byte_count);
  encodeMatch(w, m.match ?? []);
}
