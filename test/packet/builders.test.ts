// Builders: decode(build(x)) gives x back; bad input is refused with a
// PacketBuildError naming the field; and tshark, which we did not write,
// finds every checksum in what we build correct.
import t from 'tap';
import {
  ARP_REPLY,
  ARP_REQUEST,
  DHCP_ACK,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ETHERTYPE_LLDP,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV4_FLAG_DF,
  LLDP_MULTICAST,
  MIN_FRAME_LENGTH,
  NDP_HOP_LIMIT,
  PacketBuildError,
  TCP_ACK,
  TCP_SYN,
  TPID_8021AD,
  arpReply,
  buildArp,
  buildDhcp,
  buildEthernet,
  buildIcmp,
  buildIcmpEcho,
  buildIcmpv6Echo,
  buildIcmpv6NeighborAdvert,
  buildIcmpv6NeighborSolicit,
  buildIcmpv6RouterAdvert,
  buildIcmpv6RouterSolicit,
  buildIpv4,
  buildIpv6,
  buildLldp,
  buildTcp,
  buildUdp,
  decodePacket,
  ipv6MulticastMac,
  lldpIdBytes,
  solicitedNodeMulticast,
  tcpFlagNames,
  type DecodedPacket,
  type LldpFields,
} from '../../src/packet/index.js';
import { isUnavailable, tsharkFields } from './tshark.js';
import { missingTool } from '../helpers/ovs.js';

const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';

function v4Frame(protocol: number, payload: Buffer, extra: { vlans?: { vid: number; tpid?: number }[] } = {}): Buffer {
  return buildEthernet({ dst: B, src: A, ...extra, ethertype: ETHERTYPE_IPV4, payload: buildIpv4({ src: '10.1.1.1', dst: '10.1.1.2', protocol, id: 7, flags: IPV4_FLAG_DF, payload }) });
}
function v6Frame(nextHeader: number, payload: Buffer, src = '2001:db8::a', dst = '2001:db8::b', hopLimit = 64): Buffer {
  return buildEthernet({ dst: B, src: A, ethertype: ETHERTYPE_IPV6, payload: buildIpv6({ src, dst, nextHeader, hopLimit, payload }) });
}

const lldpVariants: LldpFields[] = [
  { chassisId: { subtype: 7, value: 'dpid:00000000000000ff' }, portId: { subtype: 2, value: '42' }, ttl: 120, tlvs: [{ type: 'system_name', value: 'sw-ünïcode' }] },
  { chassisId: { subtype: 4, value: '02:00:00:00:00:0a' }, portId: { subtype: 7, value: 'eth0' }, ttl: 0 },
  { chassisId: { subtype: 5, value: '192.0.2.1' }, portId: { subtype: 4, value: '2001:db8::1' }, ttl: 65535 },
  {
    chassisId: { subtype: 1, value: 'chassis' },
    portId: { subtype: 6, value: '0a0b0c' }, // agent circuit id: binary
    ttl: 30,
    tlvs: [
      { type: 'port_description', value: '' },
      { type: 'system_description', value: 'Switchyard test' },
      { type: 'org_specific', oui: '00:80:c2', subtype: 1, data: '0064' },
      { type: 'org_specific', oui: 'ac:de:48', subtype: 0, data: '' },
      { type: 'tlv', code: 9, data: 'cafe' },
    ],
  },
];

