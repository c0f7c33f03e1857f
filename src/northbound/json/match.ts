import { CodecError } from '../../openflow/codec-error.js';
import { PortNoNames, type PortNo } from '../../openflow/common.js';
import { ipv4ToNumber, parseIpv6, formatIpv6 } from '../../openflow/structs/addr.js';
import {
  OXM_FIELD_BY_NAME, OXM_FIELD_NAMES, OFPVID_PRESENT,
  type OxmBasic, type OxmField, type OxmFieldInfo, type OxmRaw, type OxmValue,
} from '../../openflow/structs/oxm.js';
import type { Match } from '../../openflow/structs/match.js';
import { canonicalField } from '../../core/static/flow-filter.js';
import { badRequest } from '../errors.js';

// The REST match: an object keyed by OXM field name ({"eth_type": 2048,
// "ipv4_dst": "10.0.0.0/24"}) or the codec's list form. Values are parsed
// here rather than by the codec so an error names the field the user wrote,
// and masked values are normalised the way switches report them (value
// bits outside the mask cleared, an all-ones mask dropped), so what a user
// POSTs is what a GET shows and a strict delete finds.

/** A JSON match value as the API prints it (and accepts back). */
export type MatchJsonValue = number | string | { readonly value: number | string; readonly mask: number | string };
export type MatchJson = Record<string, MatchJsonValue | readonly string[]>;

function fail(where: string, msg: string): never {
  throw badRequest(`${where} ${msg}`);
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** An integer from JSON or a query string: a number, or decimal / 0x-hex text. */
function intOf(v: unknown, max: number, where: string): number {
  let n: number | undefined;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^(?:0[xX][0-9a-fA-F]+|[0-9]+)$/.test(v.trim())) n = Number(v.trim());
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > max) {
    fail(where, `must be an integer 0..${max} (decimal or 0x-hex), got ${describe(v)}`);
  }
  return n;
}

function u64Of(v: unknown, where: string): bigint {
  if (typeof v === 'bigint' && v >= 0n && v <= 0xffff_ffff_ffff_ffffn) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(?:0[xX][0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(v.trim())) {
    const n = BigInt(v.trim());
    if (n <= 0xffff_ffff_ffff_ffffn) return n;
  }
  return fail(where, `must be a 64-bit unsigned integer as a decimal or 0x-hex string, got ${describe(v)}`);
}

/** A port number, or a reserved port by name in any case ("controller", "LOCAL"). */
export function portOf(v: unknown, where: string): PortNo {
  if (typeof v === 'string') {
    const name = v.trim().toLowerCase();
    if (PortNoNames.byName.has(name)) return name as PortNo;
    if (/^[0-9]+$/.test(name)) return intOf(name, 0xffffffff, where);
    fail(where, `must be a port number or one of ${[...PortNoNames.byName.keys()].join(', ')}, got ${describe(v)}`);
  }
  return intOf(v, 0xffffffff, where);
}

function macOf(v: unknown, where: string): string {
  if (typeof v === 'string' && /^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/.test(v.trim())) return v.trim().toLowerCase().replaceAll('-', ':');
  return fail(where, `must be a MAC address like "aa:bb:cc:dd:ee:ff", got ${describe(v)}`);
}

function ipv4Of(v: unknown, where: string): string {
  if (typeof v === 'string' && ipv4ToNumber(v.trim()) !== undefined) return v.trim();
  return fail(where, `must be an IPv4 address like "10.0.0.1", got ${describe(v)}`);
}

function ipv6Of(v: unknown, where: string): string {
  const b = typeof v === 'string' ? parseIpv6(v.trim()) : undefined;
  if (b === undefined) fail(where, `must be an IPv6 address like "fe80::1", got ${describe(v)}`);
  return formatIpv6(Uint8Array.from(b));
}

/** A prefix length as a mask in the address family's text form. */
function prefixMask(info: OxmFieldInfo, len: string, where: string): string {
  const bits = info.length * 8;
  const n = /^[0-9]{1,3}$/.test(len) ? Number(len) : -1;
  if (n < 0 || n > bits) fail(where, `prefix length must be 0..${bits}, got "${len}"`);
  const bytes = new Uint8Array(info.length);
  for (let i = 0; i < n; i++) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return info.kind === 'ipv4' ? [...bytes].join('.') : formatIpv6(bytes);
}

/** One value (no mask) of a field, in the codec's typed form. */
function scalarOf(info: OxmFieldInfo, v: unknown, where: string, isMask: boolean, codecForm: boolean): OxmValue {
  switch (info.kind) {
    case 'port':
      return portOf(v, where);
    case 'u64':
      return u64Of(v, where);
    case 'mac':
      return macOf(v, where);
    case 'ipv4':
      return ipv4Of(v, where);
    case 'ipv6':
      return ipv6Of(v, where);
    default:
      if (info.name === 'vlan_vid' && !isMask && !codecForm) return vlanOf(v, where);
      return intOf(v, info.max, where);
  }
}

/**
 * vlan_vid as people write it (Ryu's convention): a decimal VLAN id 0..4095
 * means "tagged with that VLAN" (OFPVID_PRESENT added); 0x-hex text is the raw
 * OXM value; "none" is untagged and "present" any tag (0x1000/0x1000).
 */
function vlanOf(v: unknown, where: string): number {
  if (typeof v === 'string' && /^0[xX]/.test(v.trim())) return intOf(v, 0x1fff, where);
  if (typeof v === 'string' && v.trim().toLowerCase() === 'none') return 0;
  const n = typeof v === 'number' || (typeof v === 'string' && /^[0-9]+$/.test(v.trim())) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 4095) {
    fail(where, `must be a VLAN id 0..4095, "none", "present", or a raw 0x-hex OXM value (0x1000 | vid), got ${describe(v)}`);
  }
  return n | OFPVID_PRESENT;
}

