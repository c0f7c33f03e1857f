import { bitTable, enumTable, readBits16, readEnum8, show, writeBits16 } from '../enums.js';
import {
  readBufferId, readGroupId, readPortNo, readTableId, writeBufferId, writeGroupId, writePortNo,
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

function u16Of(w: Writer, v: unknown, what: string): number {
  if (typeof v !== 'number' || (v & 0xffff) !== v) w.fail(`${what} must be an integer 0..65535, got ${show(v)}`);
  return v;
}

/**
 * Defaults let callers (and JSON) omit what an add rarely sets. The fixed
 * 40 bytes are written straight into the buffer: every flow an app installs
 * comes through here.
 */
export function encodeFlowMod(w: Writer, m: FlowMod): void {
  w.u64(m.cookie ?? 0n);
  w.u64(m.cookie_mask ?? 0n);
  const table = m.table_id ?? 0;
  const tableId = typeof table === 'number' ? table : table === 'all' ? 0xff : -1;
  if ((tableId & 0xff) !== tableId) w.fail(`table_id must be 0..255 or "all", got ${show(table)}`);
  const cmd = m.command ?? 'add';
  const command = typeof cmd === 'number' ? cmd : FlowModCommands.byName.get(cmd);
  if (command === undefined || (command & 0xff) !== command) {
    w.fail(`unknown flow_mod command ${show(cmd)}; expected one of ${[...FlowModCommands.byName.keys()].join(', ')} or a number`);
  }
  const idle = u16Of(w, m.idle_timeout ?? 0, 'idle_timeout');
  const hard = u16Of(w, m.hard_timeout ?? 0, 'hard_timeout');
  const priority = u16Of(w, m.priority ?? 0x8000, 'priority');
  w.grow(8);
  const b = w.buf;
  const p = w.pos;
  b[p] = tableId;
  b[p + 1] = command;
  b[p + 2] = idle >>> 8;
  b[p + 3] = idle & 0xff;
  b[p + 4] = hard >>> 8;
  b[p + 5] = hard & 0xff;
  b[p + 6] = priority >>> 8;
  b[p + 7] = priority & 0xff;
  w.pos = p + 8;
  writeBufferId(w, m.buffer_id ?? 'no_buffer');
  writePortNo(w, m.out_port ?? 'any');
  writeGroupId(w, m.out_group ?? 'any');
  const flags = m.flags;
  if (flags === undefined || (Array.isArray(flags) && flags.length === 0)) w.u16(0);
  else writeBits16(w, FlowModFlagBits, flags);
  w.pad(2);
  encodeMatch(w, m.match ?? []);
  encodeInstructions(w, m.instructions ?? []);
}
