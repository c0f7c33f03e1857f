// Hand-written frames (hand-written.ts): tshark confirms the fixtures say
// what their comments say; decode gives the expected layers; the builders
// produce the same bytes from plain field values.
import t from 'tap';
import {
  DHCP_DISCOVER as DISCOVER,
  DHCP_FLAG_BROADCAST,
  DHCP_OFFER as OFFER,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ETHERTYPE_LLDP,
  IPPROTO_HOPOPTS,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_UDP,
  LLDP_MULTICAST,
  NDP_HOP_LIMIT,
  TPID_8021AD,
  buildArp,
  buildDhcp,
  buildEthernet,
  buildIcmpEcho,
  buildIcmpv6RouterAdvert,
  buildIpv4,
  buildIpv6,
  buildLldp,
  buildUdp,
  decodePacket,
  parseEthernet,
  type DhcpOption,
  type LldpFields,
} from '../../src/packet/index.js';
import {
  ALL_HAND_WRITTEN,
  DHCP_DISCOVER,
  DHCP_OFFER,
  IGMP_ROUTER_ALERT,
  IPV6_EXTENSION_CHAIN,
  LLDP_FULL,
  LLDP_MAC,
  QINQ_ICMP,
  ROUTER_ADVERT,
  VLAN_ARP,
} from './hand-written.js';
import { bytesDiff } from './helpers.js';
import { isUnavailable, tsharkFields } from './tshark.js';
import { missingTool } from '../helpers/ovs.js';

t.test('tshark reads the hand-written frames as annotated', async (t) => {
  const frames = [VLAN_ARP, QINQ_ICMP, LLDP_FULL, LLDP_MAC, DHCP_DISCOVER, DHCP_OFFER, IGMP_ROUTER_ALERT, IPV6_EXTENSION_CHAIN, ROUTER_ADVERT];
  const fields = [
    'frame.protocols', '_ws.malformed',
    'ip.checksum.status', 'udp.checksum.status', 'icmp.checksum.status', 'icmpv6.checksum.status', 'igmp.checksum.status',
    'vlan.priority', 'vlan.dei', 'vlan.id', 'ieee8021ad.priority', 'ieee8021ad.dei', 'ieee8021ad.id', 'arp.dst.proto_ipv4',
    'lldp.chassis.subtype', 'lldp.chassis.id', 'lldp.chassis.id.mac', 'lldp.port.subtype', 'lldp.port.id', 'lldp.time_to_live',
    'lldp.port.desc', 'lldp.tlv.system.name', 'lldp.orgtlv.oui', 'lldp.ieee.802_1.port_vlan.id',
    'dhcp.option.dhcp', 'dhcp.hw.mac_addr', 'dhcp.option.requested_ip_address', 'dhcp.option.hostname', 'dhcp.option.dhcp_server_id',
    'dhcp.option.ip_address_lease_time', 'dhcp.option.domain_name_server', 'dhcp.ip.your',
    'ip.opt.type', 'igmp.maddr', 'ipv6.routing.segleft', 'ipv6.dstopts.nxt', 'udp.dstport',
    'icmpv6.nd.ra.router_lifetime', 'icmpv6.opt.mtu', 'icmpv6.opt.prefix', 'icmpv6.opt.src_linkaddr',
  ];
  const r = await tsharkFields(frames, fields);
  if (isUnavailable(r)) return void missingTool(r, t);
  const [vlanArp, qinq, lldp, lldpMac, discover, offer, igmp, chain, ra] = r as Record<string, string>[];
  for (const [i, rec] of r.entries()) {
    t.equal(rec['_ws.malformed'], undefined, `frame ${i} not malformed`);
    for (const k of Object.keys(rec)) if (k.endsWith('checksum.status')) t.equal(rec[k], '1', `frame ${i}: ${k} good`);
  }
  t.match(vlanArp, { 'frame.protocols': 'eth:ethertype:vlan:ethertype:arp', 'vlan.priority': '3', 'vlan.dei': '0', 'vlan.id': '10', 'arp.dst.proto_ipv4': '10.0.10.2' });
  t.match(qinq, { 'frame.protocols': 'eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:ip:icmp:data', 'ieee8021ad.dei': '1', 'ieee8021ad.id': '100', 'vlan.priority': '5', 'vlan.id': '20' });
  t.match(lldp, {
    'lldp.chassis.subtype': '7', 'lldp.chassis.id': Buffer.from('dpid:0000000000000001').toString('hex'), 'lldp.port.subtype': '2', 'lldp.port.id': '1',
    'lldp.time_to_live': '120', 'lldp.port.desc': 's1-eth1', 'lldp.tlv.system.name': 'switch-1', 'lldp.orgtlv.oui': String(0x0080c2), 'lldp.ieee.802_1.port_vlan.id': '1',
  });
  t.match(lldpMac, { 'lldp.chassis.subtype': '4', 'lldp.chassis.id.mac': '02:00:00:00:00:02', 'lldp.port.subtype': '7', 'lldp.port.id': 's1-eth2' });
  t.match(discover, { 'frame.protocols': 'eth:ethertype:ip:udp:dhcp', 'dhcp.option.dhcp': '1', 'dhcp.hw.mac_addr': '02:00:00:00:00:01', 'dhcp.option.requested_ip_address': '192.168.1.100', 'dhcp.option.hostname': 'host1' });
  t.match(offer, { 'dhcp.option.dhcp': '2', 'dhcp.ip.your': '192.168.1.100', 'dhcp.option.dhcp_server_id': '192.168.1.1', 'dhcp.option.ip_address_lease_time': '86400', 'dhcp.option.domain_name_server': '8.8.8.8|8.8.4.4' });
  t.match(igmp, { 'ip.opt.type': '148', 'igmp.maddr': '224.0.1.22' });
  t.match(chain, { 'frame.protocols': 'eth:ethertype:ipv6:ipv6.hopopts:ipv6.routing:ipv6.fraghdr:ipv6.dstopts:udp:echo', 'ipv6.routing.segleft': '0', 'ipv6.dstopts.nxt': '17', 'udp.dstport': '7' });
  t.match(ra, { 'icmpv6.nd.ra.router_lifetime': '1800', 'icmpv6.opt.mtu': '1400', 'icmpv6.opt.prefix': '2001:db8:1::', 'icmpv6.opt.src_linkaddr': '02:00:00:00:00:01' });
});

