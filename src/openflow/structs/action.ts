import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { readGroupId, readMaxLen, readPortNo, writeGroupId, writeMaxLen, writePortNo } from '../common.js';
import type { GroupId, MaxLen, PortNo } from '../common.js';
import { decodeOxm, describe, encodeOxm, inContext, uint, type OxmField } from './oxm.js';

/** ofp_action_header and friends, OF 1.3.5 §7.2.5. */
export type Action =
  | { readonly type: 'output'; readonly port: PortNo; readonly max_len: MaxLen }
  | { readonly type: 'copy_ttl_out' }
  | { readonly type: 'copy_ttl_in' }
  | { readonly type: 'set_mpls_ttl'; readonly mpls_ttl: number }
  | { readonly type: 'dec_mpls_ttl' }
  | { readonly type: 'push_vlan'; readonly ethertype: number }
  | { readonly type: 'pop_vlan' }
  | { readonly type: 'push_mpls'; readonly ethertype: number }
  | { readonly type: 'pop_mpls'; readonly ethertype: number }
  | { readonly type: 'set_queue'; readonly queue_id: number }
  | { readonly type: 'group'; readonly group_id: GroupId }
  | { readonly type: 'set_nw_ttl'; readonly nw_ttl: number }
  | { readonly type: 'dec_nw_ttl' }
  | { readonly type: 'set_field'; readonly field: OxmField }
  | { readonly type: 'push_pbb'; readonly ethertype: number }
  | { readonly type: 'pop_pbb' }
  /** OFPAT_EXPERIMENTER: data is everything after the experimenter id, padding included. */
  | { readonly type: 'experimenter'; readonly experimenter: number; readonly data: Buffer }
  /** An action type the spec does not define: its body after the 4-byte header, kept as bytes. */
  | { readonly type: 'unknown'; readonly code: number; readonly data: Buffer };

export type ActionType = Action['type'];

/** ofp_action_type, OF 1.3.5 §7.2.5 (values 1-10 were OF 1.0 actions and are gone). */
export const ActionTypeCodes: Readonly<Record<Exclude<ActionType, 'unknown'>, number>> = Object.freeze({
  output: 0, copy_ttl_out: 11, copy_ttl_in: 12, set_mpls_ttl: 15, dec_mpls_ttl: 16, push_vlan: 17,
  pop_vlan: 18, push_mpls: 19, pop_mpls: 20, set_queue: 21, group: 22, set_nw_ttl: 23, dec_nw_ttl: 24,
  set_field: 25, push_pbb: 26, pop_pbb: 27, experimenter: 0xffff,
});
const ACTION_NAME_BY_CODE = new Map<number, ActionType>(
  Object.entries(ActionTypeCodes).map(([name, code]) => [code, name as ActionType]),
);

/** The action type name of a wire code, or undefined for one the spec does not define. */
export function actionTypeName(code: number): Exclude<ActionType, 'unknown'> | undefined {
  return ACTION_NAME_BY_CODE.get(code) as Exclude<ActionType, 'unknown'> | undefined;
}
/** The wire code of an action type name, or undefined. */
export function actionTypeCode(name: string): number | undefined {
  return Object.hasOwn(ActionTypeCodes, name) ? ActionTypeCodes[name as keyof typeof ActionTypeCodes] : undefined;
}

const OFPAT_OUTPUT = 0;
const OFPAT_COPY_TTL_OUT = 11;
const OFPAT_COPY_TTL_IN = 12;
const OFPAT_SET_MPLS_TTL = 15;
const OFPAT_DEC_MPLS_TTL = 16;
const OFPAT_PUSH_VLAN = 17;
const OFPAT_POP_VLAN = 18;
const OFPAT_PUSH_MPLS = 19;
const OFPAT_POP_MPLS = 20;
const OFPAT_SET_QUEUE = 21;
const OFPAT_GROUP = 22;
const OFPAT_SET_NW_TTL = 23;
const OFPAT_DEC_NW_TTL = 24;
const OFPAT_SET_FIELD = 25;
const OFPAT_PUSH_PBB = 26;
const OFPAT_POP_PBB = 27;
const OFPAT_EXPERIMENTER = 0xffff;

