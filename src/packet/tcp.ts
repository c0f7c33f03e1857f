// TCP (RFC 793 §3.1, RFC 3168 for ECE/CWR, RFC 3540 for NS): source port 2,
// destination port 2, sequence number 4, acknowledgment number 4,
// data offset:4 reserved:3 flags:9, window 2, checksum 2, urgent pointer 2,
// options (data offset * 4 - 20). The checksum covers a pseudo-header.

import { PacketBuildError, PacketError, truncated } from './errors.js';
import { transportChecksum } from './checksum.js';
import { ipBytes, toBytes, uint, type Bytes } from './fields.js';
import { IPPROTO_TCP } from './ipv4.js';

export const TCP_FIN = 0x001;
export const TCP_SYN = 0x002;
export const TCP_RST = 0x004;
export const TCP_PSH = 0x008;
export const TCP_ACK = 0x010;
export const TCP_URG = 0x020;
export const TCP_ECE = 0x040;
export const TCP_CWR = 0x080;
export const TCP_NS = 0x100;

export type TcpFlagName = 'fin' | 'syn' | 'rst' | 'psh' | 'ack' | 'urg' | 'ece' | 'cwr' | 'ns';

const FLAG_BITS: Readonly<Record<TcpFlagName, number>> = {
  fin: TCP_FIN,
  syn: TCP_SYN,
  rst: TCP_RST,
  psh: TCP_PSH,
  ack: TCP_ACK,
  urg: TCP_URG,
  ece: TCP_ECE,
  cwr: TCP_CWR,
  ns: TCP_NS,
};

export interface TcpLayer {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  /** Header length in 32-bit words. */
  readonly dataOffset: number;
  /** The 9 flag bits (TCP_SYN | TCP_ACK ...). */
  readonly flags: number;
  readonly window: number;
  readonly checksum: number;
  readonly urgentPointer: number;
  /** Hex of the option bytes, when dataOffset > 5. */
  readonly options?: string;
  /** Only when decoding was asked to verify checksums and the whole segment was captured. */
  readonly checksumOk?: boolean;
}

export function tcpFlagNames(flags: number): TcpFlagName[] {
  return (Object.keys(FLAG_BITS) as TcpFlagName[]).filter((n) => (flags & FLAG_BITS[n]) !== 0);
}

export function parseTcp(buf: Buffer, off: number, end: number): TcpLayer | PacketError {
  if (end - off < 20) return truncated('tcp', off, 20, end - off);
  const dataOffset = buf[off + 12]! >> 4;
  if (dataOffset < 5) return new PacketError('tcp', 'bad_length', off + 12, `data offset ${dataOffset} is under the minimum of 5`);
  const headerLength = dataOffset * 4;
  if (end - off < headerLength) return truncated('tcp', off, headerLength, end - off);
  const layer: { -readonly [K in keyof TcpLayer]: TcpLayer[K] } = {
    srcPort: buf.readUInt16BE(off),
    dstPort: buf.readUInt16BE(off + 2),
    seq: buf.readUInt32BE(off + 4),
    ack: buf.readUInt32BE(off + 8),
    dataOffset,
    flags: buf.readUInt16BE(off + 12) & 0x1ff,
    window: buf.readUInt16BE(off + 14),
    checksum: buf.readUInt16BE(off + 16),
    urgentPointer: buf.readUInt16BE(off + 18),
  };
  if (dataOffset > 5) layer.options = buf.toString('hex', off + 20, off + headerLength);
  return layer;
}

export function tcpChecksumOk(buf: Buffer, off: number, end: number, src: Uint8Array, dst: Uint8Array): boolean {
  return transportChecksum(src, dst, IPPROTO_TCP, buf, off, end) === 0;
}

export interface TcpFields {
  /** IP source and destination (both IPv4 or both IPv6): the checksum covers them. */
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq?: number;
  readonly ack?: number;
  /** Bits (TCP_SYN | TCP_ACK) or names (['syn', 'ack']). */
  readonly flags?: number | readonly TcpFlagName[];
  /** Default 65535. */
  readonly window?: number;
  readonly urgentPointer?: number;
  /** Option bytes; zero-padded (end-of-option-list) to a multiple of 4. */
  readonly options?: Bytes;
  readonly payload?: Bytes;
}

function flagBits(flags: number | readonly TcpFlagName[] | undefined): number {
  if (flags === undefined) return 0;
  if (typeof flags === 'number') return uint('tcp', 'flags', flags, 9);
  let bits = 0;
  for (const name of flags) {
    if (!Object.hasOwn(FLAG_BITS, name)) throw new PacketBuildError('tcp', 'flags', `unknown flag ${JSON.stringify(name)}`);
    bits |= FLAG_BITS[name];
  }
  return bits;
}

export function buildTcp(f: TcpFields): Buffer {
  const options = f.options === undefined ? undefined : toBytes('tcp', 'options', f.options);
  const payload = f.payload === undefined ? undefined : toBytes('tcp', 'payload', f.payload);
  const optionsLength = options ? (options.length + 3) & ~3 : 0;
  if (optionsLength > 40) throw new PacketBuildError('tcp', 'options', `${optionsLength} bytes; at most 40 fit`);
  const headerLength = 20 + optionsLength;
  const src = ipBytes('tcp', 'src', f.src);
  const dst = ipBytes('tcp', 'dst', f.dst);
  if (src.length !== dst.length) throw new PacketBuildError('tcp', 'dst', 'src and dst must be the same IP version');
  const out = Buffer.alloc(headerLength + (payload?.length ?? 0));
  out.writeUInt16BE(uint('tcp', 'srcPort', f.srcPort, 16), 0);
  out.writeUInt16BE(uint('tcp', 'dstPort', f.dstPort, 16), 2);
  out.writeUInt32BE(uint('tcp', 'seq', f.seq ?? 0, 32), 4);
  out.writeUInt32BE(uint('tcp', 'ack', f.ack ?? 0, 32), 8);
  out.writeUInt16BE(((headerLength / 4) << 12) | flagBits(f.flags), 12);
  out.writeUInt16BE(uint('tcp', 'window', f.window ?? 65535, 16), 14);
  out.writeUInt16BE(uint('tcp', 'urgentPointer', f.urgentPointer ?? 0, 16), 18);
  if (options) out.set(options, 20);
  if (payload) out.set(payload, headerLength);
  out.writeUInt16BE(transportChecksum(src, dst, IPPROTO_TCP, out), 16);
  return out;
}
