// ICMP for IPv4 (RFC 792): type 1, code 1, checksum 2 over the whole
// message, then 4 bytes whose meaning depends on the type (identifier and
// sequence number for echo), then data.

import { PacketError, truncated } from './errors.js';
import { internetChecksum } from './checksum.js';
import { toBytes, uint, type Bytes } from './fields.js';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_HEADER_LENGTH = 8;

export interface IcmpLayer {
  readonly type: number;
  readonly code: number;
  readonly checksum: number;
  /** Echo request/reply only. */
  readonly identifier?: number;
  readonly sequence?: number;
  /** Every other type: the 32-bit word after the checksum (e.g. next-hop MTU, gateway). */
  readonly rest?: number;
  /** Only when decoding was asked to verify checksums and the whole message was captured. */
  readonly checksumOk?: boolean;
}

/** `end` is the end of the ICMP message; `whole` says the message was not cut short, so its checksum can be checked. */
export function parseIcmp(buf: Buffer, off: number, end: number, verify: boolean, whole: boolean): IcmpLayer | PacketError {
  if (end - off < ICMP_HEADER_LENGTH) return truncated('icmp', off, ICMP_HEADER_LENGTH, end - off);
  const type = buf[off]!;
  const layer: { -readonly [K in keyof IcmpLayer]: IcmpLayer[K] } = { type, code: buf[off + 1]!, checksum: buf.readUInt16BE(off + 2) };
  if (type === ICMP_ECHO_REQUEST || type === ICMP_ECHO_REPLY) {
    layer.identifier = buf.readUInt16BE(off + 4);
    layer.sequence = buf.readUInt16BE(off + 6);
  } else {
    layer.rest = buf.readUInt32BE(off + 4);
  }
  if (verify && whole) layer.checksumOk = internetChecksum(buf, off, end) === 0;
  return layer;
}

export interface IcmpFields {
  readonly type: number;
  readonly code: number;
  /** The 32-bit word after the checksum; default 0. */
  readonly rest?: number;
  /** For errors: the offending IP header and the first 8 bytes of its payload. */
  readonly payload?: Bytes;
}

export function buildIcmp(f: IcmpFields): Buffer {
  const payload = f.payload === undefined ? undefined : toBytes('icmp', 'payload', f.payload);
  const out = Buffer.alloc(ICMP_HEADER_LENGTH + (payload?.length ?? 0));
  out[0] = uint('icmp', 'type', f.type, 8);
  out[1] = uint('icmp', 'code', f.code, 8);
  out.writeUInt32BE(uint('icmp', 'rest', f.rest ?? 0, 32), 4);
  if (payload) out.set(payload, ICMP_HEADER_LENGTH);
  out.writeUInt16BE(internetChecksum(out), 2);
  return out;
}

export interface IcmpEchoFields {
  /** Default false: an echo request. */
  readonly reply?: boolean;
  readonly identifier: number;
  readonly sequence: number;
  readonly data?: Bytes;
}

export function buildIcmpEcho(f: IcmpEchoFields): Buffer {
  const rest = (uint('icmp', 'identifier', f.identifier, 16) << 16) | uint('icmp', 'sequence', f.sequence, 16);
  return buildIcmp({
    type: f.reply ? ICMP_ECHO_REPLY : ICMP_ECHO_REQUEST,
    code: 0,
    rest: rest >>> 0,
    ...(f.data === undefined ? {} : { payload: f.data }),
  });
}
