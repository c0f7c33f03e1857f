import type { Action } from '../../openflow/structs/action.js';
import type { Instruction } from '../../openflow/structs/instruction.js';
import type { MaxLen } from '../../openflow/common.js';
import { toJsonValue } from '../../openflow/json.js';
import { badRequest } from '../errors.js';
import { portOf, setFieldFromJson } from './match.js';

// Actions and instructions in the codec's JSON ({"type": "output", "port": 2}),
// with what a person leaves out filled in (max_len, push ethertypes) and
// every key checked: the codec ignores keys it does not know, so a typo
// like "prot" would otherwise become a different flow than the one meant.

/** ofp_group OFPG_MAX and ofp_meter OFPM_MAX: the largest ids a user may create. */
export const GROUP_ID_MAX = 0xffffff00;
export const METER_ID_MAX = 0xffff0000;

const ACTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  output: ['port', 'max_len'],
  copy_ttl_out: [], copy_ttl_in: [], dec_mpls_ttl: [], pop_vlan: [], dec_nw_ttl: [], pop_pbb: [],
  set_mpls_ttl: ['mpls_ttl'], set_nw_ttl: ['nw_ttl'],
  push_vlan: ['ethertype'], push_mpls: ['ethertype'], push_pbb: ['ethertype'], pop_mpls: ['ethertype'],
  set_queue: ['queue_id'], group: ['group_id'], set_field: ['field', 'value'], experimenter: ['experimenter', 'data'],
};

const PUSH_DEFAULT: Readonly<Record<string, number>> = { push_vlan: 0x8100, push_mpls: 0x8847, push_pbb: 0x88e7 };

const INSTRUCTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  goto_table: ['table_id'], write_metadata: ['metadata', 'metadata_mask'], write_actions: ['actions'],
  apply_actions: ['actions'], clear_actions: [], meter: ['meter_id'], experimenter: ['experimenter', 'data'],
};

function fail(where: string, msg: string): never {
  throw badRequest(`${where} ${msg}`);
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function int(v: unknown, min: number, max: number, where: string): number {
  const n = typeof v === 'string' && /^(?:0[xX][0-9a-fA-F]+|[0-9]+)$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) fail(where, `must be an integer ${min}..${max}, got ${show(v)}`);
  return n;
}

function u64(v: unknown, where: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(?:0[xX][0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(v)) {
    const n = BigInt(v);
    if (n <= 0xffff_ffff_ffff_ffffn) return n;
  }
  return fail(where, `must be a 64-bit unsigned integer as a decimal or 0x-hex string, got ${show(v)}`);
}

function hex(v: unknown, where: string): Buffer {
  if (v === undefined) return Buffer.alloc(0);
  if (typeof v !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(v)) fail(where, `must be bytes as a hex string, got ${show(v)}`);
  return Buffer.from(v, 'hex');
}

function objectWithType(v: unknown, keys: Readonly<Record<string, readonly string[]>>, where: string, kind: string): [string, Record<string, unknown>] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, `must be an object with a "type", got ${show(v)}`);
  const o = v as Record<string, unknown>;
  const type = o.type;
  if (typeof type !== 'string' || !Object.hasOwn(keys, type)) fail(where + '.type', `must be one of ${Object.keys(keys).join(', ')}, got ${show(type)}`);
  const allowed = keys[type]!;
  for (const k of Object.keys(o)) {
    if (k !== 'type' && !allowed.includes(k)) {
      fail(where, `has an unknown key "${k}": a ${type} ${kind} takes ${allowed.length ? allowed.map((a) => `"${a}"`).join(', ') : 'nothing but "type"'}`);
    }
  }
  return [type, o];
}

function maxLenOf(v: unknown, where: string): MaxLen {
  if (v === undefined || v === 'no_buffer') return 'no_buffer';
  // OFPCML_MAX: larger values would not fit in a packet_in.
  return int(v, 0, 0xffe5, where + ' (or "no_buffer")');
}

