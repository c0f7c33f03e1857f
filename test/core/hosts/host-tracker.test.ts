import t from 'tap';
import { TopologyService } from '../../../src/core/topology/topology-service.js';
import { HostTracker, type HostTrackerOptions } from '../../../src/core/hosts/host-tracker.js';
import {
  ARP_REQUEST, BROADCAST_MAC, DHCP_ACK, DHCP_REQUEST, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_LLDP, IPPROTO_ICMPV6, IPPROTO_UDP, LLDP_MULTICAST,
  buildArp, buildDhcp, buildEthernet, buildIcmpv6NeighborAdvert, buildIcmpv6NeighborSolicit, buildIpv4, buildIpv6, buildLldp, buildUdp,
} from '../../../src/packet/index.js';
import { FakeNet, id, packetIn } from '../topology/fake-net.js';

const H1 = '02:00:00:00:00:01';
const H2 = '02:00:00:00:00:02';
const SERVER = '02:00:00:00:00:fe';

const arp = (mac: string, spa: string, vid?: number): Buffer =>
  buildEthernet({ dst: BROADCAST_MAC, src: mac, ethertype: ETHERTYPE_ARP, ...(vid !== undefined && { vlans: [{ vid }] }), payload: buildArp({ op: ARP_REQUEST, sha: mac, spa, tpa: '10.0.0.254' }) });
const udp4 = (mac: string, src: string, dst: string, srcPort: number, dstPort: number, payload: Buffer = Buffer.alloc(0)): Buffer =>
  buildEthernet({ dst: BROADCAST_MAC, src: mac, ethertype: ETHERTYPE_IPV4, payload: buildIpv4({ src, dst, protocol: IPPROTO_UDP, payload: buildUdp({ src, dst, srcPort, dstPort, payload }) }) });
const icmp6 = (mac: string, src: string, dst: string, msg: Buffer): Buffer =>
  buildEthernet({ dst: '33:33:00:00:00:01', src: mac, ethertype: ETHERTYPE_IPV6, payload: buildIpv6({ src, dst, nextHeader: IPPROTO_ICMPV6, payload: msg, hopLimit: 255 }) });

function setup(opts: HostTrackerOptions = {}) {
  const net = new FakeNet();
  const topo = new TopologyService({ switches: net.registry, events: net.events, clock: net.clock }, { secret: 's' });
  const hosts = new HostTracker({ events: net.events, clock: net.clock, topology: topo }, opts);
  net.onPacketIn((sw, pi) => {
    if (!topo.handlePacketIn(sw, pi)) hosts.handlePacketIn(sw, pi);
  });
  net.addSwitch(1n);
  net.addSwitch(2n);
  net.discard(); // no cables: the initial probes go nowhere
  return { net, topo, hosts };
}

t.test('a host is learned from ARP: MAC, attachment, IPv4, and one host.added', async (t) => {
  const { net, hosts } = setup();
  net.hostSends(1n, 3, arp(H1, '10.0.0.1'));
  net.hostSends(1n, 3, arp(H1, '10.0.0.1'));
  const added = net.eventsOf('host.added');
  t.equal(added.length, 1, 'seen twice, added once');
  t.same(added[0]!.data, { mac: H1, vlan: null, ipv4: ['10.0.0.1'], ipv6: [], dpid: id(1n), port_no: 3 });
  t.equal(hosts.byMac('02-00-00-00-00-01'.toUpperCase())?.port_no, 3, 'MAC in any spelling');
  t.equal(hosts.byIp('10.0.0.1')?.mac, H1);
  t.same(hosts.at(id(1n), 3).map((h) => h.mac), [H1]);
  t.same(hosts.at(id(1n), 4), []);
  t.same(JSON.parse(JSON.stringify(hosts.all())), hosts.all(), 'records are plain JSON');
});

