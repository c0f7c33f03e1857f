// LLDP (IEEE 802.1AB-2016 §8): a sequence of TLVs, each a 2-byte header
// (type:7, length:9) and up to 511 bytes. Chassis ID (1), Port ID (2) and
// TTL (3) come first, in that order; End of LLDPDU (0, length 0) closes it.
// Optional TLVs are kept in order and decoded only when re-encoding gives
// the same bytes, so a relayed or compared LLDPDU is never altered.

import { PacketBuildError, PacketError, truncated } from './errors.js';
import { ipBytes, macBytes, toBytes, uint, type Bytes } from './fields.js';
import { ipv4ToString, ipv6ToString } from './ip-address.js';
import { HEX_BYTE, hexDigit, macToString } from './mac.js';

export const LLDP_MULTICAST = '01:80:c2:00:00:0e';

export const LLDP_TLV_END = 0;
export const LLDP_TLV_CHASSIS_ID = 1;
export const LLDP_TLV_PORT_ID = 2;
export const LLDP_TLV_TTL = 3;
export const LLDP_TLV_PORT_DESCRIPTION = 4;
export const LLDP_TLV_SYSTEM_NAME = 5;
export const LLDP_TLV_SYSTEM_DESCRIPTION = 6;
export const LLDP_TLV_SYSTEM_CAPABILITIES = 7;
export const LLDP_TLV_ORG_SPECIFIC = 127;

export const LLDP_CHASSIS_ID_MAC = 4;
export const LLDP_CHASSIS_ID_NETWORK_ADDRESS = 5;
export const LLDP_CHASSIS_ID_LOCAL = 7;
export const LLDP_PORT_ID_PORT_COMPONENT = 2;
export const LLDP_PORT_ID_MAC = 3;
export const LLDP_PORT_ID_NETWORK_ADDRESS = 4;
export const LLDP_PORT_ID_INTERFACE_NAME = 5;
export const LLDP_PORT_ID_AGENT_CIRCUIT_ID = 6;
export const LLDP_PORT_ID_LOCAL = 7;

/** How an id's value is written: text (UTF-8), MAC, an IANA-family network address, or raw hex. */
export type LldpIdFormat = 'text' | 'mac' | 'ipv4' | 'ipv6' | 'hex';

export interface LldpId {
  readonly subtype: number;
  readonly value: string;
  /** Decoders always set it; builders default it from the subtype (and, for network addresses, the value). */
  readonly format?: LldpIdFormat;
}

export type LldpTlv =
  | { readonly type: 'port_description' | 'system_name' | 'system_description'; readonly value: string }
  | { readonly type: 'system_capabilities'; readonly capabilities: number; readonly enabled: number }
  /** oui as "00:80:c2"; data is the information string after the subtype (hex when decoded). */
  | { readonly type: 'org_specific'; readonly oui: string; readonly subtype: number; readonly data: Bytes }
  /** Anything else (management address, reserved types, text that is not UTF-8): the raw value. */
  | { readonly type: 'tlv'; readonly code: number; readonly data: Bytes };

export interface LldpLayer {
  readonly chassisId: LldpId;
  readonly portId: LldpId;
  /** Seconds; 0 tells the neighbour to forget this port now. */
  readonly ttl: number;
  /** Optional TLVs in order, End excluded. */
  readonly tlvs: readonly LldpTlv[];
  readonly portDescription?: string;
  readonly systemName?: string;
  readonly systemDescription?: string;
}

const TEXT_TLVS: Readonly<Record<number, 'port_description' | 'system_name' | 'system_description'>> = {
  [LLDP_TLV_PORT_DESCRIPTION]: 'port_description',
  [LLDP_TLV_SYSTEM_NAME]: 'system_name',
  [LLDP_TLV_SYSTEM_DESCRIPTION]: 'system_description',
};
const TEXT_CODES = {
  port_description: LLDP_TLV_PORT_DESCRIPTION,
  system_name: LLDP_TLV_SYSTEM_NAME,
  system_description: LLDP_TLV_SYSTEM_DESCRIPTION,
} as const;