t.test('decode: VLAN tags', async (t) => {
  const single = decodePacket(VLAN_ARP);
  t.same(single.vlans, [{ tpid: 0x8100, pcp: 3, dei: false, vid: 10 }]);
  t.same(single.eth, { dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', ethertype: ETHERTYPE_ARP });
  t.same(single.arp, { htype: 1, ptype: 0x0800, hlen: 6, plen: 4, op: 1, sha: '02:00:00:00:00:01', spa: '10.0.10.1', tha: '00:00:00:00:00:00', tpa: '10.0.10.2' });
  t.equal(single.payload, undefined, 'ARP padding is not payload');
  const stacked = decodePacket(QINQ_ICMP, { checksums: true });
  t.same(stacked.vlans, [
    { tpid: 0x88a8, pcp: 0, dei: true, vid: 100 },
    { tpid: 0x8100, pcp: 5, dei: false, vid: 20 },
  ]);
  t.equal(stacked.eth?.ethertype, ETHERTYPE_IPV4);
  t.match(stacked.ipv4, { src: '10.0.0.1', dst: '10.0.0.2', totalLength: 32, identification: 0x0101, checksumOk: true });
  t.same(stacked.icmp, { type: 8, code: 0, checksum: 0x2104, identifier: 0x1234, sequence: 1, checksumOk: true });
  t.equal(stacked.payload, '61626364', 'payload ends at the IPv4 total length, not the Ethernet padding');
  t.equal(stacked.payloadOffset, 50);
  const fast = parseEthernet(QINQ_ICMP);
  t.same(fast, { dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', vlans: stacked.vlans, ethertype: ETHERTYPE_IPV4, payloadOffset: 22 });
});

t.test('decode: LLDP', async (t) => {
  const d = decodePacket(LLDP_FULL);
  t.equal(d.error, undefined);
  t.same(d.lldp, {
    chassisId: { subtype: 7, value: 'dpid:0000000000000001', format: 'text' },
    portId: { subtype: 2, value: '1', format: 'text' },
    ttl: 120,
    tlvs: [
      { type: 'port_description', value: 's1-eth1' },
      { type: 'system_name', value: 'switch-1' },
      { type: 'system_capabilities', capabilities: 0x14, enabled: 0x04 },
      { type: 'tlv', code: 8, data: '05010a000001020000000100' },
      { type: 'org_specific', oui: '00:80:c2', subtype: 1, data: '0001' },
    ],
    portDescription: 's1-eth1',
    systemName: 'switch-1',
  });
  t.same(decodePacket(LLDP_MAC).lldp, {
    chassisId: { subtype: 4, value: '02:00:00:00:00:02', format: 'mac' },
    portId: { subtype: 7, value: 's1-eth2', format: 'text' },
    ttl: 120,
    tlvs: [],
  });
});

t.test('decode: DHCP', async (t) => {
  const d = decodePacket(DHCP_DISCOVER, { checksums: true });
  t.equal(d.error, undefined);
  t.match(d.udp, { srcPort: 68, dstPort: 67, length: 308, checksumOk: true });
  t.equal(d.payload, undefined, 'DHCP consumes the UDP payload');
  t.same(d.dhcp, {
    op: 1, htype: 1, hlen: 6, hops: 0, xid: 0x3903f326, secs: 0, flags: DHCP_FLAG_BROADCAST,
    ciaddr: '0.0.0.0', yiaddr: '0.0.0.0', siaddr: '0.0.0.0', giaddr: '0.0.0.0',
    chaddr: '02:00:00:00:00:01', sname: '', file: '',
    options: [
      { type: 'message_type', value: DISCOVER },
      { type: 'client_id', value: '01020000000001' },
      { type: 'requested_ip', value: '192.168.1.100' },
      { type: 'hostname', value: 'host1' },
      { type: 'option', code: 55, data: '0103060f' },
    ],
    messageType: DISCOVER, clientId: '01020000000001', requestedIp: '192.168.1.100', hostname: 'host1',
  });
  const o = decodePacket(DHCP_OFFER).dhcp;
  t.match(o, {
    op: 2, yiaddr: '192.168.1.100', siaddr: '192.168.1.1',
    messageType: OFFER, serverId: '192.168.1.1', leaseTime: 86400, subnetMask: '255.255.255.0', router: ['192.168.1.1'], dns: ['8.8.8.8', '8.8.4.4'],
  });
});

t.test('decode: IPv4 options, IPv6 extension headers, router advertisement', async (t) => {
  const igmp = decodePacket(IGMP_ROUTER_ALERT, { checksums: true });
  t.match(igmp.ipv4, { ihl: 6, dscp: 48, ecn: 0, ttl: 1, protocol: 2, options: '94040000', checksumOk: true });
  t.equal(igmp.payload, '160008e9e0000116', 'unknown protocol: payload is the datagram body');
  t.equal(igmp.payloadOffset, 38);

  const chain = decodePacket(IPV6_EXTENSION_CHAIN, { checksums: true });
  t.equal(chain.error, undefined);
  t.match(chain.ipv6, {
    nextHeader: IPPROTO_HOPOPTS, payloadLength: 60, src: '2001:db8::1', dst: '2001:db8::2',
    extensionHeaders: [0, 43, 44, 60], protocol: IPPROTO_UDP, protocolOffset: 102,
    fragment: { offset: 0, more: false, identification: 0x12345678 },
  });
  t.same(chain.udp, { srcPort: 5000, dstPort: 7, length: 12, checksum: 0xb201, checksumOk: true });
  t.equal(chain.payload, Buffer.from('ping').toString('hex'));

  const ra = decodePacket(ROUTER_ADVERT, { checksums: true });
  t.same(ra.icmpv6, {
    type: 134, code: 0, checksum: 0xb263,
    curHopLimit: 64, managed: true, other: true, routerLifetime: 1800, reachableTime: 30000, retransTimer: 1000,
    options: [
      { type: 'source_link_layer_address', address: '02:00:00:00:00:01' },
      { type: 'mtu', mtu: 1400 },
      { type: 'prefix_information', prefixLength: 64, onLink: true, autonomous: true, validLifetime: 86400, preferredLifetime: 14400, prefix: '2001:db8:1::' },
    ],
    sourceLinkLayerAddress: '02:00:00:00:00:01',
    checksumOk: true,
  });
});

const lldpFull: LldpFields = {
  chassisId: { subtype: 7, value: 'dpid:0000000000000001' },
  portId: { subtype: 2, value: '1' },
  ttl: 120,
  tlvs: [
    { type: 'port_description', value: 's1-eth1' },
    { type: 'system_name', value: 'switch-1' },
    { type: 'system_capabilities', capabilities: 0x14, enabled: 0x04 },
    { type: 'tlv', code: 8, data: '05010a000001020000000100' },
    { type: 'org_specific', oui: '00:80:c2', subtype: 1, data: Buffer.from([0, 1]) },
  ],
};

const discoverOptions: DhcpOption[] = [
  { type: 'message_type', value: DISCOVER },
  { type: 'client_id', value: '01020000000001' },
  { type: 'requested_ip', value: '192.168.1.100' },
  { type: 'hostname', value: 'host1' },
  { type: 'option', code: 55, data: Buffer.from([1, 3, 6, 15]) },
];

function dhcpFrame(o: { ethSrc: string; src: string; sport: number; dport: number; dhcp: Buffer }): Buffer {
  return buildEthernet({
    dst: 'ff:ff:ff:ff:ff:ff',
    src: o.ethSrc,
    ethertype: ETHERTYPE_IPV4,
    payload: buildIpv4({ src: o.src, dst: '255.255.255.255', protocol: IPPROTO_UDP, payload: buildUdp({ src: o.src, dst: '255.255.255.255', srcPort: o.sport, dstPort: o.dport, payload: o.dhcp }) }),
  });
}

t.test('builders reproduce the hand-written frames', async (t) => {
  const cases: [string, Buffer, Buffer][] = [
    ['VLAN_ARP', VLAN_ARP, buildEthernet({
      dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', vlans: [{ pcp: 3, vid: 10 }], ethertype: ETHERTYPE_ARP,
      payload: buildArp({ op: 1, sha: '02:00:00:00:00:01', spa: '10.0.10.1', tpa: '10.0.10.2' }),
    })],
    ['QINQ_ICMP', QINQ_ICMP, buildEthernet({
      dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01',
      vlans: [{ tpid: TPID_8021AD, dei: true, vid: 100 }, { pcp: 5, vid: 20 }],
      ethertype: ETHERTYPE_IPV4,
      payload: buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO_ICMP, id: 0x0101, payload: buildIcmpEcho({ identifier: 0x1234, sequence: 1, data: Buffer.from('abcd') }) }),
    })],
    ['LLDP_FULL', LLDP_FULL, buildEthernet({ dst: LLDP_MULTICAST, src: '02:00:00:00:00:01', ethertype: ETHERTYPE_LLDP, payload: buildLldp(lldpFull) })],
    ['LLDP_MAC', LLDP_MAC, buildEthernet({
      dst: LLDP_MULTICAST, src: '02:00:00:00:00:02', ethertype: ETHERTYPE_LLDP,
      payload: buildLldp({ chassisId: { subtype: 4, value: '02:00:00:00:00:02' }, portId: { subtype: 7, value: 's1-eth2' }, ttl: 120 }),
    })],
    ['DHCP_DISCOVER', DHCP_DISCOVER, dhcpFrame({
      ethSrc: '02:00:00:00:00:01', src: '0.0.0.0', sport: 68, dport: 67,
      dhcp: buildDhcp({ xid: 0x3903f326, flags: DHCP_FLAG_BROADCAST, chaddr: '02:00:00:00:00:01', options: discoverOptions }),
    })],
    ['DHCP_OFFER', DHCP_OFFER, dhcpFrame({
      ethSrc: '02:00:00:00:00:fe', src: '192.168.1.1', sport: 67, dport: 68,
      dhcp: buildDhcp({
        xid: 0x3903f326, flags: DHCP_FLAG_BROADCAST, chaddr: '02:00:00:00:00:01', yiaddr: '192.168.1.100', siaddr: '192.168.1.1',
        options: [
          { type: 'message_type', value: OFFER },
          { type: 'server_id', value: '192.168.1.1' },
          { type: 'lease_time', value: 86400 },
          { type: 'subnet_mask', value: '255.255.255.0' },
          { type: 'router', value: ['192.168.1.1'] },
          { type: 'dns', value: ['8.8.8.8', '8.8.4.4'] },
        ],
      }),
    })],
    ['IGMP_ROUTER_ALERT', IGMP_ROUTER_ALERT, buildEthernet({
      dst: '01:00:5e:00:01:16', src: '02:00:00:00:00:01', ethertype: ETHERTYPE_IPV4,
      payload: buildIpv4({ src: '10.0.0.1', dst: '224.0.1.22', protocol: 2, ttl: 1, dscp: 48, options: '940400', payload: Buffer.from('160008e9e0000116', 'hex') }),
    })],
    ['IPV6_EXTENSION_CHAIN', IPV6_EXTENSION_CHAIN, buildEthernet({
      dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', ethertype: ETHERTYPE_IPV6,
      payload: buildIpv6({
        src: '2001:db8::1', dst: '2001:db8::2', nextHeader: IPPROTO_HOPOPTS,
        payload: Buffer.concat([
          IPV6_EXTENSION_CHAIN.subarray(54, 102),
          buildUdp({ src: '2001:db8::1', dst: '2001:db8::2', srcPort: 5000, dstPort: 7, payload: Buffer.from('ping') }),
        ]),
      }),
    })],
    ['ROUTER_ADVERT', ROUTER_ADVERT, buildEthernet({
      dst: '33:33:00:00:00:01', src: '02:00:00:00:00:01', ethertype: ETHERTYPE_IPV6,
      payload: buildIpv6({
        src: 'fe80::1', dst: 'ff02::1', nextHeader: IPPROTO_ICMPV6, hopLimit: NDP_HOP_LIMIT,
        payload: buildIcmpv6RouterAdvert({
          src: 'fe80::1', managed: true, other: true, routerLifetime: 1800, reachableTime: 30000, retransTimer: 1000,
          sourceLinkLayerAddress: '02:00:00:00:00:01',
          options: [
            { type: 'mtu', mtu: 1400 },
            { type: 'prefix_information', prefixLength: 64, onLink: true, autonomous: true, validLifetime: 86400, preferredLifetime: 14400, prefix: '2001:db8:1::' },
          ],
        }),
      }),
    })],
  ];
  t.equal(cases.length, Object.keys(ALL_HAND_WRITTEN).length, 'every hand-written frame is built');
  for (const [name, expected, built] of cases) t.equal(bytesDiff(built, expected), undefined, name);
});

t.test('decoded layers feed straight back into the builders', async (t) => {
  const lldp = decodePacket(LLDP_FULL).lldp!;
  t.equal(bytesDiff(buildLldp(lldp), LLDP_FULL.subarray(14)), undefined, 'LLDP: build(decode(x)) = x');
  const dhcp = decodePacket(DHCP_OFFER).dhcp!;
  t.equal(bytesDiff(buildDhcp(dhcp), DHCP_OFFER.subarray(42)), undefined, 'DHCP: build(decode(x)) = x');
  const ra = decodePacket(ROUTER_ADVERT).icmpv6!;
  const rebuilt = buildIcmpv6RouterAdvert({
    src: 'fe80::1',
    curHopLimit: ra.curHopLimit!,
    managed: ra.managed!,
    other: ra.other!,
    routerLifetime: ra.routerLifetime!,
    reachableTime: ra.reachableTime!,
    retransTimer: ra.retransTimer!,
    options: ra.options!,
  });
  t.equal(bytesDiff(rebuilt, ROUTER_ADVERT.subarray(54)), undefined, 'RA: build(decode(x)) = x');
});
