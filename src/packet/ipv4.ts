// IPv4 (RFC 791 §3.1): version:4 ihl:4, DSCP:6 ECN:2 (RFC 2474, RFC 3168),
// total length 2, identification 2, flags:3 fragment offset:13, TTL 1,
// protocol 1, header checksum 2, src 4, dst 4, options (ihl*4 - 20).

import { PacketBuildError, PacketError, truncated } from './errors.js';
import { internetChecksum } from './checksum.js';
import { ipv4Bytes, toBytes, uint, type Bytes } from './fields.js';
import { ipv4ToString } from './ip-address.js';

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_ICMPV6 = 58;

export const IPV4_FLAG_DF = 0x2;
export const IPV4_FLAG_MF = 0x1;

export interface Ipv4Layer {
  readonly version: number;
  readonly ihl: number;
  readonly dscp: number;
  readonly ecn: number;
  readonly totalLength: number;
  readonly identification: number;
  /** 3 bits: 0x2 don't fragment, 0x1 more fragments. */
  readonly flags: number;
  /** In 8-byte units, as on the wire. */
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly checksum: number;
  readonly src: string;
  readonly dst: string;
  /** Hex of the option bytes, when ihl > 5. */
  readonly options?: string;
  /** Only when decoding was asked to verify checksums. */
  readonly checksumOk?: boolean;
}

/**
 * `end` is where the frame ends; the datagram ends at off + totalLength,
 * which is shorter when Ethernet padded a small packet.
 */
export function parseIpv4(buf: Buffer, off: number, end: number, verify = false): Ipv4Layer | PacketError {
  if (end - off < 20) return truncated('ipv4', off, 20, end - off);
  const b0 = buf[off]!;
  const version = b0 >> 4;
  if (version !== 4) return new PacketError('ipv4', 'bad_value', off, `version ${version}, expected 4`);
  const ihl = b0 & 0x0f;
  if (ihl < 5) return new PacketError('ipv4', 'bad_length', off, `ihl ${ihl} is under the minimum of 5`);
  const headerLength = ihl * 4;
  if (end - off < headerLength) return truncated('ipv4', off, headerLength, end - off);
  const totalLength = buf.readUInt16BE(off + 2);
  if (totalLength < headerLength) {
    return new PacketError('ipv4', 'bad_length', off + 2, `total length ${totalLength} is shorter than the ${headerLength}-byte header`);
  }
  const fragment = buf.readUInt16BE(off + 6);
  const layer: { -readonly [K in keyof Ipv4Layer]: Ipv4Layer[K] } = {
    version,
    ihl,
    dscp: buf[off + 1]! >> 2,
    ecn: buf[off + 1]! & 0x3,
    totalLength,
    identification: buf.readUInt16BE(off + 4),
    flags: fragment >> 13,
    fragmentOffset: fragment & 0x1fff,
    ttl: buf[off + 8]!,
    protocol: buf[off + 9]!,
    checksum: buf.readUInt16BE(off + 10),
    src: ipv4ToString(buf, off + 12),
    dst: ipv4ToString(buf, off + 16),
  };
  if (ihl > 5) layer.options = buf.toString('hex', off + 20, off + headerLength);
  if (verify) layer.checksumOk = internetChecksum(buf, off, off + headerLength) === 0;
  return layer;
}

export interface Ipv4Fields {
  readonly src: string;
  readonly dst: string;
  readonly protocol: number;
  readonly payload: Uint8Array;
  /** Default 64. */
  readonly ttl?: number;
  /** The identification field; default 0. */
  readonly id?: number;
  readonly dscp?: number;
  readonly ecn?: number;
  /** Default 0; IPV4_FLAG_DF to forbid fragmentation. */
  readonly flags?: number;
  readonly fragmentOffset?: number;
  /** Option bytes; zero-padded (end-of-options) to a multiple of 4. */
  readonly options?: Bytes;
}

/** Header with its checksum, then the payload. */
export function buildIpv4(f: Ipv4Fields): Buffer {
  const options = f.options === undefined ? undefined : toBytes('ipv4', 'options', f.options);
  const optionsLength = options ? (options.length + 3) & ~3 : 0;
  if (optionsLength > 40) throw new PacketBuildError('ipv4', 'options', `${optionsLength} bytes; at most 40 fit`);
  const headerLength = 20 + optionsLength;
  const totalLength = headerLength + f.payload.length;
  if (totalLength > 0xffff) throw new PacketBuildError('ipv4', 'payload', `total length ${totalLength} exceeds 65535`);
  const out = Buffer.alloc(totalLength);
  out[0] = 0x40 | (headerLength >> 2);
  out[1] = (uint('ipv4', 'dscp', f.dscp ?? 0, 6) << 2) | uint('ipv4', 'ecn', f.ecn ?? 0, 2);
  out.writeUInt16BE(totalLength, 2);
  out.writeUInt16BE(uint('ipv4', 'id', f.id ?? 0, 16), 4);
  out.writeUInt16BE((uint('ipv4', 'flags', f.flags ?? 0, 3) << 13) | uint('ipv4', 'fragmentOffset', f.fragmentOffset ?? 0, 13), 6);
  out[8] = uint('ipv4', 'ttl', f.ttl ?? 64, 8);
  out[9] = uint('ipv4', 'protocol', f.protocol, 8);
  ipv4Bytes('ipv4', 'src', f.src).copy(out, 12);
  ipv4Bytes('ipv4', 'dst', f.dst).copy(out, 16);
  if (options) out.set(options, 20);
  out.writeUInt16BE(internetChecksum(out, 0, headerLength), 10);
  out.set(f.payload, headerLength);
  return out;
}
