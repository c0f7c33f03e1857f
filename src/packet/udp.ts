// UDP (RFC 768): source port 2, destination port 2, length 2 (header and
// data), checksum 2 over a pseudo-header (RFC 768 for IPv4, RFC 8200 §8.1
// for IPv6). A computed checksum of 0 is sent as 0xffff, since 0 means "none".

import { PacketBuildError, PacketError, truncated } from './errors.js';
import { transportChecksum } from './checksum.js';
import { ipBytes, toBytes, uint, type Bytes } from './fields.js';
import { IPPROTO_UDP } from './ipv4.js';

export const UDP_HEADER_LENGTH = 8;

export interface UdpLayer {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly length: number;
  readonly checksum: number;
  /** Only when decoding was asked to verify checksums and the whole datagram was captured; absent for checksum 0 over IPv4. */
  readonly checksumOk?: boolean;
}

export function parseUdp(buf: Buffer, off: number, end: number): UdpLayer | PacketError {
  if (end - off < UDP_HEADER_LENGTH) return truncated('udp', off, UDP_HEADER_LENGTH, end - off);
  const length = buf.readUInt16BE(off + 4);
  if (length < UDP_HEADER_LENGTH) return new PacketError('udp', 'bad_length', off + 4, `length ${length} is shorter than the 8-byte header`);
  return { srcPort: buf.readUInt16BE(off), dstPort: buf.readUInt16BE(off + 2), length, checksum: buf.readUInt16BE(off + 6) };
}

/** True when the datagram at buf[off, off+length) carries a correct checksum (or, over IPv4, none). */
export function udpChecksumOk(buf: Buffer, off: number, length: number, src: Uint8Array, dst: Uint8Array): boolean {
  if (src.length === 4 && buf.readUInt16BE(off + 6) === 0) return true;
  return transportChecksum(src, dst, IPPROTO_UDP, buf, off, off + length) === 0;
}

export interface UdpFields {
  /** IP source and destination (both IPv4 or both IPv6): the checksum covers them. */
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload?: Bytes;
}

export function buildUdp(f: UdpFields): Buffer {
  const payload = f.payload === undefined ? undefined : toBytes('udp', 'payload', f.payload);
  const length = UDP_HEADER_LENGTH + (payload?.length ?? 0);
  if (length > 0xffff) throw new PacketBuildError('udp', 'payload', `datagram of ${length} bytes exceeds 65535`);
  const src = ipBytes('udp', 'src', f.src);
  const dst = ipBytes('udp', 'dst', f.dst);
  if (src.length !== dst.length) throw new PacketBuildError('udp', 'dst', 'src and dst must be the same IP version');
  const out = Buffer.alloc(length);
  out.writeUInt16BE(uint('udp', 'srcPort', f.srcPort, 16), 0);
  out.writeUInt16BE(uint('udp', 'dstPort', f.dstPort, 16), 2);
  out.writeUInt16BE(length, 4);
  if (payload) out.set(payload, UDP_HEADER_LENGTH);
  out.writeUInt16BE(transportChecksum(src, dst, IPPROTO_UDP, out) || 0xffff, 6);
  return out;
}
