// ARP for IPv4 over Ethernet (RFC 826): htype 2, ptype 2, hlen 1, plen 1,
// op 2, sha 6, spa 4, tha 6, tpa 4 = 28 bytes. Only 6-byte hardware and
// 4-byte protocol addresses are decoded; nothing else is ARP an OpenFlow
// controller on Ethernet answers.

import { PacketBuildError, PacketError, truncated } from './errors.js';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, buildEthernet } from './ethernet.js';
import { ipv4Bytes, macBytes, uint } from './fields.js';
import { ipv4ToString } from './ip-address.js';
import { ZERO_MAC, macToString } from './mac.js';
import type { VlanTag } from './vlan.js';

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;
export const ARP_HTYPE_ETHERNET = 1;
export const ARP_LENGTH = 28;

export interface ArpLayer {
  readonly htype: number;
  readonly ptype: number;
  readonly hlen: number;
  readonly plen: number;
  readonly op: number;
  readonly sha: string;
  readonly spa: string;
  readonly tha: string;
  readonly tpa: string;
}

export function parseArp(buf: Buffer, off: number, end: number): ArpLayer | PacketError {
  if (end - off < 8) return truncated('arp', off, 8, end - off);
  const hlen = buf[off + 4]!;
  const plen = buf[off + 5]!;
  if (hlen !== 6 || plen !== 4) {
    const reason = `hlen ${hlen}/plen ${plen}: only 6-byte hardware and 4-byte protocol addresses are supported`;
    return new PacketError('arp', 'bad_value', off + 4, reason);
  }
  if (end - off < ARP_LENGTH) return truncated('arp', off, ARP_LENGTH, end - off);
  return {
    htype: buf.readUInt16BE(off),
    ptype: buf.readUInt16BE(off + 2),
    hlen,
    plen,
    op: buf.readUInt16BE(off + 6),
    sha: macToString(buf, off + 8),
    spa: ipv4ToString(buf, off + 14),
    tha: macToString(buf, off + 18),
    tpa: ipv4ToString(buf, off + 24),
  };
}

export interface ArpFields {
  readonly op: number;
  readonly sha: string;
  readonly spa: string;
  /** Default 00:00:00:00:00:00, what a request carries. */
  readonly tha?: string;
  readonly tpa: string;
}

/** The 28-byte ARP body (Ethernet, IPv4); wrap it with buildEthernet. */
export function buildArp(f: ArpFields): Buffer {
  const out = Buffer.alloc(ARP_LENGTH);
  out.writeUInt16BE(ARP_HTYPE_ETHERNET, 0);
  out.writeUInt16BE(ETHERTYPE_IPV4, 2);
  out[4] = 6;
  out[5] = 4;
  out.writeUInt16BE(uint('arp', 'op', f.op, 16), 6);
  macBytes('arp', 'sha', f.sha).copy(out, 8);
  ipv4Bytes('arp', 'spa', f.spa).copy(out, 14);
  macBytes('arp', 'tha', f.tha ?? ZERO_MAC).copy(out, 18);
  ipv4Bytes('arp', 'tpa', f.tpa).copy(out, 24);
  return out;
}

/**
 * The whole Ethernet frame answering `request` with "tpa is at `mac`",
 * sent back to the asker (same VLAN tags when a decoded packet is given).
 */
export function arpReply(request: ArpLayer | { readonly arp?: ArpLayer; readonly vlans?: readonly VlanTag[] }, mac: string): Buffer {
  const arp = 'op' in request ? request : request.arp;
  const vlans = 'op' in request ? undefined : request.vlans;
  if (!arp) throw new PacketBuildError('arp', 'request', 'the packet has no ARP layer');
  if (arp.op !== ARP_REQUEST) throw new PacketBuildError('arp', 'op', `is ${arp.op}; only a request (1) has a reply`);
  return buildEthernet({
    dst: arp.sha,
    src: mac,
    ...(vlans && vlans.length > 0 ? { vlans } : {}),
    ethertype: ETHERTYPE_ARP,
    payload: buildArp({ op: ARP_REPLY, sha: mac, spa: arp.tpa, tha: arp.sha, tpa: arp.spa }),
  });
}