/** Frames built only with our builders, covering each one. */
function builtFrames(): Record<string, Buffer> {
  return {
    arpRequest: buildEthernet({ dst: 'ff:ff:ff:ff:ff:ff', src: A, ethertype: ETHERTYPE_ARP, payload: buildArp({ op: ARP_REQUEST, sha: A, spa: '10.1.1.1', tpa: '10.1.1.2' }) }),
    icmpEcho: v4Frame(IPPROTO_ICMP, buildIcmpEcho({ identifier: 0xbeef, sequence: 9, data: Buffer.from('0123456789abcdefg') })),
    icmpReplyTagged: v4Frame(IPPROTO_ICMP, buildIcmpEcho({ reply: true, identifier: 1, sequence: 2 }), { vlans: [{ tpid: TPID_8021AD, vid: 4094 }, { vid: 1 }] }),
    icmpUnreachable: v4Frame(IPPROTO_ICMP, buildIcmp({ type: 3, code: 1, payload: buildIpv4({ src: '10.1.1.2', dst: '10.9.9.9', protocol: 17, payload: buildUdp({ src: '10.1.1.2', dst: '10.9.9.9', srcPort: 5, dstPort: 6 }) }) })),
    udp4: v4Frame(IPPROTO_UDP, buildUdp({ src: '10.1.1.1', dst: '10.1.1.2', srcPort: 1234, dstPort: 7, payload: Buffer.from('odd') })),
    tcp4: v4Frame(IPPROTO_TCP, buildTcp({ src: '10.1.1.1', dst: '10.1.1.2', srcPort: 40000, dstPort: 80, seq: 0xfffffff0, ack: 0, flags: ['syn'], window: 29200, options: '020405b4' })),
    tcp4Data: v4Frame(IPPROTO_TCP, buildTcp({ src: '10.1.1.1', dst: '10.1.1.2', srcPort: 40000, dstPort: 7, seq: 1, ack: 2, flags: TCP_ACK | 0x08, payload: Buffer.from('GET / HTTP/1.0\r\n\r\n') })),
    udp6: v6Frame(IPPROTO_UDP, buildUdp({ src: '2001:db8::a', dst: '2001:db8::b', srcPort: 546, dstPort: 7, payload: Buffer.from('x') })),
    tcp6: v6Frame(IPPROTO_TCP, buildTcp({ src: '2001:db8::a', dst: '2001:db8::b', srcPort: 1, dstPort: 22, seq: 5, flags: TCP_SYN, options: '0204058c01' })),
    icmpv6Echo: v6Frame(IPPROTO_ICMPV6, buildIcmpv6Echo({ src: '2001:db8::a', dst: '2001:db8::b', identifier: 3, sequence: 4, data: 'abcdef' })),
    neighborSolicit: v6Frame(IPPROTO_ICMPV6, buildIcmpv6NeighborSolicit({ src: 'fe80::a', target: 'fe80::b', sourceLinkLayerAddress: A }), 'fe80::a', solicitedNodeMulticast('fe80::b')!, NDP_HOP_LIMIT),
    neighborAdvert: v6Frame(IPPROTO_ICMPV6, buildIcmpv6NeighborAdvert({ src: 'fe80::b', dst: 'fe80::a', target: 'fe80::b', router: true, solicited: true, override: false, targetLinkLayerAddress: B }), 'fe80::b', 'fe80::a', NDP_HOP_LIMIT),
    routerSolicit: v6Frame(IPPROTO_ICMPV6, buildIcmpv6RouterSolicit({ src: 'fe80::a', sourceLinkLayerAddress: A }), 'fe80::a', 'ff02::2', NDP_HOP_LIMIT),
    routerAdvert: v6Frame(IPPROTO_ICMPV6, buildIcmpv6RouterAdvert({ src: 'fe80::1', routerLifetime: 0, options: [{ type: 'prefix_information', prefixLength: 48, onLink: false, autonomous: true, validLifetime: 0xffffffff, preferredLifetime: 0xffffffff, prefix: '2001:db8::' }] }), 'fe80::1', 'ff02::1', NDP_HOP_LIMIT),
    dhcpAck: v4Frame(IPPROTO_UDP, buildUdp({ src: '10.1.1.1', dst: '10.1.1.2', srcPort: 67, dstPort: 68, payload: buildDhcp({ xid: 1, chaddr: B, yiaddr: '10.1.1.2', options: [{ type: 'message_type', value: DHCP_ACK }, { type: 'server_id', value: '10.1.1.1' }, { type: 'lease_time', value: 3600 }, { type: 'hostname', value: 'b' }] }) })),
    ...Object.fromEntries(lldpVariants.map((l, i) => [`lldp${i}`, buildEthernet({ dst: LLDP_MULTICAST, src: A, ethertype: ETHERTYPE_LLDP, payload: buildLldp(l) })])),
  };
}