function isMacSubtype(tlv: number, subtype: number): boolean {
  return tlv === LLDP_TLV_CHASSIS_ID ? subtype === LLDP_CHASSIS_ID_MAC : subtype === LLDP_PORT_ID_MAC;
}
function isAddressSubtype(tlv: number, subtype: number): boolean {
  return tlv === LLDP_TLV_CHASSIS_ID ? subtype === LLDP_CHASSIS_ID_NETWORK_ADDRESS : subtype === LLDP_PORT_ID_NETWORK_ADDRESS;
}
/** 802.1AB §8.5.2.2/§8.5.3.2: every subtype but MAC, network address and agent circuit id is an alphanumeric string. */
function isTextSubtype(tlv: number, subtype: number): boolean {
  if (subtype < 1 || subtype > 7 || isMacSubtype(tlv, subtype) || isAddressSubtype(tlv, subtype)) return false;
  return !(tlv === LLDP_TLV_PORT_ID && subtype === LLDP_PORT_ID_AGENT_CIRCUIT_ID);
}

/** UTF-8 text only when it decodes and re-encodes to exactly these bytes. */
function exactUtf8(buf: Buffer, from: number, to: number): string | undefined {
  const s = buf.toString('utf8', from, to);
  return Buffer.byteLength(s) === to - from && Buffer.from(s).equals(buf.subarray(from, to)) ? s : undefined;
}

function decodeId(buf: Buffer, tlv: number, p: number, end: number): LldpId {
  const subtype = buf[p]!;
  const from = p + 1;
  const n = end - from;
  if (isMacSubtype(tlv, subtype) && n === 6) return { subtype, value: macToString(buf, from), format: 'mac' };
  if (isAddressSubtype(tlv, subtype)) {
    if (buf[from] === 1 && n === 5) return { subtype, value: ipv4ToString(buf, from + 1), format: 'ipv4' };
    if (buf[from] === 2 && n === 17) return { subtype, value: ipv6ToString(buf, from + 1), format: 'ipv6' };
  }
  if (isTextSubtype(tlv, subtype)) {
    const text = exactUtf8(buf, from, end);
    if (text !== undefined) return { subtype, value: text, format: 'text' };
  }
  return { subtype, value: buf.toString('hex', from, end), format: 'hex' };
}

function decodeOptional(buf: Buffer, code: number, p: number, end: number): LldpTlv {
  const text = TEXT_TLVS[code];
  if (text !== undefined) {
    const value = exactUtf8(buf, p, end);
    if (value !== undefined) return { type: text, value };
  } else if (code === LLDP_TLV_SYSTEM_CAPABILITIES && end - p === 4) {
    return { type: 'system_capabilities', capabilities: buf.readUInt16BE(p), enabled: buf.readUInt16BE(p + 2) };
  } else if (code === LLDP_TLV_ORG_SPECIFIC && end - p >= 4) {
    const oui = `${HEX_BYTE[buf[p]!]}:${HEX_BYTE[buf[p + 1]!]}:${HEX_BYTE[buf[p + 2]!]}`;
    return { type: 'org_specific', oui, subtype: buf[p + 3]!, data: buf.toString('hex', p + 4, end) };
  }
  return { type: 'tlv', code, data: buf.toString('hex', p, end) };
}

const MANDATORY = [LLDP_TLV_CHASSIS_ID, LLDP_TLV_PORT_ID, LLDP_TLV_TTL] as const;
/** An id is a subtype and at least one byte; a TTL is two bytes. */
const MANDATORY_MIN_LENGTH = 2;

/**
 * The LLDPDU from `off` to `end`. Bytes after End of LLDPDU (Ethernet
 * padding) are ignored; a PDU that stops at a TLV boundary without End is
 * accepted, since the zero padding of a short frame would read as End anyway.
 */
