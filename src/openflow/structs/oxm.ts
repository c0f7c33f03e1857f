import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { describe } from '../input-checks.js';
import type { OfpErrorCode } from '../codec-error.js';
import { ofpError } from '../messages/error-codes.js';
import { readPortNo, writePortNo, type PortNo } from '../common.js';
import { readIpv4, readIpv6, readMac, writeIpv4, writeIpv6, writeMac } from './addr.js';
import {
  K_PORT, K_U8, K_U16, K_U24, K_U32, K_U64, K_MAC, K_IPV4, K_IPV6,
  OFPXMC_EXPERIMENTER, OFPXMC_OPENFLOW_BASIC, OXM_FIELDS, OXM_FIELD_BY_NAME, OXM_FIELD_NAMES, type OxmFieldInfo,
  type OxmFieldName,
} from './oxm-fields.js';

export { describe, inContext, u64, uint } from '../input-checks.js';
export {
  OXM_FIELDS, OXM_FIELD_BY_NAME, OXM_FIELD_NAMES, oxmFieldCode, oxmFieldName, oxmBasicHeader,
  OFPXMC_NXM_0, OFPXMC_NXM_1, OFPXMC_OPENFLOW_BASIC, OFPXMC_EXPERIMENTER, OFPVID_PRESENT, OFPVID_NONE,
  type OxmFieldInfo, type OxmKind, type OxmFieldName,
} from './oxm-fields.js';


/**
 * Value by field kind: MACs "aa:bb:cc:dd:ee:ff", IPv4/IPv6 addresses as text,
 * metadata/tunnel_id as bigint, in_port/in_phy_port as PortNo, the rest numbers.
 */
export type OxmValue = number | bigint | string;

/** An OpenFlow-basic field with its value and, where it was sent with one, its mask. */
export interface OxmBasic {
  readonly field: OxmFieldName;
  readonly value: OxmValue;
  readonly mask?: OxmValue;
}

/** Any other OXM class (Nicira NXM, experimenter, unknown basic field): the whole TLV as it arrived. */
export interface OxmRaw {
  readonly oxm_class: number;
  readonly oxm_field: number;
  readonly hasmask: boolean;
  /** The whole TLV including its 4-byte header (and experimenter id). */
  readonly raw: Buffer;
}

export type OxmField = OxmBasic | OxmRaw;

/**
 * The errors a switch answers for a malformed OpenFlow-basic TLV (OF 1.3.4
 * conformance 430.500/430.510): in a match, and in a set_field action.
 */
export interface OxmRules {
  /** A field code OF 1.3 does not define. */
  readonly field: OfpErrorCode;
  /** An oxm_length other than the field's size (twice it with a mask). */
  readonly len: OfpErrorCode;
}
export const MATCH_RULES: OxmRules = Object.freeze({
  field: ofpError('bad_match', 'bad_field'),
  len: ofpError('bad_match', 'bad_len'),
});
export const SET_FIELD_RULES: OxmRules = Object.freeze({
  field: ofpError('bad_action', 'bad_set_type'),
  len: ofpError('bad_action', 'bad_set_len'),
});

/**
 * Why a basic-class header (class 0x8000, field, hasmask, length) is invalid,
 * or undefined when it is not. A mask on a field Table 12 calls unmaskable
 * is not an error here: Open vSwitch sends and accepts tcp_dst/0xf000 (see
 * the flow_mod capture), so such a TLV stays raw, byte-exact.
 */
function basicProblem(field: number, hasmask: boolean, len: number, rules: OxmRules): [OfpErrorCode, string] | undefined {
  const info = OXM_FIELDS[field];
  if (info === undefined) return [rules.field, `OpenFlow-basic OXM field ${field} is not defined by OpenFlow 1.3 (fields 0..${OXM_FIELDS.length - 1})`];
  const want = hasmask ? 2 * info.length : info.length;
  if (len !== want) {
    return [rules.len, `OXM ${info.name}${hasmask ? ' with mask' : ''} has oxm_length ${len}; it must be ${want} (the field is ${info.length} bytes)`];
  }
  return undefined;
}

