// Malformed, truncated and fragmented packets: decode keeps the layers that
// parsed and names the first problem with its layer, kind and frame offset.
import t from 'tap';
import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  IPPROTO_UDP,
  PacketError,
  buildEthernet,
  buildIpv4,
  buildIpv6,
  buildUdp,
  decodePacket,
  parseEthernet,
  type DecodedPacket,
} from '../../src/packet/index.js';
import { DHCP_DISCOVER, IPV6_EXTENSION_CHAIN, LLDP_FULL, QINQ_ICMP, ROUTER_ADVERT, VLAN_ARP, ALL_HAND_WRITTEN } from './hand-written.js';
import { captureBytes, captures, hex } from './helpers.js';

const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';

function err(d: DecodedPacket): Pick<PacketError, 'layer' | 'kind' | 'offset'> | undefined {
  return d.error && { layer: d.error.layer, kind: d.error.kind, offset: d.error.offset };
}

function patch(buf: Buffer, at: number, bytes: string): Buffer {
  const out = Buffer.from(buf);
  Buffer.from(bytes.replace(/\s+/g, ''), 'hex').copy(out, at);
  return out;
}

t.test('Ethernet and VLAN', async (t) => {
  const tiny = decodePacket(Buffer.from('ffffffffffff', 'hex'));
  t.same(err(tiny), { layer: 'ethernet', kind: 'truncated', offset: 0 });
  t.equal(tiny.eth, undefined);
  t.same(tiny.vlans, []);
  const e = parseEthernet(Buffer.alloc(13));
  t.ok(e instanceof PacketError);

  const cutTag = decodePacket(VLAN_ARP.subarray(0, 16));
  t.same(err(cutTag), { layer: 'vlan', kind: 'truncated', offset: 12 });
  t.same(cutTag.eth, { dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', ethertype: 0x8100 }, 'MACs still reported');
  const cutInner = decodePacket(QINQ_ICMP.subarray(0, 20));
  t.same(err(cutInner), { layer: 'vlan', kind: 'truncated', offset: 16 });
  t.same(cutInner.vlans, [{ tpid: 0x88a8, pcp: 0, dei: true, vid: 100 }], 'outer tag kept');

  const llc = decodePacket(hex('0180c2000000 020000000001 0026 424203000000'));
  t.equal(llc.eth?.ethertype, 0x26, '802.3 length field reported as is');
  t.equal(llc.payload, '424203000000');
  t.equal(llc.error, undefined);
});

t.test('a packet-in cut at miss_send_len keeps the headers it has', async (t) => {
  const d = decodePacket(DHCP_DISCOVER.subarray(0, 128), { checksums: true });
  t.same(err(d), { layer: 'ipv4', kind: 'truncated', offset: 128 });
  t.match(d.ipv4, { totalLength: 328, checksumOk: true });
  t.match(d.udp, { srcPort: 68, dstPort: 67, length: 308 });
  t.notOk('checksumOk' in (d.udp ?? {}), 'no checksum verdict on a partial datagram');
  t.equal(d.dhcp, undefined);

  const ping = captureBytes((f) => /^Echo \(ping\) request/.test(f.info) && f.tshark['ip.src'] !== undefined);
  const cut = decodePacket(ping.subarray(0, 60), { checksums: true });
  t.match(cut.icmp, { type: 8 });
  t.notOk('checksumOk' in (cut.icmp ?? {}));
  t.equal(cut.payloadOffset, 42);
  t.equal(cut.payload, ping.toString('hex', 42, 60));

  const ra = decodePacket(ROUTER_ADVERT.subarray(0, 100));
  t.same(err(ra), { layer: 'ipv6', kind: 'truncated', offset: 100 });
  t.equal(ra.icmpv6, undefined, 'an NDP option cut short: ICMPv6 not reported');

  const syn = captureBytes((f) => /\[SYN\]/.test(f.info));
  const cutOptions = decodePacket(syn.subarray(0, 60));
  t.same(err(cutOptions), { layer: 'ipv4', kind: 'truncated', offset: 60 }, 'first problem wins');
  t.equal(cutOptions.tcp, undefined, 'TCP header (40 bytes with options) incomplete');
});

t.test('IPv4 header problems', async (t) => {
  const plain = Buffer.concat([QINQ_ICMP.subarray(0, 12), QINQ_ICMP.subarray(20)]); // tags dropped
  t.equal(decodePacket(plain).icmp?.type, 8, 'untagged copy decodes');
  t.same(err(decodePacket(patch(plain, 14, '65'))), { layer: 'ipv4', kind: 'bad_value', offset: 14 }, 'version 6 in an IPv4 frame');
  t.same(err(decodePacket(patch(plain, 14, '44'))), { layer: 'ipv4', kind: 'bad_length', offset: 14 }, 'ihl 4');
  t.same(err(decodePacket(patch(plain, 14, '4f'))), { layer: 'ipv4', kind: 'truncated', offset: 14 }, 'ihl 15 past the frame');
  t.same(err(decodePacket(patch(plain, 16, '0013'))), { layer: 'ipv4', kind: 'bad_length', offset: 16 }, 'total length under the header');
  const badSum = decodePacket(patch(plain, 24, '0000'), { checksums: true });
  t.equal(badSum.ipv4?.checksumOk, false, 'a wrong header checksum is reported, not an error');
  t.equal(badSum.error, undefined);
});

function udp4(payloadLength: number, ipExtra: Partial<Parameters<typeof buildIpv4>[0]> = {}): Buffer {
  const udp = buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1000, dstPort: 2000, payload: Buffer.alloc(payloadLength, 0xab) });
  return buildEthernet({ dst: B, src: A, ethertype: ETHERTYPE_IPV4, payload: buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO_UDP, payload: udp, ...ipExtra }) });
}

