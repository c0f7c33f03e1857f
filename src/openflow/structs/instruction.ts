// TYPES ARE FIXED (other modules depend on them); the codec below is to be implemented.
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import type { MeterId } from '../common.js';
import type { Action } from './action.js';

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

/** A list of instructions occupying exactly `len` bytes. */
export function decodeInstructions(r: Reader, len: number): Instruction[] {
  throw new Error('not implemented');
}
export function encodeInstructions(w: Writer, list: readonly Instruction[]): void {
  throw new Error('not implemented');
}