/** ofp_action_header is 8 bytes; every action is at least that long. */
const ACTION_HEADER_LEN = 8;

/** Exact wire length of the fixed-size actions, indexed by type (0 = variable or unknown). */
const FIXED_LEN: readonly number[] = (() => {
  const t = new Array<number>(28).fill(0);
  t[OFPAT_OUTPUT] = 16;
  for (const c of [OFPAT_COPY_TTL_OUT, OFPAT_COPY_TTL_IN, OFPAT_SET_MPLS_TTL, OFPAT_DEC_MPLS_TTL, OFPAT_PUSH_VLAN,
    OFPAT_POP_VLAN, OFPAT_PUSH_MPLS, OFPAT_POP_MPLS, OFPAT_SET_QUEUE, OFPAT_GROUP, OFPAT_SET_NW_TTL,
    OFPAT_DEC_NW_TTL, OFPAT_PUSH_PBB, OFPAT_POP_PBB]) t[c] = 8;
  return t;
})();

/** A list of actions occupying exactly `len` bytes. */
export function decodeActions(r: Reader, len: number): Action[] {
  // ofp_action_header list, OF 1.3.5 §7.2.5: TLVs of type(2) len(2) body(len-4), exactly len bytes in all
  if (!(len >= 0)) r.fail('bad_length', `action list length ${len} is negative`);
  const out: Action[] = [];
  const saved = r.limit(len, 'action list');
  while (r.pos < r.end) out.push(decodeAction(r));
  r.restore(saved, 'action list');
  return out;
}

/** One action TLV; its declared length is enforced. */
export function decodeAction(r: Reader): Action {
  // ofp_action_header, OF 1.3.5 §7.2.5: type(2) len(2) body(len-4)
  const start = r.pos;
  const type = r.u16('action type');
  const len = r.u16('action len');
  if (len < ACTION_HEADER_LEN) {
    r.fail('bad_length', `action type ${type} has length ${len}, shorter than the 8-byte ofp_action_header`, start + 2);
  }
  const fixed = type < FIXED_LEN.length ? FIXED_LEN[type]! : 0;
  if (fixed !== 0 && len !== fixed) {
    r.fail('bad_length', `${ACTION_NAME_BY_CODE.get(type)} action must be ${fixed} bytes, not ${len}`, start + 2);
  }
  const saved = r.limit(len - 4, 'action');
  const a = decodeBody(r, type, start);
  r.restore(saved, 'action');
  return a;
}

