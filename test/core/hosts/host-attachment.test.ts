import t from 'tap';
import { TopologyService } from '../../../src/core/topology/topology-service.js';
import { HostTracker, type HostTrackerOptions } from '../../../src/core/hosts/host-tracker.js';
import { PROBE_MAC } from '../../../src/core/hosts/arp-prober.js';
import {
  ARP_REPLY, ARP_REQUEST, BROADCAST_MAC, ETHERTYPE_ARP, ETHERTYPE_IPV4, IPPROTO_UDP, buildArp, buildEthernet, buildIpv4, buildUdp, decodePacket,
} from '../../../src/packet/index.js';
import { FakeNet, id } from '../topology/fake-net.js';

const H1 = '02:00:00:00:00:01';
const H4 = '02:00:00:00:00:04';

const arpRequest = (mac: string, spa: string, tpa: string): Buffer =>
  buildEthernet({ dst: BROADCAST_MAC, src: mac, ethertype: ETHERTYPE_ARP, payload: buildArp({ op: ARP_REQUEST, sha: mac, spa, tpa }) });
const arpReply = (mac: string, spa: string, to: string, tpa: string): Buffer =>
  buildEthernet({ dst: to, src: mac, ethertype: ETHERTYPE_ARP, payload: buildArp({ op: ARP_REPLY, sha: mac, spa, tha: to, tpa }) });
/** A frame that shows a MAC but no IPv4 address of its sender (as IPv6 neighbour discovery does). */
const bare = (mac: string): Buffer => buildEthernet({ dst: BROADCAST_MAC, src: mac, ethertype: 0x88b5, payload: Buffer.alloc(46) });

function setup(opts: HostTrackerOptions = {}) {
  const net = new FakeNet();
  const topo = new TopologyService({ switches: net.registry, events: net.events, clock: net.clock }, { secret: 's' });
  const probes: { dpid: string; port: number; frame: Buffer }[] = [];
  const hosts = new HostTracker({ events: net.events, clock: net.clock, topology: topo, probe: (dpid, port, frame) => probes.push({ dpid, port, frame }) }, opts);
  net.onPacketIn((sw, pi) => {
    if (!topo.handlePacketIn(sw, pi)) hosts.handlePacketIn(sw, pi);
  });
  net.addSwitch(1n);
  net.addSwitch(2n);
  net.discard();
  t.teardown(() => {
    hosts.stop();
    topo.stop();
  });
  return { net, hosts, probes };
}

t.test('a switch leaving detaches its hosts: not listed as attached, host.updated, forgotten after the detached timeout', async (t) => {
  const { net, hosts } = setup({ detachedTimeoutMs: 10_000, idleTimeoutMs: 300_000, sweepIntervalMs: 1000 });
  net.hostSends(1n, 3, arpRequest(H1, '10.0.0.1', '10.0.0.9'));
  net.hostSends(2n, 1, arpRequest(H4, '10.0.0.4', '10.0.0.9'));
  t.same(hosts.all().map((h) => h.mac), [H1, H4]);

  const before = net.clock.now();
  net.removeSwitch(1n);
  t.same(hosts.all().map((h) => h.mac), [H4], 'the detached host is not listed as attached');
  t.same(hosts.at(id(1n), 3), [], 'nor at its old port');
  const h1 = hosts.byMac(H1);
  t.equal(h1?.attached, false);
  t.equal(h1?.detached_at, before);
  t.equal(h1?.ipv4[0], '10.0.0.1', 'still found by MAC and IP while detached');
  t.same(hosts.all({ includeDetached: true }).map((h) => [h.mac, h.attached]), [[H1, false], [H4, true]]);
  const upd = net.eventsOf('host.updated');
  t.equal(upd.length, 1);
  t.match(upd[0]!.data, { mac: H1, change: 'detached', attached: false, detached_at: before, dpid: id(1n), port_no: 3 });

  net.clock.advance(9_000);
  t.ok(hosts.byMac(H1), 'kept for the detached timeout');
  net.clock.advance(1_000);
  t.equal(hosts.byMac(H1), undefined, 'forgotten after it');
  t.equal(hosts.byIp('10.0.0.1'), undefined);
  t.same(net.eventsOf('host.removed').map((e) => e.data.mac), [H1]);
  t.ok(hosts.byMac(H4), 'the other switch\'s host stays');
});

t.test('seen again: at the same port it is attached again (host.updated), elsewhere it moved', async (t) => {
  const { net, hosts } = setup({ detachedTimeoutMs: 10_000 });
  net.hostSends(1n, 3, arpRequest(H1, '10.0.0.1', '10.0.0.9'));
  net.hostSends(1n, 4, arpRequest(H4, '10.0.0.4', '10.0.0.9'));
  net.removeSwitch(1n);
  net.addSwitch(1n);
  net.discard();
  net.clock.advance(2_000);
  net.hostSends(1n, 3, arpRequest(H1, '10.0.0.1', '10.0.0.9'));
  const h1 = hosts.byMac(H1)!;
  t.equal(h1.attached, true);
  t.equal(h1.detached_at, null);
  t.same(net.eventsOf('host.updated').map((e) => [e.data.mac, e.data.change]), [[H1, 'detached'], [H4, 'detached'], [H1, 'attached']]);
  t.equal(net.eventsOf('host.added').length, 2, 'no second host.added');

  net.hostSends(2n, 2, arpRequest(H4, '10.0.0.4', '10.0.0.9'));
  const moved = net.eventsOf('host.moved');
  t.equal(moved.length, 1);
  t.match(moved[0]!.data, { mac: H4, dpid: id(2n), port_no: 2, from: { dpid: id(1n), port_no: 4 } });
  t.equal(hosts.byMac(H4)?.attached, true);
  net.clock.advance(20_000);
  t.same(net.eventsOf('host.removed'), [], 'a re-attached host does not age out as detached');
});

