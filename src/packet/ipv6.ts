// IPv6 (RFC 8200 §3): version:4 traffic class:8 flow label:20, payload
// length 2, next header 1, hop limit 1, src 16, dst 16 = 40 bytes.
// Extension headers (§4) are skipped, not decoded, to reach the upper-layer
// protocol: hop-by-hop (0), routing (43), destination options (60) and AH
// (51, RFC 4302) say their own length; a fragment header (44) is 8 bytes and
// only the first fragment carries the upper-layer header.

import { PacketError, truncated } from './errors.js';
import { ipv6Bytes, uint } from './fields.js';
import { ipv6ToString } from './ip-address.js';

export const IPV6_HEADER_LENGTH = 40;
export const IPPROTO_HOPOPTS = 0;
export const IPPROTO_ROUTING = 43;
export const IPPROTO_FRAGMENT = 44;
export const IPPROTO_AH = 51;
export const IPPROTO_NONE = 59;
export const IPPROTO_DSTOPTS = 60;

export interface Ipv6Fragment {
  /** In 8-byte units, as on the wire. */
  readonly offset: number;
  readonly more: boolean;
  readonly identification: number;
}

export interface Ipv6Layer {
  readonly version: number;
  readonly trafficClass: number;
  readonly flowLabel: number;
  readonly payloadLength: number;
  /** The fixed header's next header: the first extension header or the upper layer. */
  readonly nextHeader: number;
  readonly hopLimit: number;
  readonly src: string;
  readonly dst: string;
  /** Next-header codes of the extension headers skipped, in order. */
  readonly extensionHeaders: readonly number[];
  /** The upper-layer protocol after the extension headers (59: none). */
  readonly protocol: number;
  /** Offset, from the start of the frame, of the upper-layer header. */
  readonly protocolOffset: number;
  readonly fragment?: Ipv6Fragment;
  /**
   * A routing header's segments left, when one is present. Above zero, the
   * upper-layer checksum covers the final destination (RFC 8200 §8.1), not `dst`.
   */
  readonly segmentsLeft?: number;
}

const NO_EXTENSIONS: readonly number[] = Object.freeze([]) as readonly number[];

export function isExtensionHeader(nh: number): boolean {
  return nh === IPPROTO_HOPOPTS || nh === IPPROTO_ROUTING || nh === IPPROTO_FRAGMENT || nh === IPPROTO_DSTOPTS || nh === IPPROTO_AH;
}

// Past the declared payload is a lie in the packet; past the frame is a
// short capture (packet-ins are often cut at miss_send_len).
function extensionShort(at: number, need: number, declaredEnd: number, end: number): PacketError {
  return at + need > declaredEnd
    ? new PacketError('ipv6', 'bad_length', at, `extension header needs ${need} bytes, payload length leaves ${Math.max(0, declaredEnd - at)}`)
    : truncated('ipv6', at, need, end - at);
}

/**
 * `end` is the end of the frame. Extension headers must fit in both the
 * declared payload and the frame.
 */
export function parseIpv6(buf: Buffer, off: number, end: number): Ipv6Layer | PacketError {
  if (end - off < IPV6_HEADER_LENGTH) return truncated('ipv6', off, IPV6_HEADER_LENGTH, end - off);
  const w0 = buf.readUInt32BE(off);
  const version = w0 >>> 28;
  if (version !== 6) return new PacketError('ipv6', 'bad_value', off, `version ${version}, expected 6`);
  const payloadLength = buf.readUInt16BE(off + 4);
  const nextHeader = buf[off + 6]!;
  const declaredEnd = off + IPV6_HEADER_LENGTH + payloadLength;
  let nh = nextHeader;
  let p = off + IPV6_HEADER_LENGTH;
  let extensionHeaders = NO_EXTENSIONS;
  let fragment: Ipv6Fragment | undefined;
  let segmentsLeft: number | undefined;
  if (isExtensionHeader(nh)) {
    const seen: number[] = [];
    while (isExtensionHeader(nh)) {
      if (p + 8 > declaredEnd || p + 8 > end) return extensionShort(p, 8, declaredEnd, end);
      let length: number;
      if (nh === IPPROTO_FRAGMENT) {
        length = 8;
        const f = buf.readUInt16BE(p + 2);
        fragment = { offset: f >> 3, more: (f & 1) === 1, identification: buf.readUInt32BE(p + 4) };
      } else if (nh === IPPROTO_AH) {
        length = (buf[p + 1]! + 2) * 4;
      } else {
        length = (buf[p + 1]! + 1) * 8;
        if (nh === IPPROTO_ROUTING) segmentsLeft = buf[p + 3]!;
      }
      if (p + length > declaredEnd || p + length > end) return extensionShort(p, length, declaredEnd, end);
      seen.push(nh);
      nh = buf[p]!;
      p += length;
      // A later fragment holds only the middle of the payload: no upper-layer header to find.
      if (fragment && fragment.offset !== 0) break;
    }
    extensionHeaders = seen;
  }
  const layer: { -readonly [K in keyof Ipv6Layer]: Ipv6Layer[K] } = {
    version,
    trafficClass: (w0 >>> 20) & 0xff,
    flowLabel: w0 & 0xfffff,
    payloadLength,
    nextHeader,
    hopLimit: buf[off + 7]!,
    src: ipv6ToString(buf, off + 8),
    dst: ipv6ToString(buf, off + 24),
    extensionHeaders,
    protocol: nh,
    protocolOffset: p,
  };
  if (fragment) layer.fragment = fragment;
  if (segmentsLeft !== undefined) layer.segmentsLeft = segmentsLeft;
  return layer;
}

export interface Ipv6Fields {
  readonly src: string;
  readonly dst: string;
  readonly nextHeader: number;
  readonly payload: Uint8Array;
  /** Default 64. */
  readonly hopLimit?: number;
  readonly trafficClass?: number;
  readonly flowLabel?: number;
}

/** The fixed header then the payload (which may begin with extension headers the caller built). */
export function buildIpv6(f: Ipv6Fields): Buffer {
  uint('ipv6', 'payload.length', f.payload.length, 16);
  const out = Buffer.alloc(IPV6_HEADER_LENGTH + f.payload.length);
  const tc = uint('ipv6', 'trafficClass', f.trafficClass ?? 0, 8);
  const fl = uint('ipv6', 'flowLabel', f.flowLabel ?? 0, 20);
  out.writeUInt32BE(((6 << 28) | (tc << 20) | fl) >>> 0, 0);
  out.writeUInt16BE(f.payload.length, 4);
  out[6] = uint('ipv6', 'nextHeader', f.nextHeader, 8);
  out[7] = uint('ipv6', 'hopLimit', f.hopLimit ?? 64, 8);
  ipv6Bytes('ipv6', 'src', f.src).copy(out, 8);
  ipv6Bytes('ipv6', 'dst', f.dst).copy(out, 24);
  out.set(f.payload, IPV6_HEADER_LENGTH);
  return out;
}
