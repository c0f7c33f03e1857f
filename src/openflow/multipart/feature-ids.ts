import { enumTable } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { actionTypeCode, actionTypeName, type ActionType } from '../structs/action.js';
import { INSTRUCTIONS } from '../structs/instruction.js';
import {
  decodeOxmHeader, encodeOxmHeader, oxmFieldCode, oxmFieldName, OFPXMC_EXPERIMENTER, OFPXMC_OPENFLOW_BASIC,
  type OxmFieldName,
} from '../structs/oxm.js';
import { needBool, needObject, peekLength, show } from './record.js';

// The id lists inside table-feature properties. They describe capabilities,
// so they are kept exactly as the switch sent them (order, lengths, extra
// bytes) rather than normalised.

/** ofp_instruction_type, OF 1.3.5 §7.2.4 (the instruction registry's codes). */
export const InstructionTypeNames = enumTable('instruction type', INSTRUCTIONS.codes);
export type InstructionIdType = 'goto_table' | 'write_metadata' | 'write_actions' | 'apply_actions' | 'clear_actions' | 'meter' | 'experimenter';
export type ActionIdType = Exclude<ActionType, 'unknown'>;

/**
 * An instruction or action id: a type with no body. `experimenter` is
 * present exactly when the type is 'experimenter' (0xffff); `data` holds any
 * bytes the switch put after that, and is absent when there are none.
 * Types the spec does not name stay numbers.
 */
export interface InstructionId {
  readonly type: InstructionIdType | number;
  readonly experimenter?: number;
  readonly data?: Buffer;
}
export interface ActionId {
  readonly type: ActionIdType | number;
  readonly experimenter?: number;
  readonly data?: Buffer;
}

/**
 * An OXM id (a bare OXM header). Basic-class fields the spec names use
 * `field`; anything else keeps the raw class and field numbers, plus the
 * experimenter id for class 0xffff. `length` is the oxm_length byte as sent.
 */
export type OxmId =
  | { readonly field: OxmFieldName; readonly hasmask: boolean; readonly length: number }
  | {
      readonly oxm_class: number;
      readonly oxm_field: number;
      readonly hasmask: boolean;
      readonly length: number;
      readonly experimenter?: number;
    };

const EXPERIMENTER = 0xffff;

// ofp_instruction / ofp_action_header as ids, OF 1.3.5 §7.3.5.5.2: type(2) len(2) [experimenter(4)] data(rest of len)
function decodeTypedId<N extends string>(r: Reader, name: (code: number) => N | undefined, what: string) {
  r.need(2, `${what} type`);
  const code = (r.buf[r.pos]! << 8) | r.buf[r.pos + 1]!;
  const saved = r.limit(peekLength(r, 2, code === EXPERIMENTER ? 8 : 4, what), what);
  r.pos += 4;
  const id: { type: N | number; experimenter?: number; data?: Buffer } = { type: name(code) ?? code };
  if (code === EXPERIMENTER) id.experimenter = r.u32('experimenter');
  if (r.remaining > 0) id.data = r.bytes(r.remaining);
  r.restore(saved, what);
  return id;
}

// ofp_instruction / ofp_action_header as ids, OF 1.3.5 §7.3.5.5.2: type(2) len(2) [experimenter(4)] data
function encodeTypedId(
  w: Writer,
  id: { readonly type: string | number; readonly experimenter?: number; readonly data?: Buffer },
  code: (name: string) => number | undefined,
  what: string,
): void {
  needObject(w, id, what);
  const c = typeof id.type === 'number' ? id.type : typeof id.type === 'string' ? code(id.type) : undefined;
  if (c === undefined) w.fail(`unknown ${what} type ${show(id.type)}; use a spec name or a number`);
  const start = w.pos;
  w.u16(c);
  const at = w.reserve16();
  if (c === EXPERIMENTER) {
    if (id.experimenter === undefined) w.fail(`an experimenter ${what} needs its experimenter id`);
    w.u32(id.experimenter);
  } else if (id.experimenter !== undefined) {
    w.fail(`${what} ${show(id.type)} has no experimenter id; remove it or use type 'experimenter'`);
  }
  if (id.data !== undefined) w.bytes(id.data);
  w.patch16(at, start);
}

const instructionName = (code: number) => InstructionTypeNames.byValue.get(code) as InstructionIdType | undefined;
const instructionCode = (name: string) => InstructionTypeNames.byName.get(name);

// ofp_instruction as an id, OF 1.3.5 §7.3.5.5.2: type(2) len(2) [experimenter(4)] data
export function decodeInstructionId(r: Reader): InstructionId {
  return decodeTypedId(r, instructionName, 'instruction id');
}

// ofp_instruction as an id, OF 1.3.5 §7.3.5.5.2: type(2) len(2) [experimenter(4)] data
export function encodeInstructionId(w: Writer, id: InstructionId): void {
  encodeTypedId(w, id, instructionCode, 'instruction id');
}

// ofp_action_header as an id, OF 1.3.5 §7.3.5.5.2: type(2) len(2) [experimenter(4)] data
export function decodeActionId(r: Reader): ActionId {
  return decodeTypedId(r, actionTypeName, 'action id');
}

// ofp_action_header as an id, OF 1.3.5 §7.3.5.5.2: type(2) len(2) [experimenter(4)] data
export function encodeActionId(w: Writer, id: ActionId): void {
  encodeTypedId(w, id, actionTypeCode, 'action id');
}

// OXM id, OF 1.3.5 §7.3.5.5.2: oxm_class(2) oxm_field(7 bits) hasmask(1 bit) oxm_length(1) [experimenter(4)]
export function decodeOxmId(r: Reader): OxmId {
  const h = decodeOxmHeader(r);
  if (h.oxm_class === OFPXMC_OPENFLOW_BASIC) {
    const field = oxmFieldName(h.oxm_field);
    if (field !== undefined) return { field, hasmask: h.hasmask, length: h.length };
  }
  if (h.oxm_class === OFPXMC_EXPERIMENTER) return { ...h, experimenter: r.u32('oxm experimenter') };
  return h;
}

// OXM id, OF 1.3.5 §7.3.5.5.2: oxm_class(2) oxm_field(7 bits) hasmask(1 bit) oxm_length(1) [experimenter(4)]
export function encodeOxmId(w: Writer, id: OxmId): void {
  needObject(w, id, 'oxm id');
  if ('field' in id) {
    const code = typeof id.field === 'string' ? oxmFieldCode(id.field) : undefined;
    if (code === undefined) w.fail(`unknown OXM field ${show(id.field)}; use a basic field name or {oxm_class, oxm_field}`);
    needBool(w, id.hasmask, 'oxm id hasmask');
    encodeOxmHeader(w, { oxm_class: OFPXMC_OPENFLOW_BASIC, oxm_field: code, hasmask: id.hasmask, length: id.length });
    return;
  }
  encodeOxmHeader(w, id);
  if (id.oxm_class === OFPXMC_EXPERIMENTER) {
    if (id.experimenter === undefined) w.fail('an OXM id of class 0xffff needs its experimenter id');
    w.u32(id.experimenter);
  } else if (id.experimenter !== undefined) {
    w.fail(`OXM id class ${show(id.oxm_class)} has no experimenter id; only class 0xffff does`);
  }
}
