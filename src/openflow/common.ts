import { enumTable, enumName, enumValue, show } from './enums.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

// Shared OF 1.3.5 constants (openflow-1.3.h) and their JSON names.

export const OFP_VERSION = 0x04;
export const OFP_HEADER_LEN = 8;
/** Bytes of a raw datapath id / counter, kept as bigint internally. */
export type U64 = bigint;

/** ofp_port_no: reserved ports by name, physical/logical ports as numbers. */
export const PortNoNames = enumTable('port number', {
  in_port: 0xfffffff8,
  table: 0xfffffff9,
  normal: 0xfffffffa,
  flood: 0xfffffffb,
  all: 0xfffffffc,
  controller: 0xfffffffd,
  local: 0xfffffffe,
  any: 0xffffffff,
});
export type ReservedPort = 'in_port' | 'table' | 'normal' | 'flood' | 'all' | 'controller' | 'local' | 'any';
export type PortNo = number | ReservedPort;

export function readPortNo(r: Reader): PortNo {
  const v = r.u32('port_no');
  return v >= 0xfffffff8 ? (PortNoNames.byValue.get(v) as ReservedPort) : v;
}
export function writePortNo(w: Writer, p: PortNo): void {
  if (typeof p === "number") return w.u32(p);
  const v = enumValue(PortNoNames, p);
  if (v === undefined) w.fail(`unknown port ${show(p)}; use a number or one of ${[...PortNoNames.byName.keys()].join(', ')}`);
  w.u32(v);
}
/** Wire value of a port, for comparisons in hot paths. */
export function portNumber(p: PortNo): number {
  return typeof p === 'number' ? p : PortNoNames.byName.get(p)!;
}

/** ofp_table: OFPTT_ALL. */
export const TableIdNames = enumTable('table id', { all: 0xff });
export type TableId = number | 'all';
export const readTableId = (r: Reader): TableId => enumName(TableIdNames, r.u8('table_id')) as TableId;
export function writeTableId(w: Writer, t: TableId): void {
  const v = enumValue(TableIdNames, t);
  if (v === undefined) w.fail(`unknown table id ${show(t)}`);
  w.u8(v);
}

/** OFP_NO_BUFFER. */
export type BufferId = number | 'no_buffer';
export function readBufferId(r: Reader): BufferId {
  const v = r.u32('buffer_id');
  return v === 0xffffffff ? 'no_buffer' : v;
}
export function writeBufferId(w: Writer, b: BufferId): void {
  w.u32(b === 'no_buffer' ? 0xffffffff : b);
}

/** ofp_group: OFPG_ALL / OFPG_ANY. */
export const GroupIdNames = enumTable('group id', { all: 0xfffffffc, any: 0xffffffff });
export type GroupId = number | 'all' | 'any';
export const readGroupId = (r: Reader): GroupId => enumName(GroupIdNames, r.u32('group_id')) as GroupId;
export function writeGroupId(w: Writer, g: GroupId): void {
  if (typeof g === 'number') return w.u32(g);
  const v = enumValue(GroupIdNames, g);
  if (v === undefined) w.fail(`unknown group id ${show(g)}`);
  w.u32(v);
}

/** ofp_meter: OFPM_SLOWPATH / CONTROLLER / ALL. */
export const MeterIdNames = enumTable('meter id', { slowpath: 0xfffffffd, controller: 0xfffffffe, all: 0xffffffff });
export type MeterId = number | 'slowpath' | 'controller' | 'all';
export const readMeterId = (r: Reader): MeterId => enumName(MeterIdNames, r.u32('meter_id')) as MeterId;
export function writeMeterId(w: Writer, m: MeterId): void {
  const v = enumValue(MeterIdNames, m);
  if (v === undefined) w.fail(`unknown meter id ${show(m)}`);
  w.u32(v);
}

/** ofp_controller_max_len: OFPCML_NO_BUFFER (0xffff), OFPCML_MAX (0xffe5) is a plain number. */
export type MaxLen = number | 'no_buffer';
export function readMaxLen(r: Reader): MaxLen {
  const v = r.u16('max_len');
  return v === 0xffff ? 'no_buffer' : v;
}
export function writeMaxLen(w: Writer, m: MaxLen): void {
  w.u16(m === 'no_buffer' ? 0xffff : m);
}

/** Datapath ids are bigint inside and 16 lowercase hex digits outside. */
export function dpidToString(d: bigint): string {
  return d.toString(16).padStart(16, '0');
}
export function writeDpid(w: Writer, d: bigint | string): void {
  if (typeof d === 'string') {
    if (!/^[0-9a-fA-F]{16}$/.test(d)) w.fail(`datapath_id ${show(d)} is not 16 hex digits`);
    w.u64(BigInt('0x' + d));
  } else w.u64(d);
}
