import { bitTable, readBits32, writeBits32 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeTableFeatureProps, encodeTableFeatureProps, type TableFeatureProp } from './table-feature-prop.js';
import { decodeUntilEnd, encodeEach, needObject, peekLength } from './record.js';

/** ofp_table_config: OF 1.3 names no bits (0-1 are deprecated), so any set bit shows as "0x..". */
export const TableConfigBits = bitTable<never>('table config', {});

/** ofp_table_features, OF 1.3.5 §7.3.5.5.1. */
export interface TableFeatures {
  readonly table_id: number;
  readonly name: string;
  /** Bits of metadata the table can match / write. */
  readonly metadata_match: bigint;
  readonly metadata_write: bigint;
  readonly config: readonly string[];
  readonly max_entries: number;
  readonly properties: readonly TableFeatureProp[];
}

/**
 * OFPMP_TABLE_FEATURES body, request and reply alike. An empty request
 * list asks for the current features; a non-empty one sets them.
 */
export interface TableFeaturesBody {
  readonly type: 'table_features';
  readonly tables: readonly TableFeatures[];
}

const FIXED_LEN = 64;
const OFP_MAX_TABLE_NAME_LEN = 32;

// ofp_table_features, OF 1.3.5 §7.3.5.5.1: length(2) table_id(1) pad(5) name(32) metadata_match(8)
// metadata_write(8) config(4) max_entries(4) properties(length-64, each padded to 8)
export function decodeTableFeatures(r: Reader): TableFeatures {
  const saved = r.limit(peekLength(r, 0, FIXED_LEN, 'table_features'), 'table_features');
  r.pos += 2;
  const table_id = r.u8('table_id');
  r.pad(5);
  const name = r.str(OFP_MAX_TABLE_NAME_LEN, 'table name');
  const metadata_match = r.u64('metadata_match');
  const metadata_write = r.u64('metadata_write');
  const config = readBits32(r, TableConfigBits);
  const max_entries = r.u32('max_entries');
  const properties = decodeTableFeatureProps(r);
  r.restore(saved, 'table_features');
  return { table_id, name, metadata_match, metadata_write, config, max_entries, properties };
}

// ofp_table_features, OF 1.3.5 §7.3.5.5.1: length(2) table_id(1) pad(5) name(32) metadata_match(8)
// metadata_write(8) config(4) max_entries(4) properties
export function encodeTableFeatures(w: Writer, t: TableFeatures): void {
  needObject(w, t, 'table features');
  const start = w.pos;
  const at = w.reserve16();
  w.u8(t.table_id);
  w.pad(5);
  w.str(t.name, OFP_MAX_TABLE_NAME_LEN);
  w.u64(t.metadata_match);
  w.u64(t.metadata_write);
  writeBits32(w, TableConfigBits, t.config);
  w.u32(t.max_entries);
  encodeTableFeatureProps(w, t.properties);
  w.patch16(at, start);
}

// OFPMP_TABLE_FEATURES body, OF 1.3.5 §7.3.5.5: ofp_table_features[] to the end of the message
export function decodeTableFeaturesBody(r: Reader): TableFeaturesBody {
  return { type: 'table_features', tables: decodeUntilEnd(r, decodeTableFeatures) };
}

// OFPMP_TABLE_FEATURES body, OF 1.3.5 §7.3.5.5: ofp_table_features[]
export function encodeTableFeaturesBody(w: Writer, b: TableFeaturesBody): void {
  encodeEach(w, b.tables, 'tables', encodeTableFeatures);
}