t.test('tshark finds every checksum we build correct', async (t) => {
  const frames = builtFrames();
  const fields = ['frame.protocols', '_ws.malformed', 'ip.checksum.status', 'tcp.checksum.status', 'udp.checksum.status', 'icmp.checksum.status', 'icmpv6.checksum.status', 'lldp.chassis.subtype', 'lldp.port.subtype', 'dhcp.option.dhcp'];
  const r = await tsharkFields(Object.values(frames), fields);
  if (isUnavailable(r)) return void missingTool(r, t);
  const names = Object.keys(frames);
  let statuses = 0;
  r.forEach((rec, i) => {
    const name = names[i]!;
    t.equal(rec['_ws.malformed'], undefined, `${name}: not malformed (${rec['frame.protocols']})`);
    for (const k of Object.keys(rec)) {
      if (!k.endsWith('checksum.status')) continue;
      // The quoted datagram in an ICMP error has its own (valid) checksums: all must be good.
      for (const s of rec[k]!.split(/[|,]/)) t.equal(s, '1', `${name}: ${k}`);
      statuses++;
    }
  });
  t.ok(statuses >= 20, `${statuses} checksums checked`);
  t.match(r[names.indexOf('dhcpAck')], { 'dhcp.option.dhcp': '5' });
  t.match(r[names.indexOf('lldp2')], { 'lldp.chassis.subtype': '5', 'lldp.port.subtype': '4' });
});