t.test('VLAN, IPv4 source, and what is never learned', async (t) => {
  const { net, hosts } = setup();
  net.hostSends(1n, 2, arp(H1, '10.0.0.1', 10));
  t.equal(hosts.byMac(H1)?.vlan, 10);
  net.hostSends(1n, 2, udp4(H2, '10.0.0.2', '10.0.0.9', 1000, 2000));
  t.same(hosts.byMac(H2)?.ipv4, ['10.0.0.2'], 'IPv4 source');
  net.hostSends(1n, 2, arp('02:00:00:00:00:03', '0.0.0.0'));
  t.same(hosts.byMac('02:00:00:00:00:03')?.ipv4, [], 'an ARP probe (sender 0.0.0.0) teaches no IP');
  const before = hosts.size;
  net.hostSends(1n, 2, arp(BROADCAST_MAC, '10.0.0.7'));
  net.hostSends(1n, 2, arp('01:00:5e:00:00:01', '10.0.0.8'));
  net.hostSends(1n, 2, buildEthernet({ dst: LLDP_MULTICAST, src: '02:00:00:00:00:77', ethertype: ETHERTYPE_LLDP, payload: buildLldp({ chassisId: { subtype: 4, value: '02:00:00:00:00:77' }, portId: { subtype: 5, value: 'eth0' }, ttl: 120 }) }));
  net.southbound.emit('message', net.links.get(1n), packetIn(0xfffffffe, arp('02:00:00:00:00:04', '10.0.0.4')));
  t.equal(hosts.size, before, 'no broadcast or multicast source, no LLDP sender, nothing from the LOCAL port');
  t.equal(hosts.handlePacketIn({ id: id(1n) }, packetIn(2, Buffer.from([1, 2, 3]))), undefined, 'a runt teaches nothing');
});

t.test('IPv6 from neighbour discovery and sources; only addresses the sender owns', async (t) => {
  const { net, hosts } = setup();
  const dad = buildIcmpv6NeighborSolicit({ src: '::', target: 'fe80::1' });
  net.hostSends(1n, 3, icmp6(H1, '::', 'ff02::1:ff00:1', dad));
  t.same(hosts.byMac(H1)?.ipv6, ['fe80::1'], 'duplicate address detection: the target is the sender-to-be');
  const ns = buildIcmpv6NeighborSolicit({ src: 'fe80::1', target: 'fe80::2', sourceLinkLayerAddress: H1 });
  net.hostSends(1n, 3, icmp6(H1, 'fe80::1', 'ff02::1:ff00:2', ns));
  t.same(hosts.byMac(H1)?.ipv6, ['fe80::1'], 'a normal NS: the target is someone else, not learned');
  const na = buildIcmpv6NeighborAdvert({ src: 'fe80::2', dst: 'fe80::1', target: '2001:db8::2', solicited: true, targetLinkLayerAddress: H2 });
  net.hostSends(2n, 1, icmp6(H2, 'fe80::2', 'fe80::1', na));
  t.same(hosts.byMac(H2)?.ipv6, ['fe80::2', '2001:db8::2'], 'NA: source and target');
  t.equal(hosts.byIp('2001:DB8:0:0::2')?.mac, H2, 'any spelling of the address');
  t.notOk(hosts.byIp('::'), 'the unspecified address belongs to nobody');
});

t.test('DHCP: the requested address, and the ACK for a known client', async (t) => {
  const { net, hosts } = setup();
  const request = buildDhcp({ xid: 7, chaddr: H1, options: [{ type: 'message_type', value: DHCP_REQUEST }, { type: 'requested_ip', value: '10.0.0.50' }] });
  net.hostSends(1n, 3, udp4(H1, '0.0.0.0', '255.255.255.255', 68, 67, request));
  t.same(hosts.byMac(H1)?.ipv4, ['10.0.0.50']);
  const ack = (chaddr: string, yiaddr: string) =>
    buildDhcp({ xid: 7, chaddr, yiaddr, options: [{ type: 'message_type', value: DHCP_ACK }, { type: 'server_id', value: '10.0.0.254' }] });
  net.hostSends(2n, 4, udp4(SERVER, '10.0.0.254', '10.0.0.60', 67, 68, ack(H1, '10.0.0.60')));
  t.equal(hosts.byIp('10.0.0.60')?.mac, H1, 'yiaddr goes to the client, not the server');
  t.equal(hosts.byMac(H1)?.dpid, id(1n), 'and the client stays where it is');
  t.same(hosts.byMac(SERVER)?.ipv4, ['10.0.0.254']);
  net.hostSends(2n, 4, udp4(SERVER, '10.0.0.254', '10.0.0.61', 67, 68, ack(H2, '10.0.0.61')));
  t.equal(hosts.byMac(H2), undefined, 'an ACK does not invent a client we never saw');
  t.equal(hosts.byIp('10.0.0.61'), undefined);
});

