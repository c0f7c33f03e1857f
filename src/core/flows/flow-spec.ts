import { Writer } from '../../openflow/writer.js';
import { encodeMatch, type Match } from '../../openflow/structs/match.js';
import { encodeInstructions, type Instruction } from '../../openflow/structs/instruction.js';
import { OXM_FIELD_BY_NAME, OFPXMC_OPENFLOW_BASIC, type OxmField, type OxmRaw } from '../../openflow/structs/oxm.js';
import type { Action } from '../../openflow/structs/action.js';
import type { FlowMod } from '../../openflow/messages/flow-mod.js';
import type { FlowStats } from '../../openflow/multipart/flow-stats.js';
import { EXACT_MASK, hash16 } from './cookie.js';
import type { TableRegistry } from './tables.js';

/** What an app asks for: pure data; only the flow service turns it into flow_mods. */
export interface FlowSpec {
  /** Table name from the table registry; default 'main'. */
  readonly table?: string;
  readonly priority: number;
  readonly match: Match;
  readonly instructions?: readonly Instruction[];
  /** Shorthand for one apply_actions instruction (placed first). */
  readonly actions?: readonly Action[];
  /** Table name to continue in (a goto_table instruction, checked against the declaration). */
  readonly goto?: string;
  readonly idleTimeout?: number;
  readonly hardTimeout?: number;
  readonly sendFlowRemoved?: boolean;
  /** The owner's name for this flow; default: its slot (table + priority + match). */
  readonly key?: string;
}

/** A compiled FlowSpec as the desired-state cache keeps it. */
export interface DesiredFlow {
  readonly dpid: bigint;
  readonly owner: string;
  readonly key: string;
  /** Identity on the switch: table, priority and match (canonical); one flow per slot per table. */
  readonly slot: string;
  readonly table: string;
  readonly tableId: number;
  readonly priority: number;
  readonly match: Match;
  readonly instructions: readonly Instruction[];
  readonly idleTimeout: number;
  readonly hardTimeout: number;
  /** Forced on for flows with a timeout, so the cache learns when the switch drops them. */
  readonly sendFlowRemoved: boolean;
  readonly cookie: bigint;
  /** Canonical instruction bytes (latin1) for cheap equality with the cache and with a flow dump. */
  readonly insKey: string;
  /** flow_mod flags exactly as a user gave them (API flows); apps' flows derive theirs from sendFlowRemoved. */
  readonly flags?: readonly string[];
}

export interface CompileContext {
  readonly dpid: bigint;
  readonly owner: string;
  /** Magic | owner | generation (cookie.ts ownerGenerationBits). */
  readonly cookieBits: bigint;
  readonly tables: TableRegistry;
}

// One writer for key building: keys are computed synchronously, one at a time.
const keyWriter = new Writer(256);

/** OXM sort order: class then field, the order switches such as OVS report matches in. */
function oxmRank(f: OxmField): number {
  const raw = f as OxmRaw;
  if (raw.raw !== undefined) return raw.oxm_class * 128 + raw.oxm_field;
  const info = OXM_FIELD_BY_NAME.get((f as { field: string }).field);
  return OFPXMC_OPENFLOW_BASIC * 128 + (info?.code ?? 127);
}

function sortedMatch(m: Match): Match {
  for (let i = 1; i < m.length; i++) {
    if (oxmRank(m[i - 1]!) > oxmRank(m[i]!)) return [...m].sort((a, b) => oxmRank(a) - oxmRank(b));
  }
  return m; // already canonical: no copy on the hot path
}

/**
 * The identity of a flow on a switch: table name, priority and the encoded
 * match in canonical field order, as hex. Encoding is the cheap exact
 * canonical form (bigint-safe, unlike JSON) and the same function keys a
 * flow dump or a flow_removed, so they find their cache entry.
 */
export function slotKey(table: string, priority: number, match: Match): string {
  keyWriter.reset();
  encodeMatch(keyWriter, sortedMatch(match));
  return table + '/' + priority + '/' + keyWriter.buf.toString('hex', 4, keyWriter.pos);
}

/** The slot of a flow a switch reported; tables we did not declare get a name no declared table has. */
export function slotOfStats(f: Pick<FlowStats, 'table_id' | 'priority' | 'match'>, tables: TableRegistry): string {
  return slotKey(tables.nameOf(f.table_id) ?? '#' + f.table_id, f.priority, f.match);
}

/** OF 1.3.5 §5.9 executes instructions in this order whatever order they were sent in; switches report them so. */
const EXEC_RANK: Readonly<Record<string, number>> = { meter: 0, apply_actions: 1, clear_actions: 2, write_actions: 3, write_metadata: 4, goto_table: 5 };
const rank = (i: Instruction): number => EXEC_RANK[i.type] ?? 6;

/** Canonical instruction bytes (latin1 keeps one char per byte, cheaper than hex). */
export function instructionsKey(list: readonly Instruction[]): string {
  let canonical = list;
  for (let i = 1; i < list.length; i++) {
    if (rank(list[i - 1]!) > rank(list[i]!)) {
      canonical = [...list].sort((a, b) => rank(a) - rank(b));
      break;
    }
  }
  keyWriter.reset();
  encodeInstructions(keyWriter, canonical);
  return keyWriter.buf.toString('latin1', 0, keyWriter.pos);
}