t.test('decode(build(x)) gives x back', async (t) => {
  const f = builtFrames();
  const d = (name: string): DecodedPacket => {
    const out = decodePacket(f[name]!, { checksums: true });
    t.equal(out.error, undefined, `${name}: no error`);
    return out;
  };
  t.equal(f.arpRequest!.length, MIN_FRAME_LENGTH, 'short frames are padded to 60');
  t.ok(f.arpRequest!.subarray(42).every((b) => b === 0), 'with zeros');
  t.match(d('arpRequest'), { eth: { dst: 'ff:ff:ff:ff:ff:ff', src: A, ethertype: ETHERTYPE_ARP }, arp: { op: ARP_REQUEST, sha: A, spa: '10.1.1.1', tha: '00:00:00:00:00:00', tpa: '10.1.1.2' } });
  t.match(d('icmpEcho'), { ipv4: { src: '10.1.1.1', dst: '10.1.1.2', protocol: 1, identification: 7, flags: IPV4_FLAG_DF, ttl: 64, checksumOk: true }, icmp: { type: 8, identifier: 0xbeef, sequence: 9, checksumOk: true }, payload: Buffer.from('0123456789abcdefg').toString('hex') });
  t.match(d('icmpReplyTagged'), { vlans: [{ tpid: TPID_8021AD, vid: 4094, pcp: 0, dei: false }, { tpid: 0x8100, vid: 1 }], icmp: { type: 0, identifier: 1, sequence: 2 } });
  t.match(d('icmpUnreachable'), { icmp: { type: 3, code: 1, rest: 0, checksumOk: true } });
  t.match(d('udp4'), { udp: { srcPort: 1234, dstPort: 7, length: 11, checksumOk: true }, payload: Buffer.from('odd').toString('hex') });
  const syn = d('tcp4');
  t.match(syn, { tcp: { srcPort: 40000, dstPort: 80, seq: 0xfffffff0, ack: 0, dataOffset: 6, flags: TCP_SYN, window: 29200, options: '020405b4', checksumOk: true } });
  t.same(tcpFlagNames(syn.tcp!.flags), ['syn']);
  const data = d('tcp4Data');
  t.same(tcpFlagNames(data.tcp!.flags), ['psh', 'ack']);
  t.equal(Buffer.from(data.payload!, 'hex').toString(), 'GET / HTTP/1.0\r\n\r\n');
  t.match(d('udp6'), { ipv6: { src: '2001:db8::a', dst: '2001:db8::b', nextHeader: 17, protocol: 17, hopLimit: 64 }, udp: { srcPort: 546, checksumOk: true } });
  t.match(d('tcp6'), { tcp: { dstPort: 22, dataOffset: 7, options: '0204058c01000000', checksumOk: true } });
  t.match(d('icmpv6Echo'), { icmpv6: { type: 128, identifier: 3, sequence: 4, checksumOk: true }, payload: 'abcdef' });
  t.match(d('neighborSolicit'), { ipv6: { dst: 'ff02::1:ff00:b', hopLimit: 255 }, icmpv6: { type: 135, targetAddress: 'fe80::b', sourceLinkLayerAddress: A, checksumOk: true } });
  t.match(d('neighborAdvert'), { icmpv6: { type: 136, targetAddress: 'fe80::b', router: true, solicited: true, override: false, targetLinkLayerAddress: B, checksumOk: true } });
  t.match(d('routerSolicit'), { icmpv6: { type: 133, sourceLinkLayerAddress: A, checksumOk: true } });
  t.match(d('routerAdvert'), { icmpv6: { type: 134, curHopLimit: 64, managed: false, routerLifetime: 0, options: [{ type: 'prefix_information', prefixLength: 48, onLink: false, autonomous: true, validLifetime: 0xffffffff, prefix: '2001:db8::' }] } });
  t.match(d('dhcpAck'), { dhcp: { op: 2, chaddr: B, yiaddr: '10.1.1.2', messageType: DHCP_ACK, serverId: '10.1.1.1', leaseTime: 3600, hostname: 'b' } });
  lldpVariants.forEach((l, i) => {
    const got = d(`lldp${i}`).lldp!;
    t.match(got.chassisId, l.chassisId, `lldp${i} chassis id`);
    t.match(got.portId, l.portId, `lldp${i} port id`);
    t.equal(got.ttl, l.ttl);
    t.same(got.tlvs, (l.tlvs ?? []).map((x) => ('data' in x && typeof x.data !== 'string' ? { ...x, data: Buffer.from(x.data).toString('hex') } : x)), `lldp${i} TLVs`);
  });
  t.same(d('lldp2').lldp!.chassisId, { subtype: 5, value: '192.0.2.1', format: 'ipv4' });
  t.same(d('lldp2').lldp!.portId, { subtype: 4, value: '2001:db8::1', format: 'ipv6' });
  t.same(d('lldp3').lldp!.portId, { subtype: 6, value: '0a0b0c', format: 'hex' });
  t.equal(d('lldp0').lldp!.systemName, 'sw-ünïcode');

  // A binary port number (as Ryu sends it) may be valid UTF-8: decoded as
  // text or hex, lldpIdBytes gives back the same 4 bytes.
  const binaryPort = decodePacket(buildEthernet({
    dst: LLDP_MULTICAST, src: A, ethertype: ETHERTYPE_LLDP,
    payload: buildLldp({ chassisId: { subtype: 7, value: 'dpid:1' }, portId: { subtype: 2, value: '00000003', format: 'hex' }, ttl: 120 }),
  })).lldp!;
  t.equal(binaryPort.portId.format, 'text');
  t.same(lldpIdBytes(binaryPort.portId, 'port'), Buffer.from([0, 0, 0, 3]));
  t.same(lldpIdBytes({ subtype: 2, value: 'ff000003', format: 'hex' }, 'port'), Buffer.from([0xff, 0, 0, 3]));
  t.same(lldpIdBytes(d('lldp1').lldp!.chassisId, 'chassis'), Buffer.from('02000000000a', 'hex'));
  t.same(lldpIdBytes(d('lldp2').lldp!.chassisId, 'chassis'), Buffer.from('01c0000201', 'hex'), 'IANA family + address');
});

