import { bitTable, enumTable, readBits16, readEnum8, writeBits16, writeEnum8 } from '../enums.js';
import {
  readBufferId, readGroupId, readPortNo, readTableId, writeBufferId, writeGroupId, writePortNo, writeTableId,
  type BufferId, type GroupId, type PortNo, type TableId,
} from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeMatch, encodeMatch, type Match } from '../structs/match.js';
import { decodeInstructions, encodeInstructions, type Instruction } from '../structs/instruction.js';

export const FlowModCommands = enumTable('flow_mod command', { add: 0, modify: 1, modify_strict: 2, delete: 3, delete_strict: 4 });
export const FlowModFlagBits = bitTable('flow_mod flags', {
  send_flow_rem: 1, check_overlap: 2, reset_counts: 4, no_pkt_counts: 8, no_byt_counts: 16,
});
export type FlowModCommand = 'add' | 'modify' | 'modify_strict' | 'delete' | 'delete_strict';

export interface FlowMod {
  readonly type: 'flow_mod';
  readonly xid: number;
  readonly cookie: bigint;
  readonly cookie_mask: bigint;
  readonly table_id: TableId;
  readonly command: FlowModCommand | number;
  readonly idle_timeout: number;
  readonly hard_timeout: number;
  readonly priority: number;
  readonly buffer_id: BufferId;
  readonly out_port: PortNo;
  readonly out_group: GroupId;
  readonly flags: readonly string[];
  readonly match: Match;
  readonly instructions: readonly Instruction[];
}

/** ofp_flow_mod, OF 1.3.5 §7.3.4.1: cookie(8) cookie_mask(8) table_id(1) command(1) idle_timeout(2) hard_timeout(2) priority(2) buffer_id(4) out_port(4) out_group(4) flags(2) pad(2) match(var) instructions(...). */
export function decodeFlowMod(r: Reader, xid: number): FlowMod {
  const cookie = r.u64('cookie');
  const cookie_mask = r.u64('cookie_mask');
  const table_id = readTableId(r);
  const command = readEnum8(r, FlowModCommands) as FlowMod['command'];
  const idle_timeout = r.u16('idle_timeout');
  const hard_timeout = r.u16('hard_timeout');
  const priority = r.u16('priority');
  const buffer_id = readBufferId(r);
  const out_port = readPortNo(r);
  const out_group = readGroupId(r);
  const flags = readBits16(r, FlowModFlagBits);
  r.pad(2);
  const match = decodeMatch(r);
  const instructions = decodeInstructions(r, r.remaining);
  return {
    type: 'flow_mod', xid, cookie, cookie_mask, table_id, command, idle_timeout, hard_timeout, priority,
    buffer_id, out_port, out_group, flags, match, instructions,
  };
}

/** Defaults let callers (and JSON) omit what an add rarely sets. */
export function encodeFlowMod(w: Writer, m: FlowMod): void {
  w.u64(m.cookie ?? 0n);
  w.u64(m.cookie_mask ?? 0n);
  writeTableId(w, m.table_id ?? 0);
  writeEnum8(w, FlowModCommands, m.command ?? 'add');
  w.u16(m.idle_timeout ?? 0);
  w.u16(m.hard_timeout ?? 0);
  w.u16(m.priority ?? 0x8000);
  writeBufferId(w, m.buffer_id ?? 'no_buffer');
  writePortNo(w, m.out_port ?? 'any');
  writeGroupId(w, m.out_group ?? 'any');
  writeBits16(w, FlowModFlagBits, m.flags ?? []);
  w.pad(2);
  encodeMatch(w, m.match ?? []);
  encodeInstructions(w, m.instructions ?? []);
}