t.test('moves: same MAC at another edge port is host.moved with from; an IP claimed by another MAC moves too', async (t) => {
  const { net, hosts } = setup();
  net.hostSends(1n, 3, arp(H1, '10.0.0.1'));
  net.hostSends(2n, 4, arp(H1, '10.0.0.1'));
  const moved = net.eventsOf('host.moved');
  t.equal(moved.length, 1);
  t.same(moved[0]!.data, { mac: H1, vlan: null, ipv4: ['10.0.0.1'], ipv6: [], dpid: id(2n), port_no: 4, from: { dpid: id(1n), port_no: 3 } });
  t.same(hosts.at(id(1n), 3), []);
  t.same(hosts.at(id(2n), 4).map((h) => h.mac), [H1]);
  t.equal(net.eventsOf('host.added').length, 1);
  net.hostSends(1n, 2, arp(H2, '10.0.0.1')); // a new lease of the same address
  t.equal(hosts.byIp('10.0.0.1')?.mac, H2);
  t.same(hosts.byMac(H1)?.ipv4, []);
});

t.test('aging: idle hosts are removed after the idle time, active ones stay', async (t) => {
  const { net, hosts } = setup({ idleTimeoutMs: 300_000 });
  net.hostSends(1n, 3, arp(H1, '10.0.0.1'));
  net.hostSends(1n, 4, arp(H2, '10.0.0.2'));
  net.clock.advance(200_000);
  net.hostSends(1n, 3, arp(H1, '10.0.0.1')); // H1 is active, H2 is not
  net.clock.advance(100_000 + 30_000); // H2 idle for 330 s: past 300 s plus one sweep
  t.same(net.eventsOf('host.removed').map((e) => e.data.mac), [H2]);
  t.equal(hosts.byIp('10.0.0.2'), undefined, 'its addresses go with it');
  t.ok(hosts.byMac(H1), 'H1, seen 130 s ago, stays');
  net.clock.advance(200_000);
  t.same(net.eventsOf('host.removed').map((e) => e.data.mac), [H2, H1]);
  t.equal(hosts.size, 0);
});

t.test('never on an inter-switch port; a link found on a port removes the hosts learned there', async (t) => {
  const { net, topo, hosts } = setup();
  // Before discovery, s2 port 2 looks like an edge port: traffic flooded from s1 teaches a "host" there.
  net.hostSends(2n, 2, arp(H1, '10.0.0.1'));
  t.equal(hosts.byMac(H1)?.dpid, id(2n));
  net.cable(1n, 1, 2n, 2);
  topo.probeAll();
  net.flush();
  t.ok(topo.isInterSwitchPort(2n, 2));
  t.same(net.eventsOf('host.removed').map((e) => e.data), [{ mac: H1, vlan: null, ipv4: ['10.0.0.1'], ipv6: [], dpid: id(2n), port_no: 2 }]);
  net.hostSends(2n, 2, arp(H2, '10.0.0.2'));
  net.hostSends(1n, 1, arp(H2, '10.0.0.2'));
  t.equal(hosts.byMac(H2), undefined, 'packets arriving on either end of the link teach nothing');
  t.equal(hosts.size, 0);
});

t.test('a port going down keeps its hosts until they age out or move (documented choice)', async (t) => {
  const { net, hosts } = setup();
  net.hostSends(1n, 3, arp(H1, '10.0.0.1'));
  net.portStatus(1n, 3, { config: ['port_down'] });
  t.equal(hosts.byMac(H1)?.port_no, 3);
  t.equal(net.eventsOf('host.removed').length, 0);
});

t.test('a router-like MAC keeps only the newest addresses', async (t) => {
  const { net, hosts } = setup({ maxAddresses: 2 });
  for (const ip of ['10.1.0.1', '10.1.0.2', '10.1.0.3']) net.hostSends(1n, 3, udp4(H1, ip, '10.0.0.9', 1, 2));
  t.same(hosts.byMac(H1)?.ipv4, ['10.1.0.2', '10.1.0.3']);
  t.equal(hosts.byIp('10.1.0.1'), undefined);
});

t.test('stop() ends aging and the link.up subscription', async (t) => {
  const { net, topo, hosts } = setup({ idleTimeoutMs: 1000 });
  net.hostSends(2n, 2, arp(H1, '10.0.0.1'));
  hosts.stop();
  net.clock.advance(60_000);
  net.cable(1n, 1, 2n, 2);
  topo.probeAll();
  net.flush();
  t.equal(topo.links().length, 2);
  t.ok(hosts.byMac(H1), 'not aged, not removed by the link');
});
