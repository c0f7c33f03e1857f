import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { readMeterId, writeMeterId, type MeterId } from '../common.js';
import { decodeActions, encodeActions, type Action } from './action.js';
import { describe, inContext, u64, uint } from './oxm.js';

/** ofp_instruction and friends, OF 1.3.5 §7.2.4. */
export type Instruction =
  | { readonly type: 'goto_table'; readonly table_id: number }
  | { readonly type: 'write_metadata'; readonly metadata: bigint; readonly metadata_mask: bigint }
  | { readonly type: 'write_actions'; readonly actions: readonly Action[] }
  | { readonly type: 'apply_actions'; readonly actions: readonly Action[] }
  | { readonly type: 'clear_actions' }
  | { readonly type: 'meter'; readonly meter_id: MeterId }
  | { readonly type: 'experimenter'; readonly experimenter: number; readonly data: Buffer }
  | { readonly type: 'unknown'; readonly code: number; readonly data: Buffer };

/** ofp_instruction_type, OF 1.3.5 §7.2.4. */
export const InstructionTypeCodes: Readonly<Record<Exclude<Instruction['type'], 'unknown'>, number>> = Object.freeze({
  goto_table: 1, write_metadata: 2, write_actions: 3, apply_actions: 4, clear_actions: 5, meter: 6, experimenter: 0xffff,
});
const INSTRUCTION_NAME_BY_CODE = new Map<number, string>(Object.entries(InstructionTypeCodes).map(([n, c]) => [c, n]));

/** The instruction type name of a wire code, or undefined for one the spec does not define. */
export function instructionTypeName(code: number): Exclude<Instruction['type'], 'unknown'> | undefined {
  return INSTRUCTION_NAME_BY_CODE.get(code) as Exclude<Instruction['type'], 'unknown'> | undefined;
}
/** The wire code of an instruction type name, or undefined. */
export function instructionTypeCode(name: string): number | undefined {
  return Object.hasOwn(InstructionTypeCodes, name) ? InstructionTypeCodes[name as keyof typeof InstructionTypeCodes] : undefined;
}

const OFPIT_GOTO_TABLE = 1;
const OFPIT_WRITE_METADATA = 2;
const OFPIT_WRITE_ACTIONS = 3;
const OFPIT_APPLY_ACTIONS = 4;
const OFPIT_CLEAR_ACTIONS = 5;
const OFPIT_METER = 6;
const OFPIT_EXPERIMENTER = 0xffff;

/** ofp_instruction is type(2) len(2); anything shorter cannot advance the list. */
const INSTRUCTION_HEADER_LEN = 4;

/** Exact wire length of fixed-size instructions by type; the rest are at least 8. */
const FIXED_LEN: readonly number[] = [0, 8, 24, 0, 0, 8, 8];

/** A list of instructions occupying exactly `len` bytes. */
export function decodeInstructions(r: Reader, len: number): Instruction[] {
  // ofp_instruction list, OF 1.3.5 §7.2.4: TLVs of type(2) len(2) body(len-4), exactly len bytes in all
  if (!(len >= 0)) r.fail('bad_length', `instruction list length ${len} is negative`);
  const out: Instruction[] = [];
  const saved = r.limit(len, 'instruction list');
  while (r.pos < r.end) out.push(decodeInstruction(r));
  r.restore(saved, 'instruction list');
  return out;
}

/** One instruction TLV; its declared length is enforced. */
export function decodeInstruction(r: Reader): Instruction {
  // ofp_instruction, OF 1.3.5 §7.2.4: type(2) len(2) body(len-4)
  const start = r.pos;
  const type = r.u16('instruction type');
  const len = r.u16('instruction len');
  const fixed = type < FIXED_LEN.length ? FIXED_LEN[type]! : 0;
  if (fixed !== 0) {
    if (len !== fixed) r.fail('bad_length', `${INSTRUCTION_NAME_BY_CODE.get(type)} instruction must be ${fixed} bytes, not ${len}`, start + 2);
  } else {
    // Actions lists and experimenter ids need the 8-byte header; an unknown type only its own 4.
    const min = INSTRUCTION_NAME_BY_CODE.has(type) ? 8 : INSTRUCTION_HEADER_LEN;
    if (len < min) r.fail('bad_length', `instruction type ${type} has length ${len}, shorter than ${min}`, start + 2);
  }
  const saved = r.limit(len - 4, 'instruction');
  const ins = decodeBody(r, type, len);
  r.restore(saved, 'instruction');
  return ins;
}