t.test('arpReply', async (t) => {
  const request = decodePacket(buildEthernet({
    dst: 'ff:ff:ff:ff:ff:ff', src: A, vlans: [{ vid: 30, pcp: 2 }], ethertype: ETHERTYPE_ARP,
    payload: buildArp({ op: ARP_REQUEST, sha: A, spa: '10.1.1.1', tpa: '10.1.1.254' }),
  }));
  const reply = decodePacket(arpReply(request, '02:00:00:00:00:fe'));
  t.same(reply.eth, { dst: A, src: '02:00:00:00:00:fe', ethertype: ETHERTYPE_ARP });
  t.same(reply.vlans, request.vlans, 'answered on the same VLAN');
  t.match(reply.arp, { op: ARP_REPLY, sha: '02:00:00:00:00:fe', spa: '10.1.1.254', tha: A, tpa: '10.1.1.1' });
  t.equal(decodePacket(arpReply(request.arp!, B)).vlans.length, 0, 'from the ARP layer alone: untagged');
  t.throws(() => arpReply(reply, B), PacketBuildError, 'a reply has no reply');
  t.throws(() => arpReply(decodePacket(builtFrames().udp4!), B), PacketBuildError, 'not ARP');
});

t.test('ipv6MulticastMac for frames we send to a group', async (t) => {
  t.equal(ipv6MulticastMac(solicitedNodeMulticast('fe80::b')!), '33:33:ff:00:00:0b');
});

