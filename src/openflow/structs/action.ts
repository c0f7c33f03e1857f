import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { readGroupId, readMaxLen, readPortNo, writeGroupId, writeMaxLen, writePortNo } from '../common.js';
import type { GroupId, MaxLen, PortNo } from '../common.js';
import { decodeOxm, encodeOxm, SET_FIELD_RULES, type OxmField } from './oxm.js';
import { describe, uint } from '../input-checks.js';
import { experimenterKind, kind, TlvFrame, TlvRegistry, type TlvKind } from '../tlv.js';

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

const action = kind<Action>();

// ofp_action_generic, OF 1.3.5 §7.2.5: type(2) len(2) pad(4)
function generic<T extends 'copy_ttl_out' | 'copy_ttl_in' | 'dec_mpls_ttl' | 'pop_vlan' | 'dec_nw_ttl' | 'pop_pbb'>(
  code: number,
  type: T,
): TlvKind<Action> {
  return action({
    code, type, length: { exact: 8 },
    decode(r) {
      r.pad(4);
      return { type } as Extract<Action, { type: T }>;
    },
    encode: (w) => w.pad(4),
  });
}

// ofp_action_push, OF 1.3.5 §7.2.5: type(2) len(2) ethertype(2) pad(2); ofp_action_pop_mpls has the same layout
function ethertype<T extends 'push_vlan' | 'push_mpls' | 'push_pbb' | 'pop_mpls'>(code: number, type: T): TlvKind<Action> {
  return action({
    code, type, length: { exact: 8 },
    decode(r) {
      const ethertype = r.u16('ethertype');
      r.pad(2);
      return { type, ethertype } as Extract<Action, { type: T }>;
    },
    encode(w, a) {
      w.u16(uint(w, (a as { ethertype: unknown }).ethertype, 0xffff, `${type} ethertype`));
      w.pad(2);
    },
  });
}

