// Neighbor Discovery options (RFC 4861 §4.6): type 1, length 1 (in units of
// 8 bytes, counting type and length), value. Decoded kinds keep only what
// re-encodes to the same bytes; anything else (another link type's address,
// non-zero reserved bits, unknown types) stays a raw `option`.

import { PacketBuildError, PacketError, truncated } from './errors.js';
import { ipv6Bytes, macBytes, toBytes, uint, type Bytes } from './fields.js';
import { ipv6ToString } from './ip-address.js';
import { macToString } from './mac.js';

export const NDP_OPT_SOURCE_LINK_LAYER_ADDRESS = 1;
export const NDP_OPT_TARGET_LINK_LAYER_ADDRESS = 2;
export const NDP_OPT_PREFIX_INFORMATION = 3;
export const NDP_OPT_MTU = 5;

export type NdpOption =
  | { readonly type: 'source_link_layer_address'; readonly address: string }
  | { readonly type: 'target_link_layer_address'; readonly address: string }
  | {
      readonly type: 'prefix_information';
      readonly prefixLength: number;
      readonly onLink: boolean;
      readonly autonomous: boolean;
      /** Seconds; 0xffffffff is infinity. */
      readonly validLifetime: number;
      readonly preferredLifetime: number;
      readonly prefix: string;
    }
  | { readonly type: 'mtu'; readonly mtu: number }
  /** Any other option: its code and the bytes after the 2-byte type/length, as hex. */
  | { readonly type: 'option'; readonly code: number; readonly data: Bytes };

function isZero(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}

function decodeOne(buf: Buffer, p: number, code: number, size: number): NdpOption {
  if ((code === NDP_OPT_SOURCE_LINK_LAYER_ADDRESS || code === NDP_OPT_TARGET_LINK_LAYER_ADDRESS) && size === 8) {
    const address = macToString(buf, p + 2);
    return code === NDP_OPT_SOURCE_LINK_LAYER_ADDRESS
      ? { type: 'source_link_layer_address', address }
      : { type: 'target_link_layer_address', address };
  }
  if (code === NDP_OPT_PREFIX_INFORMATION && size === 32 && (buf[p + 3]! & 0x3f) === 0 && isZero(buf, p + 12, p + 16)) {
    return {
      type: 'prefix_information',
      prefixLength: buf[p + 2]!,
      onLink: (buf[p + 3]! & 0x80) !== 0,
      autonomous: (buf[p + 3]! & 0x40) !== 0,
      validLifetime: buf.readUInt32BE(p + 4),
      preferredLifetime: buf.readUInt32BE(p + 8),
      prefix: ipv6ToString(buf, p + 16),
    };
  }
  if (code === NDP_OPT_MTU && size === 8 && isZero(buf, p + 2, p + 4)) return { type: 'mtu', mtu: buf.readUInt32BE(p + 4) };
  return { type: 'option', code, data: buf.toString('hex', p + 2, p + size) };
}

/**
 * Options from `off` to `end` (the end of the ICMPv6 message). `whole` says
 * the message was captured entirely, so an option running past `end` is a
 * bad length rather than a short capture.
 */
export function parseNdpOptions(buf: Buffer, off: number, end: number, whole: boolean): NdpOption[] | PacketError {
  const out: NdpOption[] = [];
  let p = off;
  while (p < end) {
    if (end - p < 2) {
      return whole ? new PacketError('icmpv6', 'bad_length', p, 'option header cut by the end of the message') : truncated('icmpv6', p, 2, end - p);
    }
    const size = buf[p + 1]! * 8;
    // RFC 4861 §4.6: a zero length would loop forever; the packet is discarded.
    if (size === 0) return new PacketError('icmpv6', 'bad_length', p + 1, `option ${buf[p]} has length 0`);
    if (end - p < size) {
      return whole
        ? new PacketError('icmpv6', 'bad_length', p + 1, `option ${buf[p]} of ${size} bytes runs past the message end`)
        : truncated('icmpv6', p, size, end - p);
    }
    out.push(decodeOne(buf, p, buf[p]!, size));
    p += size;
  }
  return out;
}

function encodeOne(o: NdpOption): Buffer {
  switch (o.type) {
    case 'source_link_layer_address':
    case 'target_link_layer_address': {
      const out = Buffer.alloc(8);
      out[0] = o.type === 'source_link_layer_address' ? NDP_OPT_SOURCE_LINK_LAYER_ADDRESS : NDP_OPT_TARGET_LINK_LAYER_ADDRESS;
      out[1] = 1;
      macBytes('icmpv6', o.type, o.address).copy(out, 2);
      return out;
    }
    case 'prefix_information': {
      const out = Buffer.alloc(32);
      out[0] = NDP_OPT_PREFIX_INFORMATION;
      out[1] = 4;
      out[2] = uint('icmpv6', 'prefixLength', o.prefixLength, 8);
      if (o.prefixLength > 128) throw new PacketBuildError('icmpv6', 'prefixLength', `${o.prefixLength} is over 128`);
      out[3] = (o.onLink ? 0x80 : 0) | (o.autonomous ? 0x40 : 0);
      out.writeUInt32BE(uint('icmpv6', 'validLifetime', o.validLifetime, 32), 4);
      out.writeUInt32BE(uint('icmpv6', 'preferredLifetime', o.preferredLifetime, 32), 8);
      ipv6Bytes('icmpv6', 'prefix', o.prefix).copy(out, 16);
      return out;
    }
    case 'mtu': {
      const out = Buffer.alloc(8);
      out[0] = NDP_OPT_MTU;
      out[1] = 1;
      out.writeUInt32BE(uint('icmpv6', 'mtu', o.mtu, 32), 4);
      return out;
    }
    case 'option': {
      const data = toBytes('icmpv6', 'option.data', o.data);
      if ((data.length + 2) % 8 !== 0) {
        throw new PacketBuildError('icmpv6', 'option.data', `${data.length} bytes; type, length and data must fill whole 8-byte units`);
      }
      const size = data.length + 2;
      const out = Buffer.alloc(size);
      out[0] = uint('icmpv6', 'option.code', o.code, 8);
      out[1] = uint('icmpv6', 'option length', size / 8, 8);
      out.set(data, 2);
      return out;
    }
    default: {
      const never: never = o;
      throw new PacketBuildError('icmpv6', 'option', `unknown option ${JSON.stringify(never)}`);
    }
  }
}

export function encodeNdpOptions(options: readonly NdpOption[]): Buffer {
  return Buffer.concat(options.map(encodeOne));
}
