// decodePacket: a frame to plain, JSON-ready layers, for apps that need more
// than parseEthernet's dispatch fields. It never throws: it keeps every
// layer that parsed and names the first problem in `error`, which for a
// packet-in cut at miss_send_len is usually "truncated" with the headers
// that were captured still decoded.

import { PacketError, truncated } from './errors.js';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_LLDP, ETHERNET_HEADER_LENGTH, parseEthernet } from './ethernet.js';
import { parseArp, type ArpLayer } from './arp.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, IPV4_FLAG_MF, parseIpv4, type Ipv4Layer } from './ipv4.js';
import { IPV6_HEADER_LENGTH, parseIpv6, type Ipv6Layer } from './ipv6.js';
import { ICMP_HEADER_LENGTH, parseIcmp, type IcmpLayer } from './icmp.js';
import { parseIcmpv6, type Icmpv6Layer } from './icmpv6.js';
import { UDP_HEADER_LENGTH, parseUdp, udpChecksumOk, type UdpLayer } from './udp.js';
import { parseTcp, tcpChecksumOk, type TcpLayer } from './tcp.js';
import { parseLldp, type LldpLayer } from './lldp.js';
import { isDhcpPort, parseDhcp, type DhcpLayer } from './dhcp.js';
import { macToString } from './mac.js';
import { NO_VLANS, readVlanTag, type VlanTag } from './vlan.js';

export interface EthernetLayer {
  readonly dst: string;
  readonly src: string;
  /** The type after any VLAN tags. */
  readonly ethertype: number;
}

export interface DecodedPacket {
  /** Absent only when the frame is shorter than an Ethernet header. */
  readonly eth?: EthernetLayer;
  /** Outermost first. */
  readonly vlans: readonly VlanTag[];
  readonly arp?: ArpLayer;
  readonly ipv4?: Ipv4Layer;
  readonly ipv6?: Ipv6Layer;
  readonly icmp?: IcmpLayer;
  readonly icmpv6?: Icmpv6Layer;
  readonly udp?: UdpLayer;
  readonly tcp?: TcpLayer;
  readonly lldp?: LldpLayer;
  readonly dhcp?: DhcpLayer;
  /** Hex of the bytes after the last decoded header, up to the end the headers declare (Ethernet padding excluded). */
  readonly payload?: string;
  /** Where `payload` starts in the frame, to slice the bytes instead of re-parsing hex. */
  readonly payloadOffset?: number;
  /** The first problem met; the layers before it (and any after a short capture) are still present. */
  readonly error?: PacketError;
}