export function actionFromJson(v: unknown, where: string): Action {
  const [type, o] = objectWithType(v, ACTION_KEYS, where, 'action');
  switch (type) {
    case 'output':
      if (o.port === undefined) fail(where, 'needs "port": a number or in_port, table, normal, flood, all, controller, local');
      return { type, port: portOf(o.port, `${where}.port`), max_len: maxLenOf(o.max_len, `${where}.max_len`) };
    case 'copy_ttl_out': case 'copy_ttl_in': case 'dec_mpls_ttl': case 'pop_vlan': case 'dec_nw_ttl': case 'pop_pbb':
      return { type };
    case 'set_mpls_ttl':
      return { type, mpls_ttl: int(o.mpls_ttl, 0, 255, `${where}.mpls_ttl`) };
    case 'set_nw_ttl':
      return { type, nw_ttl: int(o.nw_ttl, 0, 255, `${where}.nw_ttl`) };
    case 'push_vlan': case 'push_mpls': case 'push_pbb':
      return { type, ethertype: int(o.ethertype ?? PUSH_DEFAULT[type], 0, 0xffff, `${where}.ethertype`) };
    case 'pop_mpls':
      if (o.ethertype === undefined) fail(where, 'needs "ethertype": the ethertype of the payload after the label, e.g. 2048 (IPv4)');
      return { type, ethertype: int(o.ethertype, 0, 0xffff, `${where}.ethertype`) };
    case 'set_queue':
      return { type, queue_id: int(o.queue_id, 0, 0xfffffffe, `${where}.queue_id`) };
    case 'group':
      return { type, group_id: int(o.group_id, 0, GROUP_ID_MAX, `${where}.group_id`) };
    case 'set_field': {
      // The codec form {"field": {"field": "eth_dst", "value": ...}} or the short {"field": "eth_dst", "value": ...}.
      const f = o.field;
      if (typeof f === 'object' && f !== null && !Array.isArray(f)) {
        if (o.value !== undefined) fail(where, 'gives "value" twice: use {"field": "eth_dst", "value": ...} or {"field": {"field": "eth_dst", "value": ...}}');
        const inner = f as Record<string, unknown>;
        const extra = Object.keys(inner).filter((k) => k !== 'field' && k !== 'value');
        if (extra.length > 0) fail(`${where}.field`, `has an unknown key "${extra[0]}"; set_field writes one value`);
        return { type, field: setFieldFromJson(inner.field, inner.value, where, true) };
      }
      if (o.value === undefined) fail(where, 'needs "field" (an OXM field name) and "value"');
      return { type, field: setFieldFromJson(f, o.value, where, false) };
    }
    default:
      return { type: 'experimenter', experimenter: int(o.experimenter, 0, 0xffffffff, `${where}.experimenter`), data: hex(o.data, `${where}.data`) };
  }
}

export function actionsFromJson(v: unknown, where: string): Action[] {
  if (!Array.isArray(v)) fail(where, `must be a list of actions like [{"type": "output", "port": 2}], got ${show(v)}`);
  return v.map((a: unknown, i) => actionFromJson(a, `${where}[${i}]`));
}

export function instructionFromJson(v: unknown, where: string): Instruction {
  const [type, o] = objectWithType(v, INSTRUCTION_KEYS, where, 'instruction');
  switch (type) {
    case 'goto_table':
      // 255 is OFPTT_ALL, never a table to go to; whether it is later than this table the switch decides.
      return { type, table_id: int(o.table_id, 0, 254, `${where}.table_id`) };
    case 'write_metadata':
      return {
        type, metadata: u64(o.metadata, `${where}.metadata`),
        metadata_mask: o.metadata_mask === undefined ? 0xffff_ffff_ffff_ffffn : u64(o.metadata_mask, `${where}.metadata_mask`),
      };
    case 'write_actions':
    case 'apply_actions':
      return { type, actions: actionsFromJson(o.actions ?? [], `${where}.actions`) };
    case 'clear_actions':
      return { type };
    case 'meter':
      return { type, meter_id: int(o.meter_id, 1, METER_ID_MAX, `${where}.meter_id`) };
    default:
      return { type: 'experimenter', experimenter: int(o.experimenter, 0, 0xffffffff, `${where}.experimenter`), data: hex(o.data, `${where}.data`) };
  }
}

/**
 * The instructions of a flow body: `actions` (one apply_actions, first) and
 * `instructions` together; each instruction type at most once (OF 1.3.5 §7.2.4).
 */
export function instructionsFromJson(actions: unknown, instructions: unknown, where = 'body'): Instruction[] {
  const out: Instruction[] = [];
  if (actions !== undefined) out.push({ type: 'apply_actions', actions: actionsFromJson(actions, `${where}.actions`) });
  if (instructions !== undefined) {
    if (!Array.isArray(instructions)) fail(`${where}.instructions`, `must be a list like [{"type": "goto_table", "table_id": 1}], got ${show(instructions)}`);
    instructions.forEach((x: unknown, i) => out.push(instructionFromJson(x, `${where}.instructions[${i}]`)));
  }
  const seen = new Set<string>();
  for (const i of out) {
    if (i.type !== 'experimenter' && seen.has(i.type)) {
      fail(where, i.type === 'apply_actions' && actions !== undefined
        ? 'has "actions" and an apply_actions instruction: put all the actions in one of them'
        : `has two ${i.type} instructions; OpenFlow allows each instruction type once per flow`);
    }
    seen.add(i.type);
  }
  return out;
}

/** Instructions in the codec's JSON, as responses carry them (POSTable back). */
export function instructionsToJson(ins: readonly Instruction[]): Record<string, unknown>[] {
  return toJsonValue(ins) as Record<string, unknown>[];
}

export function actionsToJson(actions: readonly Action[]): Record<string, unknown>[] {
  return toJsonValue(actions) as Record<string, unknown>[];
}
