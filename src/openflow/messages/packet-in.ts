import { enumTable, readEnum8, writeEnum8 } from '../enums.js';
import { readBufferId, writeBufferId, type BufferId } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeMatch, encodeMatch, type Match } from '../structs/match.js';

export const PacketInReasons = enumTable('packet_in reason', { no_match: 0, action: 1, invalid_ttl: 2 });

export interface PacketIn {
  readonly type: 'packet_in';
  readonly xid: number;
  readonly buffer_id: BufferId;
  readonly total_len: number;
  readonly reason: 'no_match' | 'action' | 'invalid_ttl' | number;
  readonly table_id: number;
  readonly cookie: bigint;
  readonly match: Match;
  /** The packet (or its first miss_send_len bytes); a copy, safe to keep. */
  readonly data: Buffer;
}

/** ofp_packet_in, OF 1.3.5 §7.4.1: buffer_id(4) total_len(2) reason(1) table_id(1) cookie(8) match(var) pad(2) data(...). */
export function decodePacketIn(r: Reader, xid: number): PacketIn {
  const buffer_id = readBufferId(r);
  const total_len = r.u16('total_len');
  const reason = readEnum8(r, PacketInReasons) as PacketIn['reason'];
  const table_id = r.u8('table_id');
  const cookie = r.u64('cookie');
  const match = decodeMatch(r);
  r.pad(2);
  const data = r.bytes(r.remaining, 'packet data');
  return { type: 'packet_in', xid, buffer_id, total_len, reason, table_id, cookie, match, data };
}

export function encodePacketIn(w: Writer, m: PacketIn): void {
  writeBufferId(w, m.buffer_id);
  w.u16(m.total_len ?? (m.data ? m.data.length : 0));
  writeEnum8(w, PacketInReasons, m.reason);
  w.u8(m.table_id);
  w.u64(m.cookie ?? 0n);
  encodeMatch(w, m.match ?? []);
  w.pad(2);
  w.bytes(m.data ?? Buffer.alloc(0));
}
