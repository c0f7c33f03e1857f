// What one frame says about the host that sent it: its MAC and VLAN, and the
// addresses it shows it owns. Only addresses a host asserts for itself
// count; addresses it merely talks to or asks about do not.

import {
  decodePacket,
  isMulticast,
  ZERO_MAC,
  ARP_REQUEST,
  ETHERTYPE_LLDP,
  ICMPV6_NEIGHBOR_ADVERT,
  ICMPV6_NEIGHBOR_SOLICIT,
  BOOTREQUEST,
  BOOTREPLY,
  DHCP_REQUEST,
  DHCP_ACK,
  parseMac,
  macToString,
  parseIpAddress,
  ipv4ToString,
  ipv6ToString,
} from '../../packet/index.js';

export interface Sighting {
  /** Lowercase with colons. */
  readonly mac: string;
  /** The outer VLAN id; null when untagged or priority-tagged (VID 0). */
  readonly vlan: number | null;
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
  /** A DHCP server's ACK: `ip` was leased to the client `mac` (not to the sender). */
  readonly assigned?: { readonly mac: string; readonly ip: string };
  /** An ARP request's target: an address someone is looking for (not the sender's). */
  readonly arpTarget?: string;
}

/** Undefined when the frame must not teach us a host: unparsable, a group or zero source MAC, or LLDP. */
export function sightingOf(frame: Buffer): Sighting | undefined {
  const p = decodePacket(frame);
  const eth = p.eth;
  if (!eth || isMulticast(eth.src) || eth.src === ZERO_MAC || eth.ethertype === ETHERTYPE_LLDP) return undefined;
  const vid = p.vlans[0]?.vid;
  const ipv4: string[] = [];
  const ipv6: string[] = [];
  let assigned: Sighting['assigned'];
  let arpTarget: string | undefined;

  // ARP sender address: a host announcing or resolving with its own IP (0.0.0.0 in an ARP probe).
  // That covers replies too: a reply's sender address is the answering host's own.
  if (p.arp && usableIpv4(p.arp.spa)) ipv4.push(p.arp.spa);
  if (p.arp?.op === ARP_REQUEST && usableIpv4(p.arp.tpa) && p.arp.tpa !== p.arp.spa) arpTarget = p.arp.tpa;
  if (p.ipv4 && usableIpv4(p.ipv4.src)) ipv4.push(p.ipv4.src);
  if (p.dhcp) {
    const d = p.dhcp;
    if (d.op === BOOTREQUEST && d.chaddr === eth.src) {
      // A client asking for (or renewing) its lease names the address it will use.
      if (d.messageType === DHCP_REQUEST && d.requestedIp !== undefined && usableIpv4(d.requestedIp)) ipv4.push(d.requestedIp);
      if (usableIpv4(d.ciaddr)) ipv4.push(d.ciaddr);
    } else if (d.op === BOOTREPLY && d.messageType === DHCP_ACK && usableIpv4(d.yiaddr) && parseMac(d.chaddr)) {
      assigned = { mac: d.chaddr, ip: d.yiaddr };
    }
  }

  if (p.ipv6 && usableIpv6(p.ipv6.src)) ipv6.push(p.ipv6.src);
  const nd = p.icmpv6;
  if (nd?.targetAddress !== undefined && usableIpv6(nd.targetAddress)) {
    // An NA's target is the sender's own address. An NS's target is the
    // address being resolved (someone else's), except in duplicate address
    // detection (source ::), where it is the sender's tentative address.
    if (nd.type === ICMPV6_NEIGHBOR_ADVERT || (nd.type === ICMPV6_NEIGHBOR_SOLICIT && p.ipv6?.src === '::')) ipv6.push(nd.targetAddress);
  }

  return { mac: eth.src, vlan: vid === undefined || vid === 0 ? null : vid, ipv4: dedupe(ipv4), ipv6: dedupe(ipv6), ...(assigned && { assigned }), ...(arpTarget !== undefined && { arpTarget }) };
}

/** Unicast addresses a host can own: not unspecified, broadcast, multicast, class E or loopback. */
export function usableIpv4(ip: string): boolean {
  const first = Number(ip.slice(0, ip.indexOf('.')));
  return ip !== '0.0.0.0' && first !== 127 && first < 224 && first !== 0;
}

/** Not unspecified, loopback or multicast (ff00::/8). */
export function usableIpv6(ip: string): boolean {
  return ip !== '::' && ip !== '::1' && !ip.startsWith('ff');
}

/** A MAC in the form records use, or undefined when it is not a MAC. */
export function normalizeMac(mac: string): string | undefined {
  const b = parseMac(mac);
  return b && macToString(b);
}

/** An IPv4 or IPv6 address in the form records use (IPv6 per RFC 5952), or undefined. */
export function normalizeIp(ip: string): string | undefined {
  const b = parseIpAddress(ip.trim().toLowerCase());
  return b && (b.length === 4 ? ipv4ToString(b) : ipv6ToString(b));
}

function dedupe(list: string[]): string[] {
  return list.length < 2 ? list : [...new Set(list)];
}