/** One OXM TLV (header + payload); basic-class TLVs must be well-formed (`rules` say which error a switch gives). */
export function decodeOxm(r: Reader, rules: OxmRules = MATCH_RULES): OxmField {
  // ofp_oxm TLV, OF 1.3.5 §7.2.3.2: oxm_class(2) oxm_field(7 bits) oxm_hasmask(1 bit) oxm_length(1) payload(oxm_length)
  const start = r.pos;
  r.need(4, 'oxm header');
  const b = r.buf;
  const cls = (b[start]! << 8) | b[start + 1]!;
  const fh = b[start + 2]!;
  const len = b[start + 3]!;
  r.need(4 + len, 'oxm payload');
  if (cls === OFPXMC_OPENFLOW_BASIC) {
    const info = OXM_FIELDS[fh >> 1];
    if (info !== undefined) {
      if ((fh & 1) === 0) {
        if (len === info.length) {
          r.pos = start + 4;
          return { field: info.name, value: readValue(r, info.k) };
        }
      } else if (info.maskable && len === 2 * info.length) {
        r.pos = start + 4;
        const value = readValue(r, info.k);
        return { field: info.name, value, mask: readValue(r, info.k) };
      }
    }
    const problem = basicProblem(fh >> 1, (fh & 1) === 1, len, rules);
    if (problem !== undefined) r.fail(problem[0] === rules.len ? 'bad_length' : 'bad_value', problem[1], start, problem[0]);
  } else if (cls === OFPXMC_EXPERIMENTER && len < 4) {
    // ofp_oxm_experimenter_header: the 4-byte experimenter id counts in oxm_length.
    r.fail('bad_length', `experimenter OXM length ${len} leaves no room for its 4-byte experimenter id`, start + 3);
  }
  return { oxm_class: cls, oxm_field: fh >> 1, hasmask: (fh & 1) === 1, raw: r.bytes(4 + len, 'oxm') };
}

function readValue(r: Reader, k: number): OxmValue {
  switch (k) {
    case K_PORT:
      return readPortNo(r);
    case K_U8:
      return r.u8('oxm value');
    case K_U16:
      return r.u16('oxm value');
    case K_U24:
      return r.u8('oxm value') * 0x10000 + r.u16('oxm value');
    case K_U32:
      return r.u32('oxm value');
    case K_U64:
      return r.u64('oxm value');
    case K_MAC:
      return readMac(r);
    case K_IPV4:
      return readIpv4(r);
    default:
      return readIpv6(r);
  }
}

export function encodeOxm(w: Writer, f: OxmField, rules: OxmRules = MATCH_RULES): void {
  // ofp_oxm TLV, OF 1.3.5 §7.2.3.2: oxm_class(2) oxm_field(7 bits) oxm_hasmask(1 bit) oxm_length(1) payload
  if (f === null || typeof f !== 'object') {
    w.fail(`an OXM field must be an object like {"field":"eth_type","value":2048}, got ${describe(f)}`);
  }
  if ((f as OxmRaw).raw !== undefined) return encodeRaw(w, f as OxmRaw, rules);
  const { field, value, mask } = f as OxmBasic;
  const info = typeof field === 'string' ? OXM_FIELD_BY_NAME.get(field) : undefined;
  if (info === undefined) {
    w.fail(`unknown OXM field ${describe(field)}; expected one of ${OXM_FIELD_NAMES.join(', ')} (or {oxm_class, oxm_field, hasmask, raw})`, rules.field);
  }
  const masked = mask !== undefined && mask !== null;
  if (masked && !info.maskable) {
    w.fail(`OXM field ${info.name} cannot carry a mask in OpenFlow 1.3 (Table 12); remove "mask"`);
  }
  // The header is written in one go: this runs for every field of every flow-mod.
  const payload = masked ? 2 * info.length : info.length;
  w.grow(4 + payload);
  const b = w.buf;
  const p = w.pos;
  b[p] = OFPXMC_OPENFLOW_BASIC >>> 8;
  b[p + 1] = OFPXMC_OPENFLOW_BASIC & 0xff;
  b[p + 2] = (info.code << 1) | (masked ? 1 : 0);
  w.pos = p + 4;
  writeValue(w, info, value, 'value');
  if (masked) writeValue(w, info, mask, 'mask');
  // oxm_length is the bytes written, as for any reserved length.
  w.patch8(p + 3, w.pos - p - 4);
}

