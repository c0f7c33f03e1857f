import type { GroupId, MeterId, PortNo, TableId } from '../../openflow/common.js';
import { PortNoNames } from '../../openflow/common.js';
import { show } from '../../openflow/enums.js';
import { badRequest } from '../errors.js';

// Numbers as ofctl_v1_3 reads and prints them: ofctl_utils.str_to_int is
// Python's int(str(v), 0), and the OFCtlUtil *_from_user / *_to_user pairs
// turn reserved values into their OFP* names ("LOCAL", "ALL", "MAX") and back.

const PY_INT = /^([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?\d)*|0(?:_?0)*)$/;

/** Python's int(str(v), 0): an integer, or a decimal / 0x / 0o / 0b string. */
export function pyInt(v: unknown, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string') {
    const m = PY_INT.exec(v.trim());
    if (m) {
      const n = BigInt(m[2]!.replaceAll('_', ''));
      return m[1] === '-' ? -n : n;
    }
  }
  throw badRequest(`${what} must be an integer (a number, or a decimal or 0x-hex string), got ${show(v)}`);
}

/** An unsigned integer of `bits` bits (at most 32) as a number. */
export function uint(v: unknown, what: string, bits: number): number {
  const n = pyInt(v, what);
  const max = 2n ** BigInt(bits) - 1n;
  if (n < 0n || n > max) throw badRequest(`${what} must be 0..${max}, got ${n}`);
  return Number(n);
}

export function u64(v: unknown, what: string): bigint {
  const n = pyInt(v, what);
  if (n < 0n || n > 0xffff_ffff_ffff_ffffn) throw badRequest(`${what} must be a 64-bit unsigned integer, got ${n}`);
  return n;
}

/** OFCtlUtil._reserved_num_from_user: a number, or a reserved name with or without its OFP prefix, any case. */
function reservedFromUser(v: unknown, prefix: string, names: Readonly<Record<string, number>>, what: string, bits: number): number {
  if (typeof v === 'string' && !PY_INT.test(v.trim())) {
    const upper = v.trim().toUpperCase();
    const name = upper.startsWith(prefix) ? upper.slice(prefix.length) : upper;
    if (Object.hasOwn(names, name)) return names[name]!;
    throw badRequest(`${what} ${show(v)} is neither a number nor one of ${Object.keys(names).map((n) => prefix + n).join(', ')} (the prefix may be left out)`);
  }
  return uint(v, what, bits);
}

function reservedToUser(n: number, names: Readonly<Record<string, number>>): number | string {
  for (const [k, v] of Object.entries(names)) if (v === n) return k;
  return n;
}

const PORTS = { MAX: 0xffffff00, IN_PORT: 0xfffffff8, TABLE: 0xfffffff9, NORMAL: 0xfffffffa, FLOOD: 0xfffffffb, ALL: 0xfffffffc, CONTROLLER: 0xfffffffd, LOCAL: 0xfffffffe, ANY: 0xffffffff };
const TABLES = { MAX: 0xfe, ALL: 0xff };
const GROUPS = { MAX: 0xffffff00, ALL: 0xfffffffc, ANY: 0xffffffff };
const METERS = { MAX: 0xffff0000, SLOWPATH: 0xfffffffd, CONTROLLER: 0xfffffffe, ALL: 0xffffffff };
const QUEUES = { ALL: 0xffffffff };
const CMLS = { MAX: 0xffe5, NO_BUFFER: 0xffff };

/** Wire value of our typed reserved forms ('local', 'all', ...). */
function wire(v: number | string, named: Readonly<Record<string, number>>): number {
  return typeof v === 'number' ? v : named[v.toUpperCase()] ?? Number.NaN;
}

export function portFromUser(v: unknown, what: string): PortNo {
  const n = reservedFromUser(v, 'OFPP_', PORTS, what, 32);
  return (PortNoNames.byValue.get(n) as PortNo | undefined) ?? n;
}
export function portToUser(p: PortNo): number | string {
  return reservedToUser(wire(p, PORTS), PORTS);
}

export function tableFromUser(v: unknown, what: string): TableId {
  const n = reservedFromUser(v, 'OFPTT_', TABLES, what, 8);
  return n === 0xff ? 'all' : n;
}
export function tableToUser(t: TableId): number | string {
  return reservedToUser(wire(t, TABLES), TABLES);
}

export function groupFromUser(v: unknown, what: string): GroupId {
  const n = reservedFromUser(v, 'OFPG_', GROUPS, what, 32);
  return n === 0xfffffffc ? 'all' : n === 0xffffffff ? 'any' : n;
}
export function groupToUser(g: GroupId): number | string {
  return reservedToUser(wire(g, GROUPS), GROUPS);
}

export function meterFromUser(v: unknown, what: string): MeterId {
  const n = reservedFromUser(v, 'OFPM_', METERS, what, 32);
  return n === 0xfffffffd ? 'slowpath' : n === 0xfffffffe ? 'controller' : n === 0xffffffff ? 'all' : n;
}
export function meterToUser(m: MeterId): number | string {
  return reservedToUser(wire(m, METERS), METERS);
}

export function queueFromUser(v: unknown, what: string): number {
  return reservedFromUser(v, 'OFPQ_', QUEUES, what, 32);
}
export function queueToUser(q: number | string): number | string {
  return reservedToUser(wire(q, QUEUES), QUEUES);
}

/** OFPCML_*: 'no_buffer' is how our codec names 0xffff. */
export function maxLenFromUser(v: unknown, what: string): number | 'no_buffer' {
  const n = reservedFromUser(v, 'OFPCML_', CMLS, what, 16);
  return n === 0xffff ? 'no_buffer' : n;
}

/** ofp_buffer_from_user: "OFP_NO_BUFFER" / "NO_BUFFER" or a number. */
export function bufferFromUser(v: unknown, what: string): number | 'no_buffer' {
  if (v === 'OFP_NO_BUFFER' || v === 'NO_BUFFER') return 'no_buffer';
  const n = uint(v, what, 32);
  return n === 0xffffffff ? 'no_buffer' : n;
}

/**
 * A dpid as ofctl_rest reads it, int(str(dpid), 0): decimal (what Ryu
 * prints), 0x-hex, 0o, 0b. Also our own forms (16 hex digits, colon hex),
 * which Python would refuse for their leading zeros, so nothing Ryu accepts
 * reads differently here. Undefined when it is none of these.
 */
export function parseRyuDpid(v: unknown): bigint | undefined {
  let n: bigint | undefined;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (/^[0-9a-f]{16}$/.test(s) && (s.startsWith('0') || /[a-f]/.test(s))) n = BigInt('0x' + s);
    else if (/^([0-9a-f]{2}:){7}[0-9a-f]{2}$/.test(s)) n = BigInt('0x' + s.replaceAll(':', ''));
  }
  if (n === undefined) {
    try {
      n = pyInt(v, 'dpid');
    } catch {
      return undefined;
    }
  }
  return n >= 0n && n <= 0xffff_ffff_ffff_ffffn ? n : undefined;
}

/** A path segment that is a number or "ALL" (ofctl_rest's optional port / queue / group / meter ids); undefined for ALL or absent. */
export function optionalId(v: string | undefined, what: string): number | undefined {
  if (v === undefined || v === 'ALL') return undefined;
  return uint(v, what, 32);
}