function decodeBody(r: Reader, type: number, start: number): Action {
  switch (type) {
    case OFPAT_OUTPUT: {
      // ofp_action_output, OF 1.3.5 §7.2.5: type(2) len(2) port(4) max_len(2) pad(6)
      const port = readPortNo(r);
      const max_len = readMaxLen(r);
      r.pad(6);
      return { type: 'output', port, max_len };
    }
    case OFPAT_COPY_TTL_OUT:
      // ofp_action_generic, OF 1.3.5 §7.2.5: type(2) len(2) pad(4)
      r.pad(4);
      return { type: 'copy_ttl_out' };
    case OFPAT_COPY_TTL_IN:
      r.pad(4);
      return { type: 'copy_ttl_in' };
    case OFPAT_DEC_MPLS_TTL:
      r.pad(4);
      return { type: 'dec_mpls_ttl' };
    case OFPAT_POP_VLAN:
      r.pad(4);
      return { type: 'pop_vlan' };
    case OFPAT_DEC_NW_TTL:
      r.pad(4);
      return { type: 'dec_nw_ttl' };
    case OFPAT_POP_PBB:
      r.pad(4);
      return { type: 'pop_pbb' };
    case OFPAT_SET_MPLS_TTL: {
      // ofp_action_mpls_ttl, OF 1.3.5 §7.2.5: type(2) len(2) mpls_ttl(1) pad(3)
      const mpls_ttl = r.u8('mpls_ttl');
      r.pad(3);
      return { type: 'set_mpls_ttl', mpls_ttl };
    }
    case OFPAT_SET_NW_TTL: {
      // ofp_action_nw_ttl, OF 1.3.5 §7.2.5: type(2) len(2) nw_ttl(1) pad(3)
      const nw_ttl = r.u8('nw_ttl');
      r.pad(3);
      return { type: 'set_nw_ttl', nw_ttl };
    }
    case OFPAT_PUSH_VLAN:
    case OFPAT_PUSH_MPLS:
    case OFPAT_PUSH_PBB: {
      // ofp_action_push, OF 1.3.5 §7.2.5: type(2) len(2) ethertype(2) pad(2)
      const ethertype = r.u16('ethertype');
      r.pad(2);
      return { type: type === OFPAT_PUSH_VLAN ? 'push_vlan' : type === OFPAT_PUSH_MPLS ? 'push_mpls' : 'push_pbb', ethertype };
    }
    case OFPAT_POP_MPLS: {
      // ofp_action_pop_mpls, OF 1.3.5 §7.2.5: type(2) len(2) ethertype(2) pad(2)
      const ethertype = r.u16('ethertype');
      r.pad(2);
      return { type: 'pop_mpls', ethertype };
    }
    case OFPAT_SET_QUEUE:
      // ofp_action_set_queue, OF 1.3.5 §7.2.5: type(2) len(2) queue_id(4)
      return { type: 'set_queue', queue_id: r.u32('queue_id') };
    case OFPAT_GROUP:
      // ofp_action_group, OF 1.3.5 §7.2.5: type(2) len(2) group_id(4)
      return { type: 'group', group_id: readGroupId(r) };
    case OFPAT_SET_FIELD: {
      // ofp_action_set_field, OF 1.3.5 §7.2.5: type(2) len(2) field(oxm TLV) pad to 8
      const field = decodeOxm(r);
      const want = (r.pos - start + 7) & ~7;
      if (r.end - start !== want) {
        r.fail('bad_length', `set_field action is ${r.end - start} bytes but its OXM pads to ${want}`, start + 2);
      }
      r.pad(r.end - r.pos);
      return { type: 'set_field', field };
    }
    case OFPAT_EXPERIMENTER: {
      // ofp_action_experimenter_header, OF 1.3.5 §7.2.5: type(2) len(2) experimenter(4) data(len-8)
      const experimenter = r.u32('experimenter');
      return { type: 'experimenter', experimenter, data: r.bytes(r.end - r.pos, 'experimenter action data') };
    }
    default:
      // ofp_action_header, OF 1.3.5 §7.2.5: type(2) len(2) body(len-4), body kept as it came
      return { type: 'unknown', code: type, data: r.bytes(r.end - r.pos, 'action body') };
  }
}

export function encodeActions(w: Writer, actions: readonly Action[]): void {
  // ofp_action_header list, OF 1.3.5 §7.2.5: TLVs of type(2) len(2) body(len-4), back to back
  if (!Array.isArray(actions)) {
    w.fail(`actions must be a list like [{"type":"output","port":1,"max_len":"no_buffer"}], got ${describe(actions)}`);
  }
  for (let i = 0; i < actions.length; i++) {
    try {
      encodeAction(w, actions[i] as Action);
    } catch (e) {
      throw inContext(e, `actions[${i}]`);
    }
  }
}