t.test('UDP length and IPv4 fragments', async (t) => {
  const ok = udp4(20);
  t.equal(decodePacket(ok, { checksums: true }).udp?.checksumOk, true);
  const long = decodePacket(patch(ok, 38, '0040'));
  t.same(err(long), { layer: 'udp', kind: 'bad_length', offset: 38 });
  t.ok(long.udp, 'UDP header still reported');
  t.same(err(decodePacket(patch(ok, 38, '0007'))), { layer: 'udp', kind: 'bad_length', offset: 38 }, 'shorter than its header');
  const zeroSum = decodePacket(patch(ok, 40, '0000'), { checksums: true });
  t.equal(zeroSum.udp?.checksumOk, true, 'checksum 0 over IPv4 means none');

  // First fragment: the UDP length covers bytes in later fragments.
  const first = buildEthernet({
    dst: B, src: A, ethertype: ETHERTYPE_IPV4,
    payload: buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO_UDP, flags: 1, payload: buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1, dstPort: 2, payload: Buffer.alloc(100) }).subarray(0, 48) }),
  });
  const f1 = decodePacket(first, { checksums: true });
  t.equal(f1.error, undefined, 'first fragment is not an error');
  t.match(f1.udp, { srcPort: 1, length: 108 });
  t.notOk('checksumOk' in (f1.udp ?? {}));
  t.equal(f1.payload, '00'.repeat(40));

  const later = decodePacket(udp4(20, { fragmentOffset: 185 }));
  t.equal(later.udp, undefined, 'later fragments have no UDP header');
  t.equal(later.ipv4?.fragmentOffset, 185);
  t.equal(later.payloadOffset, 34);
});

t.test('IPv6 extension headers and fragments', async (t) => {
  const later = patch(IPV6_EXTENSION_CHAIN, 88, '0b91'); // fragment offset 370, M=1
  const d = decodePacket(later);
  t.equal(d.error, undefined);
  t.match(d.ipv6, { extensionHeaders: [0, 43, 44], protocol: 60, fragment: { offset: 370, more: true } });
  t.equal(d.udp, undefined);
  t.equal(d.payloadOffset, 94, 'everything after the fragment header is fragment data');

  const inTransit = decodePacket(patch(IPV6_EXTENSION_CHAIN, 65, '01'), { checksums: true });
  t.match(inTransit.ipv6, { segmentsLeft: 1 });
  t.ok(inTransit.udp);
  t.notOk('checksumOk' in (inTransit.udp ?? {}), 'no checksum verdict while segments are left');

  const short = patch(IPV6_EXTENSION_CHAIN, 18, '0010'); // payload length 16: routing header runs past it
  t.same(err(decodePacket(short)), { layer: 'ipv6', kind: 'bad_length', offset: 62 });
  t.same(err(decodePacket(IPV6_EXTENSION_CHAIN.subarray(0, 80))), { layer: 'ipv6', kind: 'truncated', offset: 62 });
  t.same(err(decodePacket(patch(IPV6_EXTENSION_CHAIN, 14, '40'))), { layer: 'ipv6', kind: 'bad_value', offset: 14 });

  const noNext = decodePacket(buildEthernet({ dst: B, src: A, ethertype: ETHERTYPE_IPV6, payload: buildIpv6({ src: '::1', dst: '::2', nextHeader: 59, payload: Buffer.alloc(0) }) }));
  t.match(noNext.ipv6, { protocol: 59, payloadLength: 0 });
  t.equal(noNext.error, undefined);
  t.equal(noNext.payload, undefined, 'padding is not payload');
});

