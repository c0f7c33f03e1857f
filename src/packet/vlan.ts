// IEEE 802.1Q tags: a 2-byte TPID then a 2-byte TCI (PCP:3, DEI:1, VID:12).
// 0x8100 is a customer tag; 0x88a8 an 802.1ad service tag, the outer one of
// a Q-in-Q stack. Tags are listed outermost first, as they are on the wire.

import { PacketBuildError } from './errors.js';
import { uint } from './fields.js';

export const TPID_8021Q = 0x8100;
export const TPID_8021AD = 0x88a8;

export interface VlanTag {
  readonly tpid: number;
  readonly pcp: number;
  readonly dei: boolean;
  readonly vid: number;
}

export interface VlanTagInput {
  /** Default 0x8100. */
  readonly tpid?: number;
  readonly pcp?: number;
  readonly dei?: boolean;
  readonly vid: number;
}

/** Shared by every untagged frame, so the hot path allocates no array for them. */
export const NO_VLANS: readonly VlanTag[] = Object.freeze([]) as readonly VlanTag[];

export function isVlanTpid(ethertype: number): boolean {
  return ethertype === TPID_8021Q || ethertype === TPID_8021AD;
}

/** The TCI at `off` (the 2 bytes after the TPID). The caller has checked the length. */
export function readVlanTag(buf: Uint8Array, off: number, tpid: number): VlanTag {
  const tci = (buf[off]! << 8) | buf[off + 1]!;
  return { tpid, pcp: tci >> 13, dei: (tci & 0x1000) !== 0, vid: tci & 0x0fff };
}

/** Writes TPID+TCI for each tag at `off`; returns the offset after them. */
export function writeVlanTags(out: Buffer, off: number, tags: readonly VlanTagInput[]): number {
  for (const tag of tags) {
    const tpid = tag.tpid ?? TPID_8021Q;
    if (!isVlanTpid(tpid)) throw new PacketBuildError('vlan', 'tpid', `0x${tpid.toString(16)} is not 0x8100 or 0x88a8`);
    const pcp = uint('vlan', 'pcp', tag.pcp ?? 0, 3);
    const vid = uint('vlan', 'vid', tag.vid, 12);
    out.writeUInt16BE(tpid, off);
    out.writeUInt16BE((pcp << 13) | (tag.dei ? 0x1000 : 0) | vid, off + 2);
    off += 4;
  }
  return off;
}
