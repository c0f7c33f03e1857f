import { enumTable } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import {
  decodeActionId, decodeInstructionId, decodeOxmId, encodeActionId, encodeInstructionId, encodeOxmId,
  type ActionId, type InstructionId, type OxmId,
} from './feature-ids.js';
import { decodeUntilEnd, encodeEach, needList } from './record.js';
import { experimenterKind, kind, TlvFrame, TlvRegistry, type TlvKind } from '../tlv.js';


export type InstructionsPropType = 'instructions' | 'instructions_miss';
export type NextTablesPropType = 'next_tables' | 'next_tables_miss';
export type ActionsPropType = 'write_actions' | 'write_actions_miss' | 'apply_actions' | 'apply_actions_miss';
export type OxmPropType =
  | 'match' | 'wildcards' | 'write_setfield' | 'write_setfield_miss' | 'apply_setfield' | 'apply_setfield_miss';
export type ExperimenterPropType = 'experimenter' | 'experimenter_miss';

/** ofp_table_feature_prop_*, OF 1.3.5 §7.3.5.5.2. */
export type TableFeatureProp =
  | { readonly type: InstructionsPropType; readonly instruction_ids: readonly InstructionId[] }
  | { readonly type: NextTablesPropType; readonly next_table_ids: readonly number[] }
  | { readonly type: ActionsPropType; readonly action_ids: readonly ActionId[] }
  | { readonly type: OxmPropType; readonly oxm_ids: readonly OxmId[] }
  /** data: experimenter_data, as sent. */
  | { readonly type: ExperimenterPropType; readonly experimenter: number; readonly exp_type: number; readonly data: Buffer }
  /** A property type the spec does not define: everything after the 4-byte header (not the padding). */
  | { readonly type: 'unknown'; readonly code: number; readonly data: Buffer };

const prop = kind<TableFeatureProp>();
type Of<T> = Extract<TableFeatureProp, { type: T }>;

// ofp_table_feature_prop_instructions, OF 1.3.5 §7.3.5.5.2: type(2) length(2) instruction_ids(length-4)
function instructions<T extends InstructionsPropType>(code: number, type: T): TlvKind<TableFeatureProp> {
  return prop({
    code, type, length: { min: 4 },
    decode: (r) => ({ type, instruction_ids: decodeUntilEnd(r, decodeInstructionId) }) as Of<T>,
    encode: (w, p) => encodeEach(w, (p as Of<InstructionsPropType>).instruction_ids, 'instruction_ids', encodeInstructionId),
  });
}

// ofp_table_feature_prop_next_tables, OF 1.3.5 §7.3.5.5.2: type(2) length(2) next_table_ids(length-4, 1 byte each)
function nextTables<T extends NextTablesPropType>(code: number, type: T): TlvKind<TableFeatureProp> {
  return prop({
    code, type, length: { min: 4 },
    decode: (r) => ({ type, next_table_ids: [...r.view(r.remaining, 'next_table_ids')] }) as Of<T>,
    encode(w, p) {
      const ids = (p as Of<NextTablesPropType>).next_table_ids;
      needList(w, ids, 'next_table_ids');
      for (const id of ids) w.u8(id);
    },
  });
}

// ofp_table_feature_prop_actions, OF 1.3.5 §7.3.5.5.2: type(2) length(2) action_ids(length-4)
function actions<T extends ActionsPropType>(code: number, type: T): TlvKind<TableFeatureProp> {
  return prop({
    code, type, length: { min: 4 },
    decode: (r) => ({ type, action_ids: decodeUntilEnd(r, decodeActionId) }) as Of<T>,
    encode: (w, p) => encodeEach(w, (p as Of<ActionsPropType>).action_ids, 'action_ids', encodeActionId),
  });
}

// ofp_table_feature_prop_oxm, OF 1.3.5 §7.3.5.5.2: type(2) length(2) oxm_ids(length-4)
function oxm<T extends OxmPropType>(code: number, type: T): TlvKind<TableFeatureProp> {
  return prop({
    code, type, length: { min: 4 },
    decode: (r) => ({ type, oxm_ids: decodeUntilEnd(r, decodeOxmId) }) as Of<T>,
    encode: (w, p) => encodeEach(w, (p as Of<OxmPropType>).oxm_ids, 'oxm_ids', encodeOxmId),
  });
}

/** ofp_table_feature_prop_type, OF 1.3.5 §7.3.5.5.2. The _miss variants describe the table-miss entry. */
export const TABLE_FEATURE_PROPS = new TlvRegistry<TableFeatureProp>('table feature property', [
  instructions(0, 'instructions'),
  instructions(1, 'instructions_miss'),
  nextTables(2, 'next_tables'),
  nextTables(3, 'next_tables_miss'),
  actions(4, 'write_actions'),
  actions(5, 'write_actions_miss'),
  actions(6, 'apply_actions'),
  actions(7, 'apply_actions_miss'),
  oxm(8, 'match'),
  oxm(10, 'wildcards'),
  oxm(12, 'write_setfield'),
  oxm(13, 'write_setfield_miss'),
  oxm(14, 'apply_setfield'),
  oxm(15, 'apply_setfield_miss'),
  // ofp_table_feature_prop_experimenter, OF 1.3.5 §7.3.5.5.2: type(2) length(2) experimenter(4) exp_type(4) data
  experimenterKind<TableFeatureProp>({ code: 0xfffe, type: 'experimenter', length: { min: 12 }, expType: true }),
  experimenterKind<TableFeatureProp>({ code: 0xffff, type: 'experimenter_miss', length: { min: 12 }, expType: true }),
], 4, undefined, 'table feature property');

/** ofp_table_feature_prop_type by name. */
export const TableFeaturePropTypeNames = enumTable('table feature property type', TABLE_FEATURE_PROPS.codes);

// Padding to 8 follows each property and is not counted in its length.
const FRAME = new TlvFrame(TABLE_FEATURE_PROPS, undefined, true, true);

/** One property (ofp_table_feature_prop_header + body, OF 1.3.5 §7.3.5.5.2), then its padding to 8. */
export function decodeTableFeatureProp(r: Reader): TableFeatureProp {
  return FRAME.decode(r);
}

/** One property (ofp_table_feature_prop_header + body, OF 1.3.5 §7.3.5.5.2), then its padding to 8. */
export function encodeTableFeatureProp(w: Writer, p: TableFeatureProp): void {
  FRAME.encode(w, p);
}

/** ofp_table_feature_prop_header[], OF 1.3.5 §7.3.5.5.2: each type(2) length(2) body, padded to 8. */
export function decodeTableFeatureProps(r: Reader): TableFeatureProp[] {
  return FRAME.decodeRest(r);
}

/** ofp_table_feature_prop_header[], OF 1.3.5 §7.3.5.5.2: each type(2) length(2) body, padded to 8. */
export function encodeTableFeatureProps(w: Writer, props: readonly TableFeatureProp[]): void {
  encodeEach(w, props, 'properties', encodeTableFeatureProp);
}