/** ofp_action_type, OF 1.3.5 §7.2.5 (values 1-10 were OF 1.0 actions and are gone). */
export const ACTIONS = new TlvRegistry<Action>('action', [
  action({
    // ofp_action_output, OF 1.3.5 §7.2.5: type(2) len(2) port(4) max_len(2) pad(6)
    code: 0, type: 'output', length: { exact: 16 },
    decode(r) {
      const port = readPortNo(r);
      const max_len = readMaxLen(r);
      r.pad(6);
      return { type: 'output', port, max_len };
    },
    encode(w, a) {
      if (typeof a.port !== 'number' && typeof a.port !== 'string') w.fail(`output port must be a number or a reserved port name, got ${describe(a.port)}`);
      writePortNo(w, a.port);
      if (a.max_len !== 'no_buffer' && typeof a.max_len !== 'number') w.fail(`output max_len must be a byte count (at most 65509, OFPCML_MAX) or "no_buffer", got ${describe(a.max_len)}`);
      writeMaxLen(w, a.max_len);
      w.pad(6);
    },
  }),
  generic(11, 'copy_ttl_out'),
  generic(12, 'copy_ttl_in'),
  action({
    // ofp_action_mpls_ttl, OF 1.3.5 §7.2.5: type(2) len(2) mpls_ttl(1) pad(3)
    code: 15, type: 'set_mpls_ttl', length: { exact: 8 },
    decode(r) {
      const mpls_ttl = r.u8('mpls_ttl');
      r.pad(3);
      return { type: 'set_mpls_ttl', mpls_ttl };
    },
    encode(w, a) {
      w.u8(uint(w, a.mpls_ttl, 0xff, 'set_mpls_ttl mpls_ttl'));
      w.pad(3);
    },
  }),
  generic(16, 'dec_mpls_ttl'),
  ethertype(17, 'push_vlan'),
  generic(18, 'pop_vlan'),
  ethertype(19, 'push_mpls'),
  ethertype(20, 'pop_mpls'),
  action({
    // ofp_action_set_queue, OF 1.3.5 §7.2.5: type(2) len(2) queue_id(4)
    code: 21, type: 'set_queue', length: { exact: 8 },
    decode: (r) => ({ type: 'set_queue', queue_id: r.u32('queue_id') }),
    encode: (w, a) => w.u32(uint(w, a.queue_id, 0xffffffff, 'set_queue queue_id')),
  }),
  action({
    // ofp_action_group, OF 1.3.5 §7.2.5: type(2) len(2) group_id(4)
    code: 22, type: 'group', length: { exact: 8 },
    decode: (r) => ({ type: 'group', group_id: readGroupId(r) }),
    encode(w, a) {
      if (typeof a.group_id !== 'number' && typeof a.group_id !== 'string') w.fail(`group_id must be a number, "all" or "any", got ${describe(a.group_id)}`);
      writeGroupId(w, a.group_id);
    },
  }),
  action({
    // ofp_action_nw_ttl, OF 1.3.5 §7.2.5: type(2) len(2) nw_ttl(1) pad(3)
    code: 23, type: 'set_nw_ttl', length: { exact: 8 },
    decode(r) {
      const nw_ttl = r.u8('nw_ttl');
      r.pad(3);
      return { type: 'set_nw_ttl', nw_ttl };
    },
    encode(w, a) {
      w.u8(uint(w, a.nw_ttl, 0xff, 'set_nw_ttl nw_ttl'));
      w.pad(3);
    },
  }),
  generic(24, 'dec_nw_ttl'),
  action({
    // ofp_action_set_field, OF 1.3.5 §7.2.5: type(2) len(2) field(oxm TLV) pad to 8
    code: 25, type: 'set_field', length: { min: 8 },
    decode(r, _head, start) {
      const field = decodeOxm(r, SET_FIELD_RULES);
      const want = (r.pos - start + 7) & ~7;
      if (r.end - start !== want) {
        r.fail('bad_length', `set_field action is ${r.end - start} bytes but its OXM pads to ${want}`, start + 2);
      }
      r.pad(r.end - r.pos);
      return { type: 'set_field', field };
    },
    encode(w, a, start) {
      encodeOxm(w, a.field, SET_FIELD_RULES);
      w.align8(start);
    },
  }),
  ethertype(26, 'push_pbb'),
  generic(27, 'pop_pbb'),
  // ofp_action_experimenter_header, OF 1.3.5 §7.2.5: type(2) len(2) experimenter(4) data(len-8)
  experimenterKind<Action>({ code: 0xffff, length: { min: 8 } }),
], 8, { length: 8, name: 'ofp_action_header' });

const FRAME = new TlvFrame(ACTIONS);

/** ofp_action_type by name. */
export const ActionTypeCodes = ACTIONS.codes as Readonly<Record<Exclude<ActionType, 'unknown'>, number>>;

/** The action type name of a wire code, or undefined for one the spec does not define. */
export function actionTypeName(code: number): Exclude<ActionType, 'unknown'> | undefined {
  return ACTIONS.byCode(code)?.type as Exclude<ActionType, 'unknown'> | undefined;
}
/** The wire code of an action type name, or undefined. */
export function actionTypeCode(name: string): number | undefined {
  return ACTIONS.byType(name)?.code;
}

/** A list of actions occupying exactly `len` bytes (ofp_action_header list, OF 1.3.5 §7.2.5). */
export function decodeActions(r: Reader, len: number): Action[] {
  return FRAME.decodeList(r, len, 'action list');
}

/** One action TLV (ofp_action_header, OF 1.3.5 §7.2.5: type(2) len(2) body(len-4)); its declared length is enforced. */
export function decodeAction(r: Reader): Action {
  return FRAME.decode(r);
}

/** Actions back to back (ofp_action_header list, OF 1.3.5 §7.2.5). */
export function encodeActions(w: Writer, actions: readonly Action[]): void {
  FRAME.encodeList(w, actions, 'actions', '[{"type":"output","port":1,"max_len":"no_buffer"}]');
}

/** One action TLV (ofp_action_header, OF 1.3.5 §7.2.5: type(2) len(2) body(len-4)). */
export function encodeAction(w: Writer, a: Action): void {
  FRAME.encode(w, a);
}