function u16(v: number | undefined, what: string): number {
  if (v === undefined) return 0;
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${what} must be an integer 0..65535, got ${String(v)}`);
  return v;
}

/** Validate a spec and resolve its names; throws (before anything is sent) on a bad table, goto or number. */
export function compileFlow(spec: FlowSpec, ctx: CompileContext): DesiredFlow {
  const tables = ctx.tables;
  const t = tables.get(spec.table ?? 'main');
  const priority = u16(spec.priority, 'priority');
  tables.checkBand(t, ctx.owner, priority);
  const idleTimeout = u16(spec.idleTimeout, 'idleTimeout');
  const hardTimeout = u16(spec.hardTimeout, 'hardTimeout');
  let instructions: readonly Instruction[];
  if (spec.actions === undefined && spec.goto === undefined) instructions = spec.instructions ?? [];
  else {
    const list: Instruction[] = [];
    if (spec.actions !== undefined) list.push({ type: 'apply_actions', actions: spec.actions });
    if (spec.instructions !== undefined) list.push(...spec.instructions);
    if (spec.goto !== undefined) list.push(tables.gotoInstruction(t, spec.goto));
    instructions = list;
  }
  const slot = slotKey(t.name, priority, spec.match);
  const key = spec.key ?? slot;
  return {
    dpid: ctx.dpid, owner: ctx.owner, key, slot, table: t.name, tableId: t.id, priority, match: spec.match, instructions,
    idleTimeout, hardTimeout, sendFlowRemoved: spec.sendFlowRemoved === true || idleTimeout !== 0 || hardTimeout !== 0,
    // The per-flow value is a hash of the key, not a counter, so a restarted controller computes the same cookie.
    cookie: ctx.cookieBits | BigInt(hash16(key)), insKey: instructionsKey(instructions),
  };
}

/**
 * A user's OFPFC_ADD (REST, Ryu) as a desired flow of the owner "api": its
 * own cookie and flags, kept as given. Tables nobody declared are named
 * "#id", as slotOfStats names them, so a dump finds the entry.
 */
export function desiredOfFlowMod(dpid: bigint, fm: Pick<FlowMod, 'table_id' | 'priority' | 'match' | 'instructions' | 'idle_timeout' | 'hard_timeout' | 'flags' | 'cookie'>, tables: TableRegistry): DesiredFlow {
  if (typeof fm.table_id !== 'number') throw new RangeError('a flow is added to one table: table_id "all" is only for deletes');
  const table = tables.nameOf(fm.table_id) ?? '#' + fm.table_id;
  const priority = u16(fm.priority, 'priority');
  const slot = slotKey(table, priority, fm.match);
  return {
    dpid, owner: 'api', key: slot, slot, table, tableId: fm.table_id, priority, match: fm.match, instructions: fm.instructions,
    idleTimeout: u16(fm.idle_timeout, 'idle_timeout'), hardTimeout: u16(fm.hard_timeout, 'hard_timeout'),
    sendFlowRemoved: fm.flags.includes('send_flow_rem'), cookie: fm.cookie, insKey: instructionsKey(fm.instructions), flags: fm.flags,
  };
}

/** A desired flow back in OFPFC_ADD form without xid (what the API stores and shows). */
export function flowModOfDesired(f: DesiredFlow): Omit<FlowMod, 'xid'> {
  const { xid: _xid, ...rest } = addFlowMod(f, 0);
  return rest;
}

/** Same flow, same everything: re-sending it would change nothing. */
export function sameFlow(a: DesiredFlow, b: DesiredFlow): boolean {
  return a.slot === b.slot && a.cookie === b.cookie && a.insKey === b.insKey && a.idleTimeout === b.idleTimeout &&
    a.hardTimeout === b.hardTimeout && a.sendFlowRemoved === b.sendFlowRemoved && String(a.flags ?? '') === String(b.flags ?? '');
}

/** Whether a dumped flow is what we want in its slot (the slot itself already matched). */
export function statsMatchDesired(s: FlowStats, d: DesiredFlow): boolean {
  return s.cookie === d.cookie && s.idle_timeout === d.idleTimeout && s.hard_timeout === d.hardTimeout && instructionsKey(s.instructions) === d.insKey;
}

const SEND_FLOW_REM: readonly string[] = Object.freeze(['send_flow_rem']);
const NO_FLAGS: readonly string[] = Object.freeze([]);
const NO_INSTRUCTIONS: readonly Instruction[] = Object.freeze([]);

/** OFPFC_ADD of a desired flow (an add over an identical slot replaces it, OF 1.3.5 §6.4). */
export function addFlowMod(f: DesiredFlow, xid: number): FlowMod {
  return {
    type: 'flow_mod', xid, cookie: f.cookie, cookie_mask: 0n, table_id: f.tableId, command: 'add', idle_timeout: f.idleTimeout,
    hard_timeout: f.hardTimeout, priority: f.priority, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any',
    flags: f.flags ?? (f.sendFlowRemoved ? SEND_FLOW_REM : NO_FLAGS), match: f.match, instructions: f.instructions,
  };
}

/**
 * OFPFC_DELETE_STRICT of exactly one flow. The exact cookie mask makes it
 * miss a fresh flow that meanwhile took the same slot with another cookie.
 */
export function deleteStrictFlowMod(tableId: number, priority: number, match: Match, cookie: bigint, xid: number): FlowMod {
  return {
    type: 'flow_mod', xid, cookie, cookie_mask: EXACT_MASK, table_id: tableId, command: 'delete_strict', idle_timeout: 0,
    hard_timeout: 0, priority, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: NO_FLAGS, match, instructions: NO_INSTRUCTIONS,
  };
}

/** OFPFC_DELETE of every flow whose cookie matches under the mask, in all tables. */
export function maskedDeleteFlowMod(cookie: bigint, cookieMask: bigint, xid: number): FlowMod {
  return {
    type: 'flow_mod', xid, cookie, cookie_mask: cookieMask, table_id: 'all', command: 'delete', idle_timeout: 0, hard_timeout: 0,
    priority: 0, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: NO_FLAGS, match: [], instructions: NO_INSTRUCTIONS,
  };
}