t.test('a known host gaining an address is host.updated (address); the same address again is not', async (t) => {
  const { net, hosts } = setup();
  net.hostSends(1n, 3, bare(H4));
  t.same(hosts.byMac(H4)?.ipv4, []);
  const ip4 = buildEthernet({ dst: H1, src: H4, ethertype: ETHERTYPE_IPV4, payload: buildIpv4({ src: '10.0.0.4', dst: '10.0.0.1', protocol: IPPROTO_UDP, payload: buildUdp({ src: '10.0.0.4', dst: '10.0.0.1', srcPort: 1, dstPort: 2, payload: Buffer.alloc(0) }) }) });
  net.hostSends(1n, 3, ip4);
  net.hostSends(1n, 3, ip4);
  t.same(hosts.byMac(H4)?.ipv4, ['10.0.0.4'], 'from the IPv4 source address');
  t.same(net.eventsOf('host.updated').map((e) => [e.data.change, e.data.ipv4]), [['address', ['10.0.0.4']]]);
});

t.test('an ARP reply teaches the answering host its address', async (t) => {
  const { net, hosts } = setup();
  net.hostSends(1n, 3, bare(H4));
  net.hostSends(1n, 3, arpReply(H4, '10.0.0.4', H1, '10.0.0.1'));
  t.same(hosts.byMac(H4)?.ipv4, ['10.0.0.4']);
  t.equal(hosts.byIp('10.0.0.1'), undefined, 'the reply\'s target address is not the sender\'s');
});

t.test('a host that only answers: an unowned ARP target makes the tracker probe hosts without IPv4, and the reply names the owner', async (t) => {
  const { net, hosts, probes } = setup({ arpProbe: { delayMs: 500, repeatMs: 30_000 } });
  // h4 is known (from a frame without an IPv4 address), h1 asks for 10.0.0.4; the reply would never come up.
  net.hostSends(2n, 1, bare(H4));
  net.hostSends(1n, 3, arpRequest(H1, '10.0.0.1', '10.0.0.4'));
  t.equal(probes.length, 0, 'not at once: the asker\'s answer may still come');
  net.clock.advance(500);
  t.equal(probes.length, 1, 'one probe: h1 has an address already, h4 has none');
  const p = probes[0]!;
  t.same([p.dpid, p.port], [id(2n), 1], 'on h4\'s own port');
  const d = decodePacket(p.frame);
  t.match(d.eth, { dst: H4, src: PROBE_MAC, ethertype: ETHERTYPE_ARP });
  t.match(d.arp, { op: ARP_REQUEST, sha: PROBE_MAC, spa: '0.0.0.0', tpa: '10.0.0.4' });

  // h4 answers the probe: to PROBE_MAC, which no flow knows, so it reaches the controller.
  net.hostSends(2n, 1, arpReply(H4, '10.0.0.4', PROBE_MAC, '0.0.0.0'));
  t.equal(hosts.byIp('10.0.0.4')?.mac, H4, 'the quiet host has its address');
  t.equal(hosts.byMac(PROBE_MAC), undefined, 'the probe MAC is never a host');

  // Asked again: owned now, no probe; another unowned address within repeatMs is probed once.
  net.hostSends(1n, 3, arpRequest(H1, '10.0.0.1', '10.0.0.4'));
  net.clock.advance(1000);
  t.equal(probes.length, 1);
});

t.test('probing is bounded: once per address per repeat interval, none without candidates', async (t) => {
  const { net, probes } = setup({ arpProbe: { delayMs: 100, repeatMs: 10_000 } });
  net.hostSends(1n, 3, arpRequest(H1, '10.0.0.1', '10.0.0.7'));
  net.clock.advance(1000);
  t.equal(probes.length, 0, 'every known host has an address: nobody to ask');
  net.hostSends(2n, 1, bare(H4));
  for (let i = 0; i < 5; i++) net.hostSends(1n, 3, arpRequest(H1, '10.0.0.1', '10.0.0.7'));
  net.clock.advance(1000);
  t.equal(probes.length, 1, 'five questions, one probe');
  net.hostSends(1n, 3, arpRequest(H1, '10.0.0.1', '10.0.0.7'));
  net.clock.advance(1000);
  t.equal(probes.length, 1, 'not again within the repeat interval');
  net.clock.advance(10_000);
  net.hostSends(1n, 3, arpRequest(H1, '10.0.0.1', '10.0.0.7'));
  net.clock.advance(1000);
  t.equal(probes.length, 2, 'again after it');
});
