import { bitTable, readBits32, writeBits32 } from '../enums.js';
import { writeDpid } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

export const CapabilityBits = bitTable('capabilities', {
  flow_stats: 1, table_stats: 2, port_stats: 4, group_stats: 8, ip_reasm: 32, queue_stats: 64, port_blocked: 256,
});

/** ofp_switch_features. */
export interface FeaturesReply {
  readonly type: 'features_reply';
  readonly xid: number;
  readonly datapath_id: bigint;
  readonly n_buffers: number;
  readonly n_tables: number;
  readonly auxiliary_id: number;
  readonly capabilities: readonly string[];
  readonly reserved: number;
}

/** ofp_switch_features, OF 1.3.5 §7.3.1: datapath_id(8) n_buffers(4) n_tables(1) auxiliary_id(1) pad(2) capabilities(4) reserved(4). */
export function decodeFeaturesReply(r: Reader, xid: number): FeaturesReply {
  const datapath_id = r.u64('datapath_id');
  const n_buffers = r.u32('n_buffers');
  const n_tables = r.u8('n_tables');
  const auxiliary_id = r.u8('auxiliary_id');
  r.pad(2);
  const capabilities = readBits32(r, CapabilityBits);
  const reserved = r.u32('reserved');
  return { type: 'features_reply', xid, datapath_id, n_buffers, n_tables, auxiliary_id, capabilities, reserved };
}

export function encodeFeaturesReply(w: Writer, m: FeaturesReply): void {
  writeDpid(w, m.datapath_id);
  w.u32(m.n_buffers);
  w.u8(m.n_tables);
  w.u8(m.auxiliary_id ?? 0);
  w.pad(2);
  writeBits32(w, CapabilityBits, m.capabilities);
  w.u32(m.reserved ?? 0);
}
