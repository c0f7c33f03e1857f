// Builder-side checks. Builders take app data (addresses as text, numbers)
// and refuse anything that would not encode to exactly what was asked for:
// a silently truncated VLAN id or a mistyped MAC would put a wrong packet on
// the wire with nothing in the logs.

import { PacketBuildError, type PacketLayer } from './errors.js';
import { parseIpv4Address, parseIpv6Address } from './ip-address.js';
import { hexDigit, parseMac } from './mac.js';

/** Opaque bytes: a Buffer/Uint8Array, or lowercase-or-uppercase hex text (how decoders hand them out). */
export type Bytes = Uint8Array | string;

export function uint(layer: PacketLayer, field: string, v: number, bits: number): number {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** bits) {
    throw new PacketBuildError(layer, field, `${String(v)} is not an unsigned ${bits}-bit integer`);
  }
  return v;
}

export function macBytes(layer: PacketLayer, field: string, mac: string): Buffer {
  const b = parseMac(mac);
  if (!b) throw new PacketBuildError(layer, field, `${JSON.stringify(mac)} is not a MAC address like aa:bb:cc:dd:ee:ff`);
  return b;
}

export function ipv4Bytes(layer: PacketLayer, field: string, ip: string): Buffer {
  const b = parseIpv4Address(ip);
  if (!b) throw new PacketBuildError(layer, field, `${JSON.stringify(ip)} is not an IPv4 address like 10.0.0.1`);
  return b;
}

export function ipv6Bytes(layer: PacketLayer, field: string, ip: string): Buffer {
  const b = parseIpv6Address(ip);
  if (!b) throw new PacketBuildError(layer, field, `${JSON.stringify(ip)} is not an IPv6 address like fe80::1`);
  return b;
}

/** Either family, by the text's shape; used where a pseudo-header needs the addresses. */
export function ipBytes(layer: PacketLayer, field: string, ip: string): Buffer {
  return typeof ip === 'string' && ip.includes(':') ? ipv6Bytes(layer, field, ip) : ipv4Bytes(layer, field, ip);
}

export function toBytes(layer: PacketLayer, field: string, b: Bytes): Uint8Array {
  if (typeof b !== 'string') {
    if (b instanceof Uint8Array) return b;
    throw new PacketBuildError(layer, field, 'expected bytes or hex text');
  }
  if (b.length % 2 !== 0) throw new PacketBuildError(layer, field, 'hex text has an odd number of digits');
  const out = Buffer.allocUnsafe(b.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(b.charCodeAt(2 * i));
    const lo = hexDigit(b.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new PacketBuildError(layer, field, `${JSON.stringify(b.slice(2 * i, 2 * i + 2))} is not hex`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}
