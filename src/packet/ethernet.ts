// Ethernet II (IEEE 802.3 clause 3.2.6 with a type, not a length): dst 6,
// src 6, ethertype 2, then any 802.1Q/802.1ad tags before the real type.
// parseEthernet is the first thing every packet-in meets, so it reads only
// what an app needs to dispatch and allocates one object and two strings.

import { PacketBuildError, PacketError, truncated } from './errors.js';
import { macBytes, uint } from './fields.js';
import { macToString } from './mac.js';
import { NO_VLANS, isVlanTpid, readVlanTag, writeVlanTags, type VlanTag, type VlanTagInput } from './vlan.js';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_LLDP = 0x88cc;
/** Values up to this are an 802.3 length, not a type (IEEE 802.3 §3.2.6). */
export const ETHERTYPE_MAX_LENGTH = 1500;

/** Shortest frame on the wire without its 4-byte FCS; shorter ones are padded. */
export const MIN_FRAME_LENGTH = 60;
export const ETHERNET_HEADER_LENGTH = 14;

export interface EthernetHeader {
  readonly dst: string;
  readonly src: string;
  /** Outermost first; the shared empty NO_VLANS when untagged. */
  readonly vlans: readonly VlanTag[];
  /** The type after the last tag. */
  readonly ethertype: number;
  readonly payloadOffset: number;
}

export function parseEthernet(buf: Buffer): EthernetHeader | PacketError {
  const len = buf.length;
  if (len < ETHERNET_HEADER_LENGTH) return truncated('ethernet', 0, ETHERNET_HEADER_LENGTH, len);
  let type = (buf[12]! << 8) | buf[13]!;
  let off = ETHERNET_HEADER_LENGTH;
  let vlans = NO_VLANS;
  if (isVlanTpid(type)) {
    const tags: VlanTag[] = [];
    do {
      if (off + 4 > len) return truncated('vlan', off - 2, 4, len - off + 2);
      tags.push(readVlanTag(buf, off, type));
      type = (buf[off + 2]! << 8) | buf[off + 3]!;
      off += 4;
    } while (isVlanTpid(type));
    vlans = tags;
  }
  return { dst: macToString(buf, 0), src: macToString(buf, 6), vlans, ethertype: type, payloadOffset: off };
}

export interface EthernetFields {
  readonly dst: string;
  readonly src: string;
  /** Outermost first. */
  readonly vlans?: readonly VlanTagInput[];
  readonly ethertype: number;
  readonly payload?: Uint8Array;
}

/** A whole frame without FCS, zero-padded to 60 bytes. */
export function buildEthernet(f: EthernetFields): Buffer {
  const dst = macBytes('ethernet', 'dst', f.dst);
  const src = macBytes('ethernet', 'src', f.src);
  const ethertype = uint('ethernet', 'ethertype', f.ethertype, 16);
  if (isVlanTpid(ethertype)) {
    throw new PacketBuildError('ethernet', 'ethertype', 'is a VLAN TPID; pass the tags in `vlans` and the inner type here');
  }
  const vlans = f.vlans ?? NO_VLANS;
  const payload = f.payload ?? Buffer.alloc(0);
  const headerLength = ETHERNET_HEADER_LENGTH + 4 * vlans.length;
  // Buffer.alloc, not allocUnsafe: the padding must be zeros, never old heap bytes.
  const out = Buffer.alloc(Math.max(MIN_FRAME_LENGTH, headerLength + payload.length));
  dst.copy(out, 0);
  src.copy(out, 6);
  const off = writeVlanTags(out, 12, vlans);
  out.writeUInt16BE(ethertype, off);
  out.set(payload, off + 2);
  return out;
}