function decodeBody(r: Reader, type: number, len: number): Instruction {
  switch (type) {
    case OFPIT_GOTO_TABLE: {
      // ofp_instruction_goto_table, OF 1.3.5 §7.2.4: type(2) len(2) table_id(1) pad(3)
      const table_id = r.u8('table_id');
      r.pad(3);
      return { type: 'goto_table', table_id };
    }
    case OFPIT_WRITE_METADATA: {
      // ofp_instruction_write_metadata, OF 1.3.5 §7.2.4: type(2) len(2) pad(4) metadata(8) metadata_mask(8)
      r.pad(4);
      const metadata = r.u64('metadata');
      return { type: 'write_metadata', metadata, metadata_mask: r.u64('metadata_mask') };
    }
    case OFPIT_WRITE_ACTIONS:
    case OFPIT_APPLY_ACTIONS: {
      // ofp_instruction_actions, OF 1.3.5 §7.2.4: type(2) len(2) pad(4) actions(len-8)
      r.pad(4);
      const actions = decodeActions(r, len - 8);
      return type === OFPIT_WRITE_ACTIONS ? { type: 'write_actions', actions } : { type: 'apply_actions', actions };
    }
    case OFPIT_CLEAR_ACTIONS:
      // ofp_instruction_actions, OF 1.3.5 §7.2.4: type(2) len(2) pad(4), no actions
      r.pad(4);
      return { type: 'clear_actions' };
    case OFPIT_METER:
      // ofp_instruction_meter, OF 1.3.5 §7.2.4: type(2) len(2) meter_id(4)
      return { type: 'meter', meter_id: readMeterId(r) };
    case OFPIT_EXPERIMENTER: {
      // ofp_instruction_experimenter, OF 1.3.5 §7.2.4: type(2) len(2) experimenter(4) data(len-8)
      const experimenter = r.u32('experimenter');
      return { type: 'experimenter', experimenter, data: r.bytes(len - 8, 'experimenter instruction data') };
    }
    default:
      // ofp_instruction, OF 1.3.5 §7.2.4: type(2) len(2) body(len-4), body kept as it came
      return { type: 'unknown', code: type, data: r.bytes(len - 4, 'instruction body') };
  }
}

export function encodeInstructions(w: Writer, list: readonly Instruction[]): void {
  // ofp_instruction list, OF 1.3.5 §7.2.4: TLVs of type(2) len(2) body(len-4), back to back
  if (!Array.isArray(list)) {
    w.fail(`instructions must be a list like [{"type":"apply_actions","actions":[...]}], got ${describe(list)}`);
  }
  for (let i = 0; i < list.length; i++) {
    try {
      encodeInstruction(w, list[i] as Instruction);
    } catch (e) {
      throw inContext(e, `instructions[${i}]`);
    }
  }
}

export function encodeInstruction(w: Writer, ins: Instruction): void {
  // ofp_instruction, OF 1.3.5 §7.2.4: type(2) len(2) body(len-4)
  if (ins === null || typeof ins !== 'object') w.fail(`an instruction must be an object with a "type", got ${describe(ins)}`);
  const start = w.pos;
  let at: number;
  switch (ins.type) {
    case 'goto_table':
      // ofp_instruction_goto_table, OF 1.3.5 §7.2.4: type(2) len(2) table_id(1) pad(3)
      w.u16(OFPIT_GOTO_TABLE);
      at = w.reserve16();
      w.u8(uint(w, ins.table_id, 0xff, 'goto_table table_id'));
      w.pad(3);
      break;
    case 'write_metadata':
      // ofp_instruction_write_metadata, OF 1.3.5 §7.2.4: type(2) len(2) pad(4) metadata(8) metadata_mask(8)
      w.u16(OFPIT_WRITE_METADATA);
      at = w.reserve16();
      w.pad(4);
      u64(w, ins.metadata, 'write_metadata metadata');
      u64(w, ins.metadata_mask, 'write_metadata metadata_mask');
      break;
    case 'write_actions':
    case 'apply_actions':
      // ofp_instruction_actions, OF 1.3.5 §7.2.4: type(2) len(2) pad(4) actions
      w.u16(ins.type === 'write_actions' ? OFPIT_WRITE_ACTIONS : OFPIT_APPLY_ACTIONS);
      at = w.reserve16();
      w.pad(4);
      encodeActions(w, ins.actions);
      break;
    case 'clear_actions':
      // ofp_instruction_actions, OF 1.3.5 §7.2.4: type(2) len(2) pad(4), no actions
      w.u16(OFPIT_CLEAR_ACTIONS);
      at = w.reserve16();
      w.pad(4);
      break;
    case 'meter':
      // ofp_instruction_meter, OF 1.3.5 §7.2.4: type(2) len(2) meter_id(4)
      w.u16(OFPIT_METER);
      at = w.reserve16();
      if (typeof ins.meter_id !== 'number' && typeof ins.meter_id !== 'string') {
        w.fail(`meter_id must be a number or one of slowpath, controller, all, got ${describe(ins.meter_id)}`);
      }
      writeMeterId(w, ins.meter_id);
      break;
    case 'experimenter':
      // ofp_instruction_experimenter, OF 1.3.5 §7.2.4: type(2) len(2) experimenter(4) data
      w.u16(OFPIT_EXPERIMENTER);
      at = w.reserve16();
      w.u32(uint(w, ins.experimenter, 0xffffffff, 'experimenter id'));
      w.bytes(ins.data);
      break;
    case 'unknown':
      // ofp_instruction, OF 1.3.5 §7.2.4: type(2) len(2) body, written back as it came
      if (!Number.isInteger(ins.code) || INSTRUCTION_NAME_BY_CODE.has(ins.code)) {
        w.fail(`unknown instruction code ${describe(ins.code)} must be an integer the spec does not define; use the named type instead`);
      }
      w.u16(ins.code);
      at = w.reserve16();
      w.bytes(ins.data);
      break;
    default:
      return w.fail(`unknown instruction type ${describe((ins as { type: unknown }).type)}; expected one of ${Object.keys(InstructionTypeCodes).join(', ')}, unknown`);
  }
  w.patch16(at, start);
}