export function parseLldp(buf: Buffer, off: number, end: number): LldpLayer | PacketError {
  let chassisId: LldpId | undefined;
  let portId: LldpId | undefined;
  let ttl = 0;
  const tlvs: LldpTlv[] = [];
  let p = off;
  let index = 0;
  while (p < end) {
    if (end - p < 2) return truncated('lldp', p, 2, end - p);
    const header = buf.readUInt16BE(p);
    const code = header >> 9;
    const length = header & 0x1ff;
    const v = p + 2;
    if (end - v < length) return truncated('lldp', p, 2 + length, end - p);
    if (index < 3) {
      if (code !== MANDATORY[index]) {
        return new PacketError('lldp', 'bad_value', p, `TLV ${index + 1} has type ${code}; chassis id, port id and TTL must come first`);
      }
      if (length < MANDATORY_MIN_LENGTH) return new PacketError('lldp', 'bad_length', p, `type ${code} TLV of length ${length}`);
      if (code === LLDP_TLV_TTL) ttl = buf.readUInt16BE(v);
      else if (code === LLDP_TLV_CHASSIS_ID) chassisId = decodeId(buf, code, v, v + length);
      else portId = decodeId(buf, code, v, v + length);
    } else if (code === LLDP_TLV_END) {
      break;
    } else {
      tlvs.push(decodeOptional(buf, code, v, v + length));
    }
    index++;
    p = v + length;
  }
  if (!chassisId || !portId || index < 3) return truncated('lldp', p, 2, end - p);
  const layer: { -readonly [K in keyof LldpLayer]: LldpLayer[K] } = { chassisId, portId, ttl, tlvs };
  for (const t of tlvs) {
    if (t.type === 'system_name') layer.systemName ??= t.value;
    else if (t.type === 'port_description') layer.portDescription ??= t.value;
    else if (t.type === 'system_description') layer.systemDescription ??= t.value;
  }
  return layer;
}

export interface LldpFields {
  readonly chassisId: LldpId;
  readonly portId: LldpId;
  readonly ttl: number;
  readonly tlvs?: readonly LldpTlv[];
}

function tlv(code: number, value: Uint8Array, field: string): Buffer {
  if (value.length > 511) throw new PacketBuildError('lldp', field, `${value.length} bytes; a TLV holds at most 511`);
  const out = Buffer.alloc(2 + value.length);
  out.writeUInt16BE((code << 9) | value.length, 0);
  out.set(value, 2);
  return out;
}

function defaultFormat(tlvCode: number, id: LldpId): LldpIdFormat {
  if (isMacSubtype(tlvCode, id.subtype)) return 'mac';
  if (isAddressSubtype(tlvCode, id.subtype)) return id.value.includes(':') ? 'ipv6' : 'ipv4';
  return isTextSubtype(tlvCode, id.subtype) ? 'text' : 'hex';
}