/**
 * Field value with an optional mask, from any accepted JSON form. In the
 * codec's own form (list entries, set_field {"field": {...}}) vlan_vid is the
 * raw OXM value, exactly as the codec prints it.
 */
function fieldOf(info: OxmFieldInfo, v: unknown, where: string, codecForm = false): OxmBasic {
  let value: unknown = v;
  let mask: unknown;
  if (info.name === 'vlan_vid' && typeof v === 'string' && v.trim().toLowerCase() === 'present') {
    return { field: 'vlan_vid', value: OFPVID_PRESENT, mask: OFPVID_PRESENT };
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const extra = Object.keys(o).filter((k) => k !== 'value' && k !== 'mask');
    if (extra.length > 0 || !('value' in o)) fail(where, `as an object must be {"value": ..., "mask": ...}, got ${describe(v)}`);
    value = o.value;
    mask = o.mask ?? undefined;
  } else if (typeof v === 'string' && v.includes('/') && info.kind !== 'port') {
    const at = v.indexOf('/');
    value = v.slice(0, at);
    const m = v.slice(at + 1).trim();
    const isPrefix = (info.kind === 'ipv4' || info.kind === 'ipv6') && /^[0-9]{1,3}$/.test(m);
    mask = isPrefix ? prefixMask(info, m, where) : m;
  }
  if (mask !== undefined && !info.maskable) fail(where, `cannot be masked in OpenFlow 1.3 (Table 12); give one value`);
  const out: OxmBasic = { field: info.name, value: scalarOf(info, value, where, false, codecForm) };
  return mask === undefined ? out : { ...out, mask: scalarOf(info, mask, where + ' mask', true, codecForm) };
}

/** The field as switches keep it (value bits outside the mask cleared, exact masks dropped); undefined when it matches anything. */
export function normalizeField(f: OxmBasic): OxmBasic | undefined {
  return canonicalField(f) as OxmBasic | undefined;
}

function rawOf(v: unknown, where: string): OxmRaw {
  if (typeof v !== 'string' || !/^(?:[0-9a-fA-F]{2}){4,}$/.test(v)) fail(where, `must be one whole OXM TLV as hex, got ${describe(v)}`);
  const raw = Buffer.from(v, 'hex');
  if (raw[3]! + 4 !== raw.length) fail(where, `is ${raw.length} bytes but its OXM header declares ${raw[3]! + 4}`);
  return { oxm_class: raw.readUInt16BE(0), oxm_field: raw[2]! >> 1, hasmask: (raw[2]! & 1) === 1, raw };
}

function fieldInfo(name: string, where: string): OxmFieldInfo {
  const info = OXM_FIELD_BY_NAME.get(name);
  if (info === undefined) fail(where, `is not an OXM field; use one of ${OXM_FIELD_NAMES.join(', ')}`);
  return info;
}