export interface DecodeOptions {
  /** Verify IPv4 header, ICMP, ICMPv6, UDP and TCP checksums into `checksumOk` fields. */
  readonly checksums?: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Out = Mutable<DecodedPacket>;

/** What an IP layer tells the layer above it. */
interface Carrier {
  /** Where the upper-layer message starts. */
  readonly start: number;
  /** Where the IP header says the datagram ends. */
  readonly declaredEnd: number;
  /** Where the captured bytes of it end (earlier when the capture was cut). */
  readonly end: number;
  /** A first fragment: the upper layer's length fields describe bytes not in this packet. */
  readonly fragment: boolean;
  /** The addresses for a pseudo-header; set only when checksums are to be verified. */
  readonly src: Uint8Array | undefined;
  readonly dst: Uint8Array | undefined;
}

// Layers are fresh objects from their parser and nothing else holds them
// yet, so adding a checksum verdict to one is safe.
function withVerdict<T extends { checksumOk?: boolean }>(layer: T, ok: boolean): void {
  (layer as { checksumOk?: boolean }).checksumOk = ok;
}

function fail(out: Out, e: PacketError): void {
  out.error ??= e;
}

function setPayload(out: Out, buf: Buffer, start: number, end: number): void {
  if (end > start) {
    out.payload = buf.toString('hex', start, end);
    out.payloadOffset = start;
  }
}

/** A bad VLAN tag still leaves the MACs and the tags before it worth reporting. */
function partialEthernet(out: Out, buf: Buffer, err: PacketError): void {
  if (buf.length < ETHERNET_HEADER_LENGTH) return;
  const tags: VlanTag[] = [];
  for (let p = ETHERNET_HEADER_LENGTH; p + 2 <= err.offset; p += 4) tags.push(readVlanTag(buf, p, buf.readUInt16BE(p - 2)));
  out.eth = { dst: macToString(buf, 0), src: macToString(buf, 6), ethertype: buf.readUInt16BE(err.offset) };
  out.vlans = tags;
}

function decodeUdp(out: Out, buf: Buffer, c: Carrier): void {
  const udp = parseUdp(buf, c.start, c.end);
  if (udp instanceof PacketError) return fail(out, udp);
  out.udp = udp;
  const udpEnd = c.start + udp.length;
  if (!c.fragment && udpEnd > c.declaredEnd) {
    const reason = `length ${udp.length} runs past the IP payload (${c.declaredEnd - c.start} bytes)`;
    return fail(out, new PacketError('udp', 'bad_length', c.start + 4, reason));
  }
  const whole = !c.fragment && udpEnd <= c.end;
  if (whole && c.src && c.dst) withVerdict(udp, udpChecksumOk(buf, c.start, udp.length, c.src, c.dst));
  const dataStart = c.start + UDP_HEADER_LENGTH;
  const dataEnd = Math.min(udpEnd, c.end);
  if (isDhcpPort(udp.srcPort) || isDhcpPort(udp.dstPort)) {
    const dhcp = parseDhcp(buf, dataStart, dataEnd, whole);
    if (dhcp instanceof PacketError) return fail(out, dhcp);
    out.dhcp = dhcp;
    return;
  }
  setPayload(out, buf, dataStart, dataEnd);
}

function decodeTcp(out: Out, buf: Buffer, c: Carrier): void {
  const tcp = parseTcp(buf, c.start, c.end);
  if (tcp instanceof PacketError) return fail(out, tcp);
  out.tcp = tcp;
  if (!c.fragment && c.declaredEnd === c.end && c.src && c.dst) withVerdict(tcp, tcpChecksumOk(buf, c.start, c.end, c.src, c.dst));
  setPayload(out, buf, c.start + tcp.dataOffset * 4, c.end);
}

function decodeIpv4(out: Out, buf: Buffer, off: number, verify: boolean): void {
  const ip = parseIpv4(buf, off, buf.length, verify);
  if (ip instanceof PacketError) return fail(out, ip);
  out.ipv4 = ip;
  const declaredEnd = off + ip.totalLength;
  const end = Math.min(declaredEnd, buf.length);
  if (declaredEnd > buf.length) {
    fail(out, new PacketError('ipv4', 'truncated', buf.length, `total length ${ip.totalLength}, ${buf.length - off} bytes captured`));
  }
  const start = off + ip.ihl * 4;
  // Later fragments hold the middle of a payload, with no header to read.
  if (ip.fragmentOffset !== 0) return setPayload(out, buf, start, end);
  const c: Carrier = {
    start,
    declaredEnd,
    end,
    fragment: (ip.flags & IPV4_FLAG_MF) !== 0,
    src: verify ? buf.subarray(off + 12, off + 16) : undefined,
    dst: verify ? buf.subarray(off + 16, off + 20) : undefined,
  };
  switch (ip.protocol) {
    case IPPROTO_ICMP: {
      const icmp = parseIcmp(buf, start, end, verify, !c.fragment && declaredEnd === end);
      if (icmp instanceof PacketError) return fail(out, icmp);
      out.icmp = icmp;
      return setPayload(out, buf, start + ICMP_HEADER_LENGTH, end);
    }
    case IPPROTO_UDP:
      return decodeUdp(out, buf, c);
    case IPPROTO_TCP:
      return decodeTcp(out, buf, c);
    default:
      return setPayload(out, buf, start, end);
  }
}

function decodeIpv6(out: Out, buf: Buffer, off: number, verify: boolean): void {
  const ip = parseIpv6(buf, off, buf.length);
  if (ip instanceof PacketError) return fail(out, ip);
  out.ipv6 = ip;
  const declaredEnd = off + IPV6_HEADER_LENGTH + ip.payloadLength;
  const end = Math.min(declaredEnd, buf.length);
  if (declaredEnd > buf.length) {
    const captured = buf.length - off - IPV6_HEADER_LENGTH;
    fail(out, new PacketError('ipv6', 'truncated', buf.length, `payload length ${ip.payloadLength}, ${captured} bytes captured`));
  }
  const start = ip.protocolOffset;
  const frag = ip.fragment;
  if (frag && frag.offset !== 0) return setPayload(out, buf, start, end);
  const c: Carrier = {
    start,
    declaredEnd,
    end,
    fragment: frag !== undefined && frag.more,
    // In transit through a routing header the checksum covers an address we
    // would have to dig out per routing type; give no verdict instead of a wrong one.
    src: verify && !ip.segmentsLeft ? buf.subarray(off + 8, off + 24) : undefined,
    dst: verify && !ip.segmentsLeft ? buf.subarray(off + 24, off + 40) : undefined,
  };
  switch (ip.protocol) {
    case IPPROTO_ICMPV6: {
      const whole = !c.fragment && declaredEnd === end;
      const icmp = parseIcmpv6(buf, start, end, whole, c.src && c.dst ? { src: c.src, dst: c.dst } : undefined);
      if (icmp instanceof PacketError) return fail(out, icmp);
      out.icmpv6 = icmp;
      // NDP options are the rest of the message; other types carry data after 8 bytes.
      return icmp.options ? undefined : setPayload(out, buf, start + 8, end);
    }
    case IPPROTO_UDP:
      return decodeUdp(out, buf, c);
    case IPPROTO_TCP:
      return decodeTcp(out, buf, c);
    default:
      return setPayload(out, buf, start, end);
  }
}

function decodeInto(out: Out, buf: Buffer, verify: boolean): void {
  const eth = parseEthernet(buf);
  if (eth instanceof PacketError) {
    partialEthernet(out, buf, eth);
    return fail(out, eth);
  }
  out.eth = { dst: eth.dst, src: eth.src, ethertype: eth.ethertype };
  out.vlans = eth.vlans;
  const off = eth.payloadOffset;
  switch (eth.ethertype) {
    case ETHERTYPE_ARP: {
      const arp = parseArp(buf, off, buf.length);
      if (arp instanceof PacketError) return fail(out, arp);
      out.arp = arp;
      return;
    }
    case ETHERTYPE_IPV4:
      return decodeIpv4(out, buf, off, verify);
    case ETHERTYPE_IPV6:
      return decodeIpv6(out, buf, off, verify);
    case ETHERTYPE_LLDP: {
      const lldp = parseLldp(buf, off, buf.length);
      if (lldp instanceof PacketError) return fail(out, lldp);
      out.lldp = lldp;
      return;
    }
    default:
      return setPayload(out, buf, off, buf.length);
  }
}

/** Accepts any Uint8Array (a Buffer view is made over it, nothing is copied). */
export function decodePacket(buf: Uint8Array, options?: DecodeOptions): DecodedPacket {
  const out: Out = { vlans: NO_VLANS };
  try {
    // Callers outside TypeScript can hand us anything.
    if (!(buf instanceof Uint8Array)) return { vlans: NO_VLANS, error: truncated('ethernet', 0, ETHERNET_HEADER_LENGTH, 0) };
    const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    decodeInto(out, b, options?.checksums === true);
  } catch (e) {
    // Only a bug gets here; report it like any bad packet rather than take down the caller.
    out.error = new PacketError('ethernet', 'internal', 0, e instanceof Error ? e.message : String(e));
  }
  return out;
}
