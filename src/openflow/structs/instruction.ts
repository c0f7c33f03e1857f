import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { readMeterId, writeMeterId, type MeterId } from '../common.js';
import { decodeActions, encodeActions, type Action } from './action.js';
import { describe, u64, uint } from '../input-checks.js';
import { experimenterKind, kind, TlvFrame, TlvRegistry } from '../tlv.js';

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

const instruction = kind<Instruction>();

/** ofp_instruction_type, OF 1.3.5 §7.2.4. */
export const INSTRUCTIONS = new TlvRegistry<Instruction>('instruction', [
  instruction({
    // ofp_instruction_goto_table, OF 1.3.5 §7.2.4: type(2) len(2) table_id(1) pad(3)
    code: 1, type: 'goto_table', length: { exact: 8 },
    decode(r) {
      const table_id = r.u8('table_id');
      r.pad(3);
      return { type: 'goto_table', table_id };
    },
    encode(w, ins) {
      w.u8(uint(w, ins.table_id, 0xff, 'goto_table table_id'));
      w.pad(3);
    },
  }),
  instruction({
    // ofp_instruction_write_metadata, OF 1.3.5 §7.2.4: type(2) len(2) pad(4) metadata(8) metadata_mask(8)
    code: 2, type: 'write_metadata', length: { exact: 24 },
    decode(r) {
      r.pad(4);
      const metadata = r.u64('metadata');
      return { type: 'write_metadata', metadata, metadata_mask: r.u64('metadata_mask') };
    },
    encode(w, ins) {
      w.pad(4);
      u64(w, ins.metadata, 'write_metadata metadata');
      u64(w, ins.metadata_mask, 'write_metadata metadata_mask');
    },
  }),
  instruction({
    // ofp_instruction_actions, OF 1.3.5 §7.2.4: type(2) len(2) pad(4) actions(len-8)
    code: 3, type: 'write_actions', length: { min: 8 },
    decode(r) {
      r.pad(4);
      return { type: 'write_actions', actions: decodeActions(r, r.remaining) };
    },
    encode(w, ins) {
      w.pad(4);
      encodeActions(w, ins.actions);
    },
  }),
  instruction({
    // ofp_instruction_actions, OF 1.3.5 §7.2.4: type(2) len(2) pad(4) actions(len-8)
    code: 4, type: 'apply_actions', length: { min: 8 },
    decode(r) {
      r.pad(4);
      return { type: 'apply_actions', actions: decodeActions(r, r.remaining) };
    },
    encode(w, ins) {
      w.pad(4);
      encodeActions(w, ins.actions);
    },
  }),
  instruction({
    // ofp_instruction_actions, OF 1.3.5 §7.2.4: type(2) len(2) pad(4), no actions
    code: 5, type: 'clear_actions', length: { exact: 8 },
    decode(r) {
      r.pad(4);
      return { type: 'clear_actions' };
    },
    encode: (w) => w.pad(4),
  }),
  instruction({
    // ofp_instruction_meter, OF 1.3.5 §7.2.4: type(2) len(2) meter_id(4)
    code: 6, type: 'meter', length: { exact: 8 },
    decode: (r) => ({ type: 'meter', meter_id: readMeterId(r) }),
    encode(w, ins) {
      if (typeof ins.meter_id !== 'number' && typeof ins.meter_id !== 'string') {
        w.fail(`meter_id must be a number or one of slowpath, controller, all, got ${describe(ins.meter_id)}`);
      }
      writeMeterId(w, ins.meter_id);
    },
  }),
  // ofp_instruction_experimenter, OF 1.3.5 §7.2.4: type(2) len(2) experimenter(4) data(len-8)
  experimenterKind<Instruction>({ code: 0xffff, length: { min: 8 } }),
], 4);

const FRAME = new TlvFrame(INSTRUCTIONS);

/** ofp_instruction_type by name. */
export const InstructionTypeCodes = INSTRUCTIONS.codes as Readonly<Record<Exclude<Instruction['type'], 'unknown'>, number>>;

/** The instruction type name of a wire code, or undefined for one the spec does not define. */
export function instructionTypeName(code: number): Exclude<Instruction['type'], 'unknown'> | undefined {
  return INSTRUCTIONS.byCode(code)?.type as Exclude<Instruction['type'], 'unknown'> | undefined;
}
/** The wire code of an instruction type name, or undefined. */
export function instructionTypeCode(name: string): number | undefined {
  return INSTRUCTIONS.byType(name)?.code;
}

/** A list of instructions occupying exactly `len` bytes (ofp_instruction list, OF 1.3.5 §7.2.4). */
export function decodeInstructions(r: Reader, len: number): Instruction[] {
  return FRAME.decodeList(r, len, 'instruction list');
}

/** One instruction TLV (ofp_instruction, OF 1.3.5 §7.2.4: type(2) len(2) body(len-4)); its declared length is enforced. */
export function decodeInstruction(r: Reader): Instruction {
  return FRAME.decode(r);
}

/** Instructions back to back (ofp_instruction list, OF 1.3.5 §7.2.4). */
export function encodeInstructions(w: Writer, list: readonly Instruction[]): void {
  FRAME.encodeList(w, list, 'instructions', '[{"type":"apply_actions","actions":[...]}]');
}

/** One instruction TLV (ofp_instruction, OF 1.3.5 §7.2.4: type(2) len(2) body(len-4)). */
export function encodeInstruction(w: Writer, ins: Instruction): void {
  FRAME.encode(w, ins);
}