/** The match a request carries, in either form; validated, normalised and prerequisite-checked. */
export function matchFromJson(m: unknown, where = 'match'): Match {
  const out: OxmField[] = [];
  if (Array.isArray(m)) {
    m.forEach((f: unknown, i) => {
      const at = `${where}[${i}]`;
      if (typeof f !== 'object' || f === null) fail(at, `must be an object like {"field":"in_port","value":1}, got ${describe(f)}`);
      const o = f as Record<string, unknown>;
      if ('raw' in o) return void out.push(rawOf(o.raw, at + '.raw'));
      const extra = Object.keys(o).filter((k) => k !== 'field' && k !== 'value' && k !== 'mask');
      if (extra.length > 0) fail(at, `has unknown key "${extra[0]}"; a field is {"field", "value", "mask"?}`);
      const info = fieldInfo(String(o.field), `${at}.field ${describe(o.field)}`);
      const given = o.mask === undefined || o.mask === null ? o.value : { value: o.value, mask: o.mask };
      const n = normalizeField(fieldOf(info, given, `${where}.${info.name}`, true));
      if (n !== undefined) out.push(n);
    });
  } else if (typeof m === 'object' && m !== null) {
    for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
      if (k === 'raw') {
        if (!Array.isArray(v)) fail(`${where}.raw`, 'must be a list of OXM TLVs as hex');
        v.forEach((x: unknown, i) => out.push(rawOf(x, `${where}.raw[${i}]`)));
        continue;
      }
      const info = fieldInfo(k, `${where} field "${k}"`);
      const n = normalizeField(fieldOf(info, v, `${where}.${k}`));
      if (n !== undefined) out.push(n);
    }
  } else {
    fail(where, `must be an object like {"in_port": 1, "eth_type": 2048} or a list of {"field", "value", "mask"?}, got ${describe(m)}`);
  }
  checkMatch(out, where);
  return out;
}

/** One set_field value, parsed like a match value (no mask in OpenFlow 1.3). */
export function setFieldFromJson(field: unknown, value: unknown, where: string, codecForm: boolean): OxmBasic {
  const info = fieldInfo(String(field), `${where}.field ${describe(field)}`);
  const f = fieldOf(info, value, `${where}.value`, codecForm);
  if (f.mask !== undefined) fail(`${where}.value`, 'cannot carry a mask: set_field writes one value');
  return f;
}

// OF 1.3.5 §7.2.3.8 Table 12: a field needs these other fields with these exact values.
type Prereq = readonly [string, readonly number[]];
const IP: Prereq = ['eth_type', [0x0800, 0x86dd]];
const PREREQS: Readonly<Record<string, readonly Prereq[]>> = {
  in_phy_port: [['in_port', []]],
  ip_dscp: [IP], ip_ecn: [IP], ip_proto: [IP],
  ipv4_src: [['eth_type', [0x0800]]], ipv4_dst: [['eth_type', [0x0800]]],
  tcp_src: [IP, ['ip_proto', [6]]], tcp_dst: [IP, ['ip_proto', [6]]],
  udp_src: [IP, ['ip_proto', [17]]], udp_dst: [IP, ['ip_proto', [17]]],
  sctp_src: [IP, ['ip_proto', [132]]], sctp_dst: [IP, ['ip_proto', [132]]],
  icmpv4_type: [['eth_type', [0x0800]], ['ip_proto', [1]]], icmpv4_code: [['eth_type', [0x0800]], ['ip_proto', [1]]],
  arp_op: [['eth_type', [0x0806]]], arp_spa: [['eth_type', [0x0806]]], arp_tpa: [['eth_type', [0x0806]]],
  arp_sha: [['eth_type', [0x0806]]], arp_tha: [['eth_type', [0x0806]]],
  ipv6_src: [['eth_type', [0x86dd]]], ipv6_dst: [['eth_type', [0x86dd]]], ipv6_flabel: [['eth_type', [0x86dd]]],
  icmpv6_type: [['eth_type', [0x86dd]], ['ip_proto', [58]]], icmpv6_code: [['eth_type', [0x86dd]], ['ip_proto', [58]]],
  ipv6_nd_target: [['eth_type', [0x86dd]], ['ip_proto', [58]], ['icmpv6_type', [135, 136]]],
  ipv6_nd_sll: [['eth_type', [0x86dd]], ['ip_proto', [58]], ['icmpv6_type', [135]]],
  ipv6_nd_tll: [['eth_type', [0x86dd]], ['ip_proto', [58]], ['icmpv6_type', [136]]],
  mpls_label: [['eth_type', [0x8847, 0x8848]]], mpls_tc: [['eth_type', [0x8847, 0x8848]]], mpls_bos: [['eth_type', [0x8847, 0x8848]]],
  pbb_isid: [['eth_type', [0x88e7]]], ipv6_exthdr: [['eth_type', [0x86dd]]],
};

