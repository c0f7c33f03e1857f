import { Reader } from '../../openflow/reader.js';
import { Writer } from '../../openflow/writer.js';
import { decodeOxm, encodeOxm, type OxmBasic, type OxmField } from '../../openflow/structs/oxm.js';
import type { Match } from '../../openflow/structs/match.js';
import type { Instruction } from '../../openflow/structs/instruction.js';
import type { Action } from '../../openflow/structs/action.js';
import type { FlowMod } from '../../openflow/messages/flow-mod.js';
import { slotKey } from '../flows/flow-spec.js';

const w = new Writer(64);

interface FieldBits {
  readonly id: string;
  readonly value: Buffer;
  /** All ones when the field was sent without a mask. */
  readonly mask: Buffer;
}

/** One OXM as class+field id, value bytes and mask bytes: the form the spec's overlap rules are stated in. */
function bits(f: OxmField): FieldBits {
  w.reset();
  encodeOxm(w, f);
  const b = w.buf.subarray(0, w.pos);
  const hasMask = (b[2]! & 1) === 1;
  const len = b[3]!;
  const id = b.toString('hex', 0, 2) + ((b[2]! >> 1) & 0x7f).toString(16);
  const n = hasMask ? len / 2 : len;
  const value = Buffer.from(b.subarray(4, 4 + n));
  const mask = hasMask ? Buffer.from(b.subarray(4 + n, 4 + 2 * n)) : Buffer.alloc(n, 0xff);
  return { id, value, mask };
}

/**
 * Non-strict OpenFlow matching (OF 1.3.5 §6.4): a request selects a flow
 * when the flow's match is at least as specific, i.e. every field of the
 * request is in the flow with a mask that includes the request's mask and
 * the same value under the request's mask.
 */
export function matchCovers(request: Match, flow: Match): boolean {
  if (request.length === 0) return true;
  const have = new Map<string, FieldBits>();
  for (const f of flow) {
    const b = bits(f);
    have.set(b.id, b);
  }
  for (const f of request) {
    const r = bits(f);
    const x = have.get(r.id);
    if (x === undefined || x.value.length !== r.value.length) return false;
    for (let i = 0; i < r.value.length; i++) {
      const rm = r.mask[i]!;
      if ((x.mask[i]! & rm) !== rm) return false;
      if ((x.value[i]! & rm) !== (r.value[i]! & rm)) return false;
    }
  }
  return true;
}

function actionsOf(ins: readonly Instruction[]): Action[] {
  const out: Action[] = [];
  for (const i of ins) if (i.type === 'apply_actions' || i.type === 'write_actions') out.push(...i.actions);
  return out;
}

/** Whether a flow forwards to the group ('all': to any group, as a delete of OFPG_ALL removes them all). */
export function forwardsToGroup(ins: readonly Instruction[], group: number | 'all'): boolean {
  return actionsOf(ins).some((a) => a.type === 'group' && (group === 'all' || a.group_id === group));
}

/** Fields narrower than their OXM payload: a mask covering these bits is exact (switches report no mask). */
const FIELD_BITS: Readonly<Record<string, number>> = { vlan_vid: 0x1fff, ipv6_flabel: 0xfffff, ipv6_exthdr: 0x1ff };

/**
 * A masked field as a switch keeps it (OVS does this): value bits outside
 * the mask cleared, an exact mask dropped; undefined for an all-zero mask,
 * which matches anything. Unmasked and non-basic fields come back as given.
 */
export function canonicalField(f: OxmField): OxmField | undefined {
  const m = (f as OxmBasic).mask;
  if (m === undefined || m === null || !('field' in f)) return f;
  const width = FIELD_BITS[f.field];
  if (width !== undefined && typeof m === 'number' && (m & width) === width) return { field: f.field, value: (f.value as number) & width };
  w.reset();
  encodeOxm(w, f);
  const b = Buffer.from(w.buf.subarray(0, w.pos));
  const n = (b.length - 4) / 2;
  let ones = true;
  let zero = true;
  for (let i = 0; i < n; i++) {
    const mask = b[4 + n + i]!;
    b[4 + i]! &= mask;
    if (mask !== 0xff) ones = false;
    if (mask !== 0) zero = false;
  }
  if (zero) return undefined;
  if (!ones) return decodeOxm(new Reader(b));
  b[2]! &= 0xfe;
  b[3] = n;
  return decodeOxm(new Reader(b.subarray(0, 4 + n)));
}

/** A match with every field canonical (see canonicalField); the same array when nothing changes. */
export function canonicalMatch(m: Match): Match {
  if (!m.some((f) => (f as OxmBasic).mask !== undefined && (f as OxmBasic).mask !== null)) return m;
  const out: OxmField[] = [];
  for (const f of m) {
    const c = canonicalField(f);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/**
 * The identity of a flow in a table: table id, priority and canonical match
 * (fields in code order, masks as the switch keeps them, so a flow reported
 * by a dump finds the entry the request that made it created).
 */
export function flowSlot(f: Pick<FlowMod, 'table_id' | 'priority' | 'match'>): string {
  return slotKey(String(f.table_id), f.priority, canonicalMatch(f.match));
}

/**
 * Whether a modify or delete request selects a flow, as the switch decides:
 * table (or all tables for a delete), cookie under the cookie mask, out_port
 * and out_group for deletes, and the match strictly (same priority and
 * match) or non-strictly (matchCovers).
 */
export function requestSelects(req: Pick<FlowMod, 'command' | 'table_id' | 'cookie' | 'cookie_mask' | 'priority' | 'match' | 'out_port' | 'out_group'>, flow: Pick<FlowMod, 'table_id' | 'cookie' | 'priority' | 'match' | 'instructions'>): boolean {
  const isDelete = req.command === 'delete' || req.command === 'delete_strict';
  const strict = req.command === 'delete_strict' || req.command === 'modify_strict';
  if (!(isDelete && req.table_id === 'all') && req.table_id !== flow.table_id) return false;
  if ((flow.cookie & req.cookie_mask) !== (req.cookie & req.cookie_mask)) return false;
  if (strict) {
    if (req.priority !== flow.priority || flowSlot({ table_id: 0, priority: 0, match: req.match }) !== flowSlot({ table_id: 0, priority: 0, match: flow.match })) return false;
  } else if (!matchCovers(req.match, flow.match)) return false;
  if (isDelete) {
    const acts = actionsOf(flow.instructions);
    if (req.out_port !== 'any' && !acts.some((a) => a.type === 'output' && a.port === req.out_port)) return false;
    // out_group OFPG_ALL names no real group, so it selects nothing (as in Open vSwitch).
    if (req.out_group !== 'any' && (req.out_group === 'all' || !forwardsToGroup(flow.instructions, req.out_group))) return false;
  }
  return true;
}
