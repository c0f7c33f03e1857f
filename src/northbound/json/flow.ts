import { encodeMessage } from '../../openflow/codec.js';
import { dpidToString, type GroupId, type TableId } from '../../openflow/common.js';
import type { OfpMessage } from '../../openflow/message.js';
import type { FlowMod } from '../../openflow/messages/flow-mod.js';
import type { FlowStats } from '../../openflow/multipart/flow-stats.js';
import type { Match } from '../../openflow/structs/match.js';
import type { StaticFlowMod } from '../../core/static/static-store.js';
import { badRequest } from '../errors.js';
import { parseU64 } from '../ids.js';
import { codecToBadRequest, matchFromJson, matchToJson, portOf, type MatchJson } from './match.js';
import { GROUP_ID_MAX, instructionsFromJson, instructionsToJson } from './action.js';

// REST flow JSON ⇄ flow_mod / flow stats. A request body becomes a complete
// flow_mod; the flow service encodes it once, when it sends it, and a value
// the codec refuses is a 400 (the message is the only one of its batch, so
// nothing was half applied).

export const FLOW_FLAGS = ['send_flow_rem', 'check_overlap', 'reset_counts', 'no_pkt_counts', 'no_byt_counts'] as const;
export const DEFAULT_PRIORITY = 0x8000;

/** POST body: one flow to add. */
export interface FlowAddBody {
  readonly table_id?: number;
  readonly priority?: number;
  readonly match?: unknown;
  readonly actions?: unknown;
  readonly instructions?: unknown;
  readonly idle_timeout?: number;
  readonly hard_timeout?: number;
  readonly cookie?: string | number;
  readonly flags?: readonly string[];
}

/** What selects flows for a modify or delete (OF 1.3.5 §6.4). */
export interface FlowSelector {
  readonly match?: unknown;
  readonly table_id?: number | string;
  readonly priority?: number;
  readonly cookie?: string | number;
  readonly cookie_mask?: string | number;
  readonly out_port?: number | string;
  readonly out_group?: number | string;
  readonly strict?: boolean;
}

/** PATCH body: selectors plus the new instructions. */
export interface FlowModifyBody extends Omit<FlowSelector, 'out_port' | 'out_group'> {
  readonly actions?: unknown;
  readonly instructions?: unknown;
  readonly flags?: readonly string[];
}

/** A flow as the API shows it: the switch's view plus who owns it. */
export interface FlowJson {
  readonly dpid: string;
  readonly table_id: number;
  readonly priority: number;
  readonly match: MatchJson;
  readonly instructions: Record<string, unknown>[];
  readonly cookie: string;
  readonly cookie_hex: string;
  readonly idle_timeout: number;
  readonly hard_timeout: number;
  readonly duration_sec: number;
  readonly packet_count: string;
  readonly byte_count: string;
  readonly flags: readonly string[];
  readonly owner: string | null;
}

function u64Field(v: string | number | undefined, what: string, fallback: bigint): bigint {
  if (v === undefined) return fallback;
  const n = parseU64(v);
  if (n === undefined) throw badRequest(`${what} must be a 64-bit unsigned integer as a decimal or 0x-hex string, got ${JSON.stringify(v)}`);
  return n;
}

/** Encode once: the codec's own checks, reported as a 400 in the user's terms. */
export function checkEncodes(m: StaticFlowMod | Omit<OfpMessage, 'xid'>, what: string): void {
  try {
    encodeMessage({ ...m, xid: 0 } as OfpMessage);
  } catch (e) {
    codecToBadRequest(e, what);
  }
}

function tableOf(v: number | string | undefined, allowAll: boolean, fallback: TableId, where: string): TableId {
  if (v === undefined) return fallback;
  if (allowAll && (v === 'all' || v === 255 || v === '255')) return 'all';
  const n = typeof v === 'string' && /^[0-9]{1,3}$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 254) {
    throw badRequest(`${where} must be a table number 0..254${allowAll ? ' or "all"' : ''}, got ${JSON.stringify(v)}`);
  }
  return n;
}

function groupOf(v: number | string | undefined, where: string): GroupId {
  if (v === undefined || v === 'any') return 'any';
  const n = typeof v === 'string' && /^[0-9]+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > GROUP_ID_MAX) throw badRequest(`${where} must be a group id 0..${GROUP_ID_MAX} or "any", got ${JSON.stringify(v)}`);
  return n;
}

function needInstructions(b: { actions?: unknown; instructions?: unknown }, verb: string): void {
  if (b.actions === undefined && b.instructions === undefined) {
    throw badRequest(`${verb} needs "actions" (a list, [] to drop) or "instructions"`);
  }
}

/** Whether a selector names flows explicitly enough to act on without an explicit match. */
function selects(sel: FlowSelector, cookieMask: bigint): boolean {
  return sel.match !== undefined || cookieMask !== 0n || (sel.out_port !== undefined && sel.out_port !== 'any') || (sel.out_group !== undefined && sel.out_group !== 'any');
}