export function encodeAction(w: Writer, a: Action): void {
  // ofp_action_header, OF 1.3.5 §7.2.5: type(2) len(2) body(len-4)
  if (a === null || typeof a !== 'object') w.fail(`an action must be an object with a "type", got ${describe(a)}`);
  const start = w.pos;
  let at: number;
  switch (a.type) {
    case 'output':
      // ofp_action_output, OF 1.3.5 §7.2.5: type(2) len(2) port(4) max_len(2) pad(6)
      w.u16(OFPAT_OUTPUT);
      at = w.reserve16();
      if (typeof a.port !== 'number' && typeof a.port !== 'string') w.fail(`output port must be a number or a reserved port name, got ${describe(a.port)}`);
      writePortNo(w, a.port);
      if (a.max_len !== 'no_buffer' && typeof a.max_len !== 'number') w.fail(`output max_len must be a byte count (at most 65509, OFPCML_MAX) or "no_buffer", got ${describe(a.max_len)}`);
      writeMaxLen(w, a.max_len);
      w.pad(6);
      break;
    case 'copy_ttl_out':
    case 'copy_ttl_in':
    case 'dec_mpls_ttl':
    case 'pop_vlan':
    case 'dec_nw_ttl':
    case 'pop_pbb':
      // ofp_action_generic, OF 1.3.5 §7.2.5: type(2) len(2) pad(4)
      w.u16(ActionTypeCodes[a.type]);
      at = w.reserve16();
      w.pad(4);
      break;
    case 'set_mpls_ttl':
      // ofp_action_mpls_ttl, OF 1.3.5 §7.2.5: type(2) len(2) mpls_ttl(1) pad(3)
      w.u16(OFPAT_SET_MPLS_TTL);
      at = w.reserve16();
      w.u8(uint(w, a.mpls_ttl, 0xff, 'set_mpls_ttl mpls_ttl'));
      w.pad(3);
      break;
    case 'set_nw_ttl':
      // ofp_action_nw_ttl, OF 1.3.5 §7.2.5: type(2) len(2) nw_ttl(1) pad(3)
      w.u16(OFPAT_SET_NW_TTL);
      at = w.reserve16();
      w.u8(uint(w, a.nw_ttl, 0xff, 'set_nw_ttl nw_ttl'));
      w.pad(3);
      break;
    case 'push_vlan':
    case 'push_mpls':
    case 'push_pbb':
    case 'pop_mpls':
      // ofp_action_push / ofp_action_pop_mpls, OF 1.3.5 §7.2.5: type(2) len(2) ethertype(2) pad(2)
      w.u16(ActionTypeCodes[a.type]);
      at = w.reserve16();
      w.u16(uint(w, a.ethertype, 0xffff, `${a.type} ethertype`));
      w.pad(2);
      break;
    case 'set_queue':
      // ofp_action_set_queue, OF 1.3.5 §7.2.5: type(2) len(2) queue_id(4)
      w.u16(OFPAT_SET_QUEUE);
      at = w.reserve16();
      w.u32(uint(w, a.queue_id, 0xffffffff, 'set_queue queue_id'));
      break;
    case 'group':
      // ofp_action_group, OF 1.3.5 §7.2.5: type(2) len(2) group_id(4)
      w.u16(OFPAT_GROUP);
      at = w.reserve16();
      if (typeof a.group_id !== 'number' && typeof a.group_id !== 'string') w.fail(`group_id must be a number, "all" or "any", got ${describe(a.group_id)}`);
      writeGroupId(w, a.group_id);
      break;
    case 'set_field':
      // ofp_action_set_field, OF 1.3.5 §7.2.5: type(2) len(2) field(oxm TLV) pad to 8
      w.u16(OFPAT_SET_FIELD);
      at = w.reserve16();
      encodeOxm(w, a.field);
      w.align8(start);
      break;
    case 'experimenter':
      // ofp_action_experimenter_header, OF 1.3.5 §7.2.5: type(2) len(2) experimenter(4) data
      w.u16(OFPAT_EXPERIMENTER);
      at = w.reserve16();
      w.u32(uint(w, a.experimenter, 0xffffffff, 'experimenter id'));
      w.bytes(a.data);
      break;
    case 'unknown':
      // ofp_action_header, OF 1.3.5 §7.2.5: type(2) len(2) body, written back as it came
      if (!Number.isInteger(a.code) || ACTION_NAME_BY_CODE.has(a.code)) {
        w.fail(`unknown action code ${describe(a.code)} must be an integer the spec does not define; use the named type instead`);
      }
      w.u16(a.code);
      at = w.reserve16();
      w.bytes(a.data);
      break;
    default:
      return w.fail(`unknown action type ${describe((a as { type: unknown }).type)}; expected one of ${Object.keys(ActionTypeCodes).join(', ')}, unknown`);
  }
  w.patch16(at, start);
}