function writeValue(w: Writer, info: OxmFieldInfo, v: unknown, what: string): void {
  switch (info.k) {
    case K_PORT:
      if (typeof v !== 'number' && typeof v !== 'string') badValue(w, info, v, what);
      return writePortNo(w, v as PortNo);
    case K_U64:
      if (typeof v !== 'bigint' && typeof v !== 'string' && typeof v !== 'number') badValue(w, info, v, what);
      return w.u64(v);
    case K_MAC:
      if (typeof v !== 'string') badValue(w, info, v, what);
      return writeMac(w, v);
    case K_IPV4:
      if (typeof v !== 'string') badValue(w, info, v, what);
      return writeIpv4(w, v);
    case K_IPV6:
      if (typeof v !== 'string') badValue(w, info, v, what);
      return writeIpv6(w, v);
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > info.max) badValue(w, info, v, what);
  switch (info.k) {
    case K_U8:
      return w.u8(v);
    case K_U16:
      return w.u16(v);
    case K_U24:
      w.u8(Math.floor(v / 0x10000));
      return w.u16(v & 0xffff);
    default:
      return w.u32(v);
  }
}


const KIND_TEXT = [
  'a port number or one of in_port, table, normal, flood, all, controller, local, any',
  '', '', '', '',
  'a 64-bit integer (bigint, decimal or 0x-hex string)',
  'a MAC address like "aa:bb:cc:dd:ee:ff"',
  'an IPv4 address like "10.0.0.1"',
  'an IPv6 address like "fe80::1"',
];

function badValue(w: Writer, info: OxmFieldInfo, v: unknown, what: string): never {
  const range = KIND_TEXT[info.k] || `an integer 0..${info.max}`;
  return w.fail(`OXM ${info.name} ${what} must be ${range}, got ${describe(v)}`);
}




function encodeRaw(w: Writer, f: OxmRaw, rules: OxmRules): void {
  // ofp_oxm TLV kept whole, OF 1.3.5 §7.2.3.2: header(4) [experimenter(4)] payload(oxm_length - 4 | oxm_length)
  const start = w.pos;
  w.bytes(f.raw);
  const n = w.pos - start;
  const b = w.buf;
  if (n < 4 || b[start + 3]! + 4 !== n) {
    w.fail(`raw OXM must be one whole TLV: ${n} bytes given but its header declares ${n < 4 ? 'a 4-byte header' : `${b[start + 3]! + 4}`}`);
  }
  // The header inside raw is what goes on the wire; refuse edits that would be silently ignored.
  const cls = (b[start]! << 8) | b[start + 1]!;
  const field = b[start + 2]! >> 1;
  const hasmask = (b[start + 2]! & 1) === 1;
  if ((f.oxm_class !== undefined && f.oxm_class !== cls) || (f.oxm_field !== undefined && f.oxm_field !== field) ||
    (f.hasmask !== undefined && f.hasmask !== hasmask)) {
    w.fail(`raw OXM header says class 0x${cls.toString(16)} field ${field} hasmask ${hasmask}, ` +
      `which disagrees with oxm_class/oxm_field/hasmask; edit raw or drop those keys`);
  }
  // A basic-class TLV in raw form is held to the same rules as a decoded one.
  if (cls === OFPXMC_OPENFLOW_BASIC) {
    const problem = basicProblem(field, hasmask, n - 4, rules);
    if (problem !== undefined) {
      w.pos = start;
      w.fail(`raw ${problem[1]}`, problem[0]);
    }
  }
}

/** A bare OXM header as used in table-features OXM id lists. */
export interface OxmHeader {
  readonly oxm_class: number;
  readonly oxm_field: number;
  readonly hasmask: boolean;
  /** oxm_length: payload bytes the header announces. */
  readonly length: number;
}

export function decodeOxmHeader(r: Reader): OxmHeader {
  // OXM header, OF 1.3.5 §7.2.3.2: oxm_class(2) oxm_field(7 bits) oxm_hasmask(1 bit) oxm_length(1)
  const oxm_class = r.u16('oxm_class');
  const fh = r.u8('oxm_field');
  return { oxm_class, oxm_field: fh >> 1, hasmask: (fh & 1) === 1, length: r.u8('oxm_length') };
}

export function encodeOxmHeader(w: Writer, h: OxmHeader): void {
  // OXM header, OF 1.3.5 §7.2.3.2: oxm_class(2) oxm_field(7 bits) oxm_hasmask(1 bit) oxm_length(1)
  if (h === null || typeof h !== 'object') w.fail('an OXM header must be an object {oxm_class, oxm_field, hasmask, length}');
  if (!(Number.isInteger(h.oxm_field) && h.oxm_field >= 0 && h.oxm_field <= 0x7f)) {
    w.fail(`oxm_field ${describe(h.oxm_field)} must be an integer 0..127`);
  }
  if (typeof h.hasmask !== 'boolean') w.fail('OXM header hasmask must be true or false');
  w.u16(h.oxm_class);
  w.u8((h.oxm_field << 1) | (h.hasmask ? 1 : 0));
  w.u8(h.length);
}

