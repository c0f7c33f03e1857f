import { enumTable } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import {
  decodeActionId, decodeInstructionId, decodeOxmId, encodeActionId, encodeInstructionId, encodeOxmId,
  type ActionId, type InstructionId, type OxmId,
} from './feature-ids.js';
import { decodeUntilEnd, encodeEach, needList, peekLength, show } from './record.js';

/** ofp_table_feature_prop_type, OF 1.3.5 §7.3.5.5.2. The _miss variants describe the table-miss entry. */
export const TableFeaturePropTypeNames = enumTable('table feature property type', {
  instructions: 0, instructions_miss: 1, next_tables: 2, next_tables_miss: 3,
  write_actions: 4, write_actions_miss: 5, apply_actions: 6, apply_actions_miss: 7,
  match: 8, wildcards: 10, write_setfield: 12, write_setfield_miss: 13, apply_setfield: 14, apply_setfield_miss: 15,
  experimenter: 0xfffe, experimenter_miss: 0xffff,
});

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

const HEADER_LEN = 4;
const EXPERIMENTER_LEN = 12;

function kindOf(code: number): 'instructions' | 'next_tables' | 'actions' | 'oxm' | 'experimenter' | 'unknown' {
  if (code <= 1) return 'instructions';
  if (code <= 3) return 'next_tables';
  if (code <= 7) return 'actions';
  if (code === 8 || code === 10 || (code >= 12 && code <= 15)) return 'oxm';
  if (code >= 0xfffe) return 'experimenter';
  return 'unknown';
}

// ofp_table_feature_prop_header + body, OF 1.3.5 §7.3.5.5.2: type(2) length(2) body(length-4)
// then pad to 8 not counted in length; experimenter body: experimenter(4) exp_type(4) data
export function decodeTableFeatureProp(r: Reader): TableFeatureProp {
  r.need(2, 'table feature property type');
  const code = (r.buf[r.pos]! << 8) | r.buf[r.pos + 1]!;
  const kind = kindOf(code);
  const length = peekLength(r, 2, kind === 'experimenter' ? EXPERIMENTER_LEN : HEADER_LEN, 'table feature property');
  const saved = r.limit(length, 'table feature property');
  r.pos += 4;
  const type = TableFeaturePropTypeNames.byValue.get(code);
  let prop: TableFeatureProp;
  switch (kind) {
    case 'instructions':
      prop = { type: type as InstructionsPropType, instruction_ids: decodeUntilEnd(r, decodeInstructionId) };
      break;
    case 'next_tables':
      prop = { type: type as NextTablesPropType, next_table_ids: [...r.view(r.remaining, 'next_table_ids')] };
      break;
    case 'actions':
      prop = { type: type as ActionsPropType, action_ids: decodeUntilEnd(r, decodeActionId) };
      break;
    case 'oxm':
      prop = { type: type as OxmPropType, oxm_ids: decodeUntilEnd(r, decodeOxmId) };
      break;
    case 'experimenter': {
      const experimenter = r.u32('experimenter');
      const exp_type = r.u32('exp_type');
      prop = { type: type as ExperimenterPropType, experimenter, exp_type, data: r.bytes(r.remaining) };
      break;
    }
    default:
      prop = { type: 'unknown', code, data: r.bytes(r.remaining) };
  }
  r.restore(saved, 'table feature property');
  r.pad((8 - (length % 8)) % 8);
  return prop;
}

// ofp_table_feature_prop_header + body, OF 1.3.5 §7.3.5.5.2: type(2) length(2) body, pad to 8 (not in length)
export function encodeTableFeatureProp(w: Writer, p: TableFeatureProp): void {
  const code = p.type === 'unknown' ? p.code : TableFeaturePropTypeNames.byName.get(p.type);
  if (code === undefined) w.fail(`unknown table feature property ${show(p.type)}`);
  const start = w.pos;
  w.u16(code);
  const at = w.reserve16();
  switch (p.type) {
    case 'instructions':
    case 'instructions_miss':
      encodeEach(w, p.instruction_ids, 'instruction_ids', encodeInstructionId);
      break;
    case 'next_tables':
    case 'next_tables_miss':
      needList(w, p.next_table_ids, 'next_table_ids');
      for (const id of p.next_table_ids) w.u8(id);
      break;
    case 'write_actions':
    case 'write_actions_miss':
    case 'apply_actions':
    case 'apply_actions_miss':
      encodeEach(w, p.action_ids, 'action_ids', encodeActionId);
      break;
    case 'match':
    case 'wildcards':
    case 'write_setfield':
    case 'write_setfield_miss':
    case 'apply_setfield':
    case 'apply_setfield_miss':
      encodeEach(w, p.oxm_ids, 'oxm_ids', encodeOxmId);
      break;
    case 'experimenter':
    case 'experimenter_miss':
      w.u32(p.experimenter);
      w.u32(p.exp_type);
      w.bytes(p.data);
      break;
    case 'unknown':
      w.bytes(p.data);
      break;
  }
  w.patch16(at, start);
  w.align8(start);
}

// ofp_table_feature_prop_header[], OF 1.3.5 §7.3.5.5.2: each type(2) length(2) body, padded to 8
export function decodeTableFeatureProps(r: Reader): TableFeatureProp[] {
  return decodeUntilEnd(r, decodeTableFeatureProp);
}

// ofp_table_feature_prop_header[], OF 1.3.5 §7.3.5.5.2: each type(2) length(2) body, padded to 8
export function encodeTableFeatureProps(w: Writer, props: readonly TableFeatureProp[]): void {
  encodeEach(w, props, 'properties', encodeTableFeatureProp);
}