t.test('bad builder input is refused, naming the field', async (t) => {
  const cases: [string, () => unknown, RegExp][] = [
    ['mac', () => buildEthernet({ dst: 'ff:ff:ff:ff:ff', src: A, ethertype: 0x0800 }), /ethernet\.dst/],
    ['ethertype range', () => buildEthernet({ dst: B, src: A, ethertype: 0x10000 }), /ethernet\.ethertype/],
    ['ethertype is a tag', () => buildEthernet({ dst: B, src: A, ethertype: 0x8100 }), /vlans/],
    ['vid', () => buildEthernet({ dst: B, src: A, ethertype: 0x0800, vlans: [{ vid: 4096 }] }), /vlan\.vid/],
    ['tpid', () => buildEthernet({ dst: B, src: A, ethertype: 0x0800, vlans: [{ vid: 1, tpid: 0x9100 }] }), /vlan\.tpid/],
    ['pcp', () => buildEthernet({ dst: B, src: A, ethertype: 0x0800, vlans: [{ vid: 1, pcp: 8 }] }), /vlan\.pcp/],
    ['arp ip', () => buildArp({ op: 1, sha: A, spa: '10.1.1', tpa: '10.1.1.2' }), /arp\.spa/],
    ['ipv4 ttl', () => buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', protocol: 6, ttl: 256, payload: Buffer.alloc(0) }), /ipv4\.ttl/],
    ['ipv4 options', () => buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', protocol: 6, options: Buffer.alloc(41), payload: Buffer.alloc(0) }), /ipv4\.options/],
    ['ipv4 hex', () => buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', protocol: 6, options: 'zz', payload: Buffer.alloc(0) }), /ipv4\.options/],
    ['ipv6 address', () => buildIpv6({ src: '1.1.1.1', dst: '::1', nextHeader: 17, payload: Buffer.alloc(0) }), /ipv6\.src/],
    ['flow label', () => buildIpv6({ src: '::1', dst: '::1', nextHeader: 17, flowLabel: 0x100000, payload: Buffer.alloc(0) }), /ipv6\.flowLabel/],
    ['udp mixed versions', () => buildUdp({ src: '10.0.0.1', dst: '::1', srcPort: 1, dstPort: 2 }), /udp\.dst/],
    ['udp port', () => buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: -1, dstPort: 2 }), /udp\.srcPort/],
    ['tcp flag name', () => buildTcp({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1, dstPort: 2, flags: ['syn', 'toString' as 'syn'] }), /tcp\.flags/],
    ['tcp seq', () => buildTcp({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1, dstPort: 2, seq: 2 ** 32 }), /tcp\.seq/],
    ['icmp id', () => buildIcmpEcho({ identifier: 65536, sequence: 0 }), /icmp\.identifier/],
    ['ndp option size', () => buildIcmpv6RouterSolicit({ src: 'fe80::1', options: [{ type: 'option', code: 99, data: 'aa' }] }), /icmpv6\.option\.data/],
    ['prefix length', () => buildIcmpv6RouterAdvert({ src: 'fe80::1', routerLifetime: 0, options: [{ type: 'prefix_information', prefixLength: 129, onLink: true, autonomous: true, validLifetime: 0, preferredLifetime: 0, prefix: '::' }] }), /prefixLength/],
    ['lldp empty id', () => buildLldp({ chassisId: { subtype: 7, value: '' }, portId: { subtype: 7, value: 'p' }, ttl: 1 }), /lldp\.chassisId/],
    ['lldp mac id', () => buildLldp({ chassisId: { subtype: 4, value: 'not a mac' }, portId: { subtype: 7, value: 'p' }, ttl: 1 }), /lldp\.chassisId/],
    ['lldp ip format', () => buildLldp({ chassisId: { subtype: 5, value: '::1', format: 'ipv4' }, portId: { subtype: 7, value: 'p' }, ttl: 1 }), /lldp\.chassisId/],
    ['lldp oui', () => buildLldp({ chassisId: { subtype: 7, value: 'c' }, portId: { subtype: 7, value: 'p' }, ttl: 1, tlvs: [{ type: 'org_specific', oui: '0080c2', subtype: 1, data: '' }] }), /lldp\.oui/],
    ['lldp long tlv', () => buildLldp({ chassisId: { subtype: 7, value: 'c' }, portId: { subtype: 7, value: 'p' }, ttl: 1, tlvs: [{ type: 'system_description', value: 'x'.repeat(512) }] }), /lldp\.system_description/],
    ['lldp mandatory as optional', () => buildLldp({ chassisId: { subtype: 7, value: 'c' }, portId: { subtype: 7, value: 'p' }, ttl: 1, tlvs: [{ type: 'tlv', code: 3, data: '0001' }] }), /lldp\.tlv\.code/],
    ['dhcp address', () => buildDhcp({ xid: 1, chaddr: A, options: [{ type: 'router', value: ['10.0.0.256'] }] }), /dhcp\.router/],
    ['dhcp end code', () => buildDhcp({ xid: 1, chaddr: A, options: [{ type: 'option', code: 255, data: '' }] }), /dhcp\.option\.code/],
    ['dhcp sname', () => buildDhcp({ xid: 1, chaddr: A, sname: 'x'.repeat(64), options: [] }), /dhcp\.sname/],
    ['dhcp chaddr', () => buildDhcp({ xid: 1, chaddr: '00'.repeat(17), options: [] }), /dhcp\.chaddr/],
  ];
  for (const [name, fn, re] of cases) {
    try {
      fn();
      t.fail(`${name}: accepted`);
    } catch (e) {
      t.ok(e instanceof PacketBuildError, `${name}: PacketBuildError`);
      t.match((e as Error).message, re, name);
    }
  }
});

t.test('builder defaults', async (t) => {
  const ip = decodePacket(buildEthernet({ dst: B, src: A, ethertype: ETHERTYPE_IPV4, payload: buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', protocol: 253, payload: Buffer.from([1]) }) }));
  t.match(ip.ipv4, { ttl: 64, identification: 0, flags: 0, dscp: 0, ecn: 0, ihl: 5 });
  const tcp = decodePacket(v4Frame(IPPROTO_TCP, buildTcp({ src: '10.1.1.1', dst: '10.1.1.2', srcPort: 1, dstPort: 2 })));
  t.match(tcp.tcp, { seq: 0, ack: 0, flags: 0, window: 65535, urgentPointer: 0, dataOffset: 5 });
  const dhcp = buildDhcp({ xid: 2, chaddr: A, options: [{ type: 'message_type', value: 1 }] });
  t.equal(dhcp.length, 300, 'BOOTP minimum size');
  t.equal(dhcp[0], 1, 'a DISCOVER is a BOOTREQUEST');
  t.equal(buildDhcp({ xid: 2, chaddr: A, options: [{ type: 'message_type', value: 5 }] })[0], 2, 'an ACK is a BOOTREPLY');
  const ns = decodePacket(v6Frame(IPPROTO_ICMPV6, buildIcmpv6NeighborSolicit({ src: 'fe80::a', target: 'fe80::1234:5678' }), 'fe80::a', 'ff02::1:ff34:5678', 255), { checksums: true });
  t.match(ns.icmpv6, { checksumOk: true }, 'NS default destination is the solicited-node group');
});