function idValue(tlvCode: number, id: LldpId, field: string): Buffer {
  const format = id.format ?? defaultFormat(tlvCode, id);
  switch (format) {
    case 'mac':
      return macBytes('lldp', field, id.value);
    case 'ipv4':
    case 'ipv6': {
      const ip = ipBytes('lldp', field, id.value);
      if ((ip.length === 4) !== (format === 'ipv4')) throw new PacketBuildError('lldp', field, `${JSON.stringify(id.value)} is not ${format}`);
      // IANA address family numbers: 1 IPv4, 2 IPv6.
      return Buffer.concat([Buffer.from([ip.length === 4 ? 1 : 2]), ip]);
    }
    case 'text':
      return Buffer.from(id.value, 'utf8');
    case 'hex':
      return Buffer.from(toBytes('lldp', field, id.value));
    default: {
      const never: never = format;
      throw new PacketBuildError('lldp', `${field}.format`, `unknown format ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The id's bytes as on the wire (after the subtype byte), e.g. to compare a
 * binary port number without caring whether it decoded as text or hex.
 */
export function lldpIdBytes(id: LldpId, kind: 'chassis' | 'port'): Buffer {
  return idValue(kind === 'chassis' ? LLDP_TLV_CHASSIS_ID : LLDP_TLV_PORT_ID, id, kind === 'chassis' ? 'chassisId' : 'portId');
}

function encodeId(tlvCode: number, id: LldpId, field: string): Buffer {
  const subtype = uint('lldp', `${field}.subtype`, id.subtype, 8);
  const value = idValue(tlvCode, id, field);
  if (value.length < 1 || value.length > 255) throw new PacketBuildError('lldp', field, `id of ${value.length} bytes; 1 to 255 allowed`);
  return tlv(tlvCode, Buffer.concat([Buffer.from([subtype]), value]), field);
}

function parseOui(oui: string): Buffer {
  if (typeof oui === 'string' && oui.length === 8 && oui[2] === ':' && oui[5] === ':') {
    const out = Buffer.alloc(3);
    let ok = true;
    for (let i = 0; i < 3; i++) {
      const hi = hexDigit(oui.charCodeAt(3 * i));
      const lo = hexDigit(oui.charCodeAt(3 * i + 1));
      if (hi < 0 || lo < 0) ok = false;
      out[i] = (hi << 4) | lo;
    }
    if (ok) return out;
  }
  throw new PacketBuildError('lldp', 'oui', `${JSON.stringify(oui)} is not an OUI like 00:80:c2`);
}

function encodeOptional(t: LldpTlv): Buffer {
  switch (t.type) {
    case 'port_description':
    case 'system_name':
    case 'system_description':
      return tlv(TEXT_CODES[t.type], Buffer.from(t.value, 'utf8'), t.type);
    case 'system_capabilities': {
      const v = Buffer.alloc(4);
      v.writeUInt16BE(uint('lldp', 'capabilities', t.capabilities, 16), 0);
      v.writeUInt16BE(uint('lldp', 'enabled', t.enabled, 16), 2);
      return tlv(LLDP_TLV_SYSTEM_CAPABILITIES, v, t.type);
    }
    case 'org_specific': {
      const head = Buffer.concat([parseOui(t.oui), Buffer.from([uint('lldp', 'org_specific.subtype', t.subtype, 8)])]);
      return tlv(LLDP_TLV_ORG_SPECIFIC, Buffer.concat([head, toBytes('lldp', 'org_specific.data', t.data)]), t.type);
    }
    case 'tlv': {
      const code = uint('lldp', 'tlv.code', t.code, 7);
      if (code <= LLDP_TLV_TTL) throw new PacketBuildError('lldp', 'tlv.code', `type ${code} is End or a mandatory TLV, not an optional one`);
      return tlv(code, toBytes('lldp', 'tlv.data', t.data), 'tlv');
    }
    default: {
      const never: never = t;
      throw new PacketBuildError('lldp', 'tlvs', `unknown TLV ${JSON.stringify(never)}`);
    }
  }
}

/** The LLDPDU, End TLV included; send it with buildEthernet to LLDP_MULTICAST, ethertype 0x88cc. */
export function buildLldp(f: LldpFields): Buffer {
  const ttl = Buffer.alloc(2);
  ttl.writeUInt16BE(uint('lldp', 'ttl', f.ttl, 16), 0);
  return Buffer.concat([
    encodeId(LLDP_TLV_CHASSIS_ID, f.chassisId, 'chassisId'),
    encodeId(LLDP_TLV_PORT_ID, f.portId, 'portId'),
    tlv(LLDP_TLV_TTL, ttl, 'ttl'),
    ...(f.tlvs ?? []).map(encodeOptional),
    Buffer.from([0, 0]),
  ]);
}
