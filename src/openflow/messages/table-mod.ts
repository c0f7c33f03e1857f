import { readTableId, writeTableId, type TableId } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

export interface TableMod {
  readonly type: 'table_mod';
  readonly xid: number;
  readonly table_id: TableId;
  /** OF 1.3 deprecates every bit (OFPTC_DEPRECATED_MASK = 3); kept as a number. */
  readonly config: number;
}

/** ofp_table_mod, OF 1.3.5 §7.3.3: table_id(1) pad(3) config(4). */
export function decodeTableMod(r: Reader, xid: number): TableMod {
  const table_id = readTableId(r);
  r.pad(3);
  return { type: 'table_mod', xid, table_id, config: r.u32('config') };
}

export function encodeTableMod(w: Writer, m: TableMod): void {
  writeTableId(w, m.table_id);
  w.pad(3);
  w.u32(m.config ?? 0);
}