/** Duplicates and prerequisites, checked here so the answer says which field to add instead of the switch's bad_prereq. */
function checkMatch(m: Match, where: string): void {
  const have = new Map<string, OxmBasic>();
  for (const f of m) {
    if (!('field' in f)) continue;
    if (have.has(f.field)) fail(where, `has ${f.field} twice (OFPBMC_DUP_FIELD); give each field once`);
    have.set(f.field, f);
  }
  for (const f of have.values()) {
    for (const [need, values] of PREREQS[f.field] ?? []) {
      const p = have.get(need);
      const ok = p !== undefined && p.mask === undefined && (values.length === 0 || values.includes(p.value as number));
      if (!ok) {
        const want = values.length === 0 ? '' : ` ${values.map((v) => (need === 'eth_type' ? `${v} (0x${v.toString(16).padStart(4, '0')})` : String(v))).join(' or ')}`;
        fail(where, `field ${f.field} needs ${need}${want} in the same match (OpenFlow 1.3 prerequisite, Table 12)`);
      }
    }
    if (f.field === 'vlan_pcp' && (have.get('vlan_vid') === undefined || have.get('vlan_vid')!.value === 0)) {
      fail(where, 'field vlan_pcp needs a vlan_vid other than "none" in the same match (OpenFlow 1.3 prerequisite, Table 12)');
    }
  }
}

// ---- output ---------------------------------------------------------------

function prefixLen(bytes: Uint8Array): number | undefined {
  let n = 0;
  let i = 0;
  for (; i < bytes.length && bytes[i] === 0xff; i++) n += 8;
  if (i < bytes.length) {
    const b = bytes[i]!;
    const run = Math.clz32(~(b << 24)); // leading ones of the byte
    if (((0xff << (8 - run)) & 0xff) !== b) return undefined;
    n += run;
    for (i++; i < bytes.length; i++) if (bytes[i] !== 0) return undefined;
  }
  return n;
}

function addrBytes(info: OxmFieldInfo, s: string): Uint8Array {
  if (info.kind === 'ipv4') {
    const v = ipv4ToNumber(s)!;
    return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  }
  return Uint8Array.from(parseIpv6(s)!);
}

function scalarToJson(v: OxmValue): number | string {
  return typeof v === 'bigint' ? v.toString() : v;
}

/** One field's JSON value: the shortest form the parser reads back to the same OXM. */
export function fieldToJson(f: OxmBasic): MatchJsonValue {
  const info = OXM_FIELD_BY_NAME.get(f.field)!;
  if (info.name === 'vlan_vid') {
    const v = f.value as number;
    if (f.mask === undefined) return v === 0 ? 'none' : (v & OFPVID_PRESENT) !== 0 && v <= 0x1fff ? v & 0xfff : `0x${v.toString(16)}`;
    if (v === OFPVID_PRESENT && f.mask === OFPVID_PRESENT) return 'present';
    return { value: `0x${v.toString(16)}`, mask: `0x${(f.mask as number).toString(16)}` };
  }
  if (f.mask === undefined) return scalarToJson(f.value);
  if (info.kind === 'ipv4' || info.kind === 'ipv6') {
    const len = prefixLen(addrBytes(info, f.mask as string));
    return `${String(f.value)}/${len ?? String(f.mask)}`;
  }
  if (info.kind === 'mac') return `${String(f.value)}/${String(f.mask)}`;
  return { value: scalarToJson(f.value), mask: scalarToJson(f.mask) };
}

/** A match in the object form; fields of other OXM classes as hex TLVs under "raw". */
export function matchToJson(m: Match): MatchJson {
  const out: Record<string, MatchJsonValue | string[]> = {};
  for (const f of m) {
    if ('field' in f) out[f.field] = fieldToJson(f);
    else ((out.raw ??= []) as string[]).push(Buffer.from(f.raw).toString('hex'));
  }
  return out;
}

/** CodecError from an encode check, as the 400 a user reads (without byte offsets meant for logs). */
export function codecToBadRequest(e: unknown, what: string): never {
  if (e instanceof CodecError) throw badRequest(`${what}: ${e.reason}`);
  throw e;
}