/** OFPFC_ADD from a POST body; the codec checks it once, when the flow service sends it. */
export function flowAddFromJson(b: FlowAddBody): StaticFlowMod {
  needInstructions(b, 'a flow');
  const fm: StaticFlowMod = {
    type: 'flow_mod',
    cookie: u64Field(b.cookie, 'cookie', 0n),
    cookie_mask: 0n,
    table_id: tableOf(b.table_id, false, 0, 'table_id'),
    command: 'add',
    idle_timeout: b.idle_timeout ?? 0,
    hard_timeout: b.hard_timeout ?? 0,
    priority: b.priority ?? DEFAULT_PRIORITY,
    buffer_id: 'no_buffer',
    out_port: 'any',
    out_group: 'any',
    // A flow that can expire reports it (the store would add this anyway): it must not come back after it expired.
    flags: [...new Set([...(b.flags ?? []), ...(b.idle_timeout || b.hard_timeout ? ['send_flow_rem'] : [])])],
    match: matchFromJson(b.match ?? {}),
    instructions: instructionsFromJson(b.actions, b.instructions),
  };
  return fm;
}

/** OFPFC_MODIFY(_STRICT) from a PATCH body: new instructions for the flows the selectors pick. */
export function flowModifyFromJson(b: FlowModifyBody): StaticFlowMod {
  needInstructions(b, 'a modify');
  const cookieMask = u64Field(b.cookie_mask, 'cookie_mask', 0n);
  if (!selects(b, cookieMask)) throw badRequest('a modify needs "match" (give {} to modify every flow of the table) or a cookie with a non-zero cookie_mask');
  if (b.strict === true && b.priority === undefined) throw badRequest('a strict modify needs "priority": it selects the one flow with exactly this priority and match');
  const fm: StaticFlowMod = {
    type: 'flow_mod',
    cookie: u64Field(b.cookie, 'cookie', 0n),
    cookie_mask: cookieMask,
    table_id: tableOf(b.table_id, false, 0, 'table_id'),
    command: b.strict === true ? 'modify_strict' : 'modify',
    idle_timeout: 0,
    hard_timeout: 0,
    priority: b.priority ?? DEFAULT_PRIORITY,
    buffer_id: 'no_buffer',
    out_port: 'any',
    out_group: 'any',
    flags: [...new Set(b.flags ?? [])],
    match: matchFromJson(b.match ?? {}),
    instructions: instructionsFromJson(b.actions, b.instructions),
  };
  checkEncodes(fm, 'modify');
  return fm;
}

/** OFPFC_DELETE(_STRICT) from a DELETE body or query; table "all" unless given. */
export function flowDeleteFromJson(sel: FlowSelector, match: Match | undefined): StaticFlowMod {
  const cookieMask = u64Field(sel.cookie_mask, 'cookie_mask', 0n);
  if (match === undefined && !selects(sel, cookieMask)) {
    throw badRequest('a delete needs "match": give {} (or ?match={}) to delete every flow, or select by cookie with a non-zero cookie_mask, or by out_port/out_group');
  }
  if (sel.strict === true && (sel.priority === undefined || match === undefined)) {
    throw badRequest('a strict delete needs "priority" and "match": it removes the one flow with exactly this priority and match');
  }
  const fm: StaticFlowMod = {
    type: 'flow_mod',
    cookie: u64Field(sel.cookie, 'cookie', 0n),
    cookie_mask: cookieMask,
    table_id: tableOf(sel.table_id, true, 'all', 'table_id'),
    command: sel.strict === true ? 'delete_strict' : 'delete',
    idle_timeout: 0,
    hard_timeout: 0,
    priority: sel.priority ?? DEFAULT_PRIORITY,
    buffer_id: 'no_buffer',
    out_port: sel.out_port === undefined ? 'any' : portOf(sel.out_port, 'out_port'),
    out_group: groupOf(sel.out_group, 'out_group'),
    flags: [],
    match: match ?? [],
    instructions: [],
  };
  checkEncodes(fm, 'delete');
  return fm;
}

export function cookieHex(c: bigint): string {
  return '0x' + c.toString(16).padStart(16, '0');
}

/**
 * A flow as the switch reported it (or, before any report, as it was sent).
 * `instructions`: their JSON form when the caller already has it (the static store's record of an add).
 */
export function flowToJson(dpid: bigint, f: FlowStats, owner: string | null, instructions?: Record<string, unknown>[]): FlowJson {
  return {
    dpid: dpidToString(dpid),
    table_id: f.table_id,
    priority: f.priority,
    match: matchToJson(f.match),
    instructions: instructions ?? instructionsToJson(f.instructions),
    cookie: f.cookie.toString(),
    cookie_hex: cookieHex(f.cookie),
    idle_timeout: f.idle_timeout,
    hard_timeout: f.hard_timeout,
    duration_sec: f.duration_sec,
    packet_count: f.packet_count.toString(),
    byte_count: f.byte_count.toString(),
    flags: f.flags,
    owner,
  };
}

/** The flow stats entry an add creates: what a dump right after the add would show. */
export function statsOfAdd(fm: FlowMod | StaticFlowMod): FlowStats {
  return {
    table_id: fm.table_id as number, duration_sec: 0, duration_nsec: 0, priority: fm.priority, idle_timeout: fm.idle_timeout,
    hard_timeout: fm.hard_timeout, flags: fm.flags, cookie: fm.cookie, packet_count: 0n, byte_count: 0n, match: fm.match,
    instructions: fm.instructions,
  };
}