t.test('ICMPv6, LLDP, DHCP, ARP, TCP problems', async (t) => {
  const zeroOpt = decodePacket(patch(ROUTER_ADVERT, 71, '00'), { checksums: true });
  t.same(err(zeroOpt), { layer: 'icmpv6', kind: 'bad_length', offset: 71 }, 'NDP option of length 0');
  t.ok(zeroOpt.ipv6);
  t.same(err(decodePacket(patch(ROUTER_ADVERT, 87, '05'))), { layer: 'icmpv6', kind: 'bad_length', offset: 87 }, 'option past the message end');

  t.same(err(decodePacket(patch(LLDP_FULL, 14, '04'))), { layer: 'lldp', kind: 'bad_value', offset: 14 }, 'port id first');
  t.same(err(decodePacket(LLDP_FULL.subarray(0, 40))), { layer: 'lldp', kind: 'truncated', offset: 38 });
  t.same(err(decodePacket(LLDP_FULL.subarray(0, 42))), { layer: 'lldp', kind: 'truncated', offset: 42 }, 'TTL missing');
  const noEnd = decodePacket(LLDP_FULL.subarray(0, LLDP_FULL.length - 2));
  t.equal(noEnd.error, undefined, 'End TLV missing at the end of the frame is accepted');
  t.equal(noEnd.lldp?.tlvs.length, 5);

  const dhcpOpt = decodePacket(patch(DHCP_DISCOVER, 286, '40'));
  t.same(err(dhcpOpt), { layer: 'dhcp', kind: 'bad_length', offset: 285 }, 'option length past the datagram');
  t.ok(dhcpOpt.udp);
  const shortBootp = udp4(10);
  const sb = decodePacket(patch(shortBootp, 34, '0043 0044'));
  t.same(err(sb), { layer: 'dhcp', kind: 'bad_length', offset: 42 }, 'port 67 but too short for BOOTP');
  const bootp = decodePacket(patch(DHCP_DISCOVER, 278, '00000000'));
  t.same(bootp.dhcp?.options, [], 'no magic cookie: plain BOOTP');

  t.same(err(decodePacket(patch(VLAN_ARP, 22, '08'))), { layer: 'arp', kind: 'bad_value', offset: 22 }, 'hlen 8');
  t.same(err(decodePacket(VLAN_ARP.subarray(0, 30))), { layer: 'arp', kind: 'truncated', offset: 18 });

  const syn = captureBytes((f) => /\[SYN\]/.test(f.info));
  t.same(err(decodePacket(patch(syn, 46, '40'))), { layer: 'tcp', kind: 'bad_length', offset: 46 }, 'data offset 4');
});

t.test('decoded packets survive JSON unchanged', async (t) => {
  const frames = [...captures().map((f) => Buffer.from(f.hex, 'hex')), ...Object.values(ALL_HAND_WRITTEN), DHCP_DISCOVER.subarray(0, 128), VLAN_ARP.subarray(0, 16)];
  for (const f of frames) {
    const d = decodePacket(f, { checksums: true });
    const back = JSON.parse(JSON.stringify(d)) as unknown;
    t.same(back, JSON.parse(JSON.stringify(back)), 'stable');
    t.same(back, { ...d, ...(d.error ? { error: { layer: d.error.layer, kind: d.error.kind, offset: d.error.offset, reason: d.error.reason } } : {}) });
  }
});
