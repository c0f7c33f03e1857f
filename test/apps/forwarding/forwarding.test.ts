// The forwarding app end to end: a real controller with only `forwarding`
// enabled, fake switches over TCP, and a small data plane (sim-net.ts) that
// says where each frame goes. Synchronised with echo round trips and polls.
import t, { type Test } from 'tap';
import { forwardingApp } from '../../../src/apps/forwarding/forwarding.js';
import { pollUntil } from '../../helpers/ovs.js';
import { LLDP_INTERVAL_MS, SimNet, frame, matchValue, outPorts, type Delivery } from '../sim-net.js';
import type { FlowStats } from '../../../src/openflow/multipart/flow-stats.js';

const mac = (n: number): string => `00:00:00:00:00:${n.toString(16).padStart(2, '0')}`;
const BCAST = 'ff:ff:ff:ff:ff:ff';
const H1 = mac(1); // s1 port 1
const H5 = mac(5); // s3 port 1
const H6 = mac(6); // s3 port 2

/**
 * Ring s1-s2-s3-s4-s1, ports 3 towards the next switch and 4 towards the
 * previous one; ports 1 and 2 of each switch are host ports. The BFS tree
 * from s1 is s1-s2, s1-s4, s2-s3: s3-s4 is the blocked link.
 */
function ring(t: Test): Promise<SimNet> {
  return SimNet.start(t, {
    switches: [[1n, 4], [2n, 4], [3n, 4], [4n, 4]],
    cables: [[1n, 3, 2n, 4], [2n, 3, 3n, 4], [3n, 3, 4n, 4], [4n, 3, 1n, 4]],
    apps: [forwardingApp],
    enable: ['forwarding'],
  });
}

const where = (ds: readonly Delivery[]): string[] => ds.map((d) => `s${d.dpid}:${d.port}`).sort();
/** The app's path flows on a switch, as "src>dst in N out M", sorted. */
const pathFlows = (net: SimNet, dpid: bigint): string[] =>
  net.flows(dpid).filter((f) => matchValue(f, 'eth_src') !== undefined).map(describe).sort();
const describe = (f: FlowStats): string =>
  `${String(matchValue(f, 'eth_src')).slice(-2)}>${String(matchValue(f, 'eth_dst')).slice(-2)} in ${String(matchValue(f, 'in_port'))} out ${outPorts(f).join(',')}`;
const handled = (net: SimNet): number => net.c.packets.counters.handledBy.get('forwarding') ?? 0;

/** Hosts announce themselves with a broadcast, as ARP would, so the tracker knows them. */
async function announce(net: SimNet, hosts: readonly [string, bigint, number][]): Promise<void> {
  for (const [m, dpid, port] of hosts) net.hostSends(dpid, port, frame(m, BCAST, `hello-${m}`));
  await net.settle();
  for (const [m, dpid, port] of hosts) {
    const h = net.c.hosts.byMac(m);
    if (h?.dpid !== dpid.toString(16).padStart(16, '0') || h.port_no !== port) throw new Error(`host ${m} not learned at s${dpid}:${port}`);
  }
}

/** h1 (s1:1) ↔ h5 (s3:1): two hops, the tie goes to the lower port, so via s2. */
async function h1ToH5(t: Test, net: SimNet): Promise<void> {
  await announce(net, [[H5, 3n, 1]]);
  net.hostSends(1n, 1, frame(H1, H5, 'first'));
  await net.settle();
  t.same(where(net.deliveriesOf('first')), ['s3:1'], 'the first packet reached h5, once');
}

t.test('a broadcast in a ring is flooded along the tree: one copy per host port, none back to the sender', async (t) => {
  const net = await ring(t);
  net.hostSends(1n, 1, frame(H1, BCAST, 'bcast'));
  await net.settle();
  t.same(where(net.deliveriesOf('bcast')), ['s1:2', 's2:1', 's2:2', 's3:1', 's3:2', 's4:1', 's4:2']);
  t.equal(net.loops, 0, 'no frame went round the ring');
  t.same(pathFlows(net, 1n), [], 'a broadcast installs no path');
  // An unknown unicast destination floods the same way.
  net.hostSends(2n, 2, frame(mac(0x22), mac(0x99), 'unknown'));
  await net.settle();
  t.same(where(net.deliveriesOf('unknown')), ['s1:1', 's1:2', 's2:1', 's3:1', 's3:2', 's4:1', 's4:2']);
});

t.test('the first packet to a known host installs the whole path, both ways, on every switch', async (t) => {
  const net = await ring(t);
  await h1ToH5(t, net);
  t.same(pathFlows(net, 1n), ['01>05 in 1 out 3', '05>01 in 3 out 1']);
  t.same(pathFlows(net, 2n), ['01>05 in 4 out 3', '05>01 in 3 out 4']);
  t.same(pathFlows(net, 3n), ['01>05 in 4 out 1', '05>01 in 1 out 4']);
  t.same(pathFlows(net, 4n), [], 'the switch off the path has none');
  const f = net.flows(2n).find((x) => matchValue(x, 'eth_src') === H1)!;
  t.equal(f.idle_timeout, 60, 'default idle timeout');
  t.equal(f.priority, 20);

  // The reply and later packets stay in the switches: no packet-in at all.
  const before = handled(net);
  net.hostSends(3n, 1, frame(H5, H1, 'reply'));
  net.hostSends(1n, 1, frame(H1, H5, 'second'));
  await net.settle();
  t.same(where(net.deliveriesOf('reply')), ['s1:1']);
  t.same(where(net.deliveriesOf('second')), ['s3:1']);
  t.equal(handled(net), before, 'the reverse direction was installed with the first packet');
});

t.test('hosts on one switch: a single flow each way', async (t) => {
  const net = await ring(t);
  await announce(net, [[H6, 3n, 2]]);
  net.hostSends(3n, 1, frame(H5, H6, 'local'));
  await net.settle();
  t.same(where(net.deliveriesOf('local')), ['s3:2']);
  t.same(pathFlows(net, 3n), ['05>06 in 1 out 2', '06>05 in 2 out 1']);
  for (const d of [1n, 2n, 4n]) t.same(pathFlows(net, d), [], `nothing on s${d}`);
});

t.test('VLAN-tagged traffic gets flows matching its VLAN', async (t) => {
  const net = await ring(t);
  net.hostSends(3n, 1, frame(H5, BCAST, 'vlan-hello', 10));
  await net.settle();
  net.hostSends(1n, 1, frame(H1, H5, 'tagged', 10));
  await net.settle();
  t.same(where(net.deliveriesOf('tagged')), ['s3:1']);
  const vids = net.flows(2n).filter((f) => matchValue(f, 'eth_src') !== undefined).map((f) => matchValue(f, 'vlan_vid'));
  t.same(vids, [0x100a, 0x100a], 'both directions match vlan_vid = OFPVID_PRESENT | 10');
});

t.test('a link on the path fails: its flows go and the path is rerouted around it within 5 s', async (t) => {
  const net = await ring(t);
  await h1ToH5(t, net);
  const t0 = Date.now();
  net.unplug(1n, 3); // the s1-s2 cable
  await pollUntil('rerouted via s4', () => pathFlows(net, 4n).length === 2 || undefined, 5000, 5);
  t.ok(Date.now() - t0 < 5000, `rerouted in ${Date.now() - t0} ms`);
  await net.settle();
  t.same(pathFlows(net, 1n), ['01>05 in 1 out 4', '05>01 in 4 out 1'], 's1 now sends towards s4');
  t.same(pathFlows(net, 4n), ['01>05 in 3 out 4', '05>01 in 4 out 3']);
  t.same(pathFlows(net, 3n), ['01>05 in 3 out 1', '05>01 in 1 out 3']);
  t.same(pathFlows(net, 2n), [], 'the old path is gone from s2');
  const before = handled(net);
  net.hostSends(1n, 1, frame(H1, H5, 'after'));
  net.hostSends(3n, 1, frame(H5, H1, 'back'));
  await net.settle();
  t.same(where(net.deliveriesOf('after')), ['s3:1']);
  t.same(where(net.deliveriesOf('back')), ['s1:1']);
  t.equal(handled(net), before, 'traffic flows on the new path without the controller');
});

t.test('a link that silently stops carrying probes expires, and its paths are rerouted', async (t) => {
  const net = await ring(t);
  await h1ToH5(t, net);
  net.cut(2n, 3); // s2-s3, on the path; no port goes down, so only link.down (probe expiry) can tell
  const downs: string[] = [];
  net.c.events.on('link.down', (e) => downs.push(e.data.reason));
  for (let i = 0; i < 6 && net.c.topology.links().length === 8; i++) {
    // One probe interval at a time, letting each round of probes arrive, so only the cut link ages out.
    net.clock.advance(LLDP_INTERVAL_MS);
    await net.settle();
  }
  t.equal(net.c.topology.links().length, 6, 'both directions of the cut link expired, nothing else');
  t.ok(downs.length === 2 && downs.every((r) => r.startsWith('no probe')), 'through probe expiry');
  t.same(pathFlows(net, 1n), ['01>05 in 1 out 4', '05>01 in 4 out 1']);
  t.same(pathFlows(net, 4n), ['01>05 in 3 out 4', '05>01 in 4 out 3']);
  t.same(pathFlows(net, 3n), ['01>05 in 3 out 1', '05>01 in 1 out 3']);
  t.same(pathFlows(net, 2n), []);
  net.hostSends(1n, 1, frame(H1, H5, 'around'));
  await net.settle();
  t.same(where(net.deliveriesOf('around')), ['s3:1']);
});

t.test('a host that moves loses its paths; the next packet to it finds the new place', async (t) => {
  const net = await ring(t);
  await h1ToH5(t, net);
  net.hostSends(4n, 2, frame(H1, BCAST, 'moved'));
  await net.settle();
  t.equal(net.c.hosts.byMac(H1)?.port_no, 2, 'the tracker saw the move');
  for (const d of [1n, 2n, 3n, 4n]) t.same(pathFlows(net, d), [], `no path flows left on s${d}`);
  net.hostSends(3n, 1, frame(H5, H1, 'to-new-place'));
  await net.settle();
  t.same(where(net.deliveriesOf('to-new-place')), ['s4:2']);
  t.same(pathFlows(net, 3n), ['01>05 in 3 out 1', '05>01 in 1 out 3'], 'direct s3-s4 now');
  t.same(pathFlows(net, 4n), ['01>05 in 2 out 4', '05>01 in 4 out 2']);
});

t.test('when both directions idle out, what is left of the path is deleted', async (t) => {
  const net = await ring(t);
  await h1ToH5(t, net);
  t.equal(net.expire(1n, (f) => matchValue(f, 'eth_src') === H1), 1);
  await net.settle();
  t.equal(pathFlows(net, 2n).length, 2, 'one direction idle: the pair stays');
  t.equal(net.expire(1n, (f) => matchValue(f, 'eth_src') === H5), 1);
  await net.settle();
  for (const d of [2n, 3n]) t.same(pathFlows(net, d), [], `s${d} cleaned up`);
});

t.test('a pair cut off from each other gets its path back when a link comes up', async (t) => {
  const net = await SimNet.start(t, {
    switches: [[1n, 3], [2n, 3]],
    cables: [[1n, 3, 2n, 3]],
    apps: [forwardingApp],
    enable: ['forwarding'],
    appConfig: { forwarding: { idleTimeout: 30 } },
  });
  await announce(net, [[H5, 2n, 1]]);
  net.hostSends(1n, 1, frame(H1, H5, 'first'));
  await net.settle();
  t.same(pathFlows(net, 1n), ['01>05 in 1 out 3', '05>01 in 3 out 1']);
  t.equal(net.flows(1n).find((f) => matchValue(f, 'eth_src') === H1)?.idle_timeout, 30, 'idleTimeout from the app config');
  net.unplug(1n, 3);
  await pollUntil('flows removed', () => (pathFlows(net, 1n).length === 0 && pathFlows(net, 2n).length === 0) || undefined, 5000, 5);
  net.plug(1n, 3);
  await pollUntil('path back', () => (pathFlows(net, 1n).length === 2 && pathFlows(net, 2n).length === 2) || undefined, 5000, 5);
  await net.settle();
  t.same(pathFlows(net, 2n), ['01>05 in 3 out 1', '05>01 in 1 out 3']);
  net.hostSends(1n, 1, frame(H1, H5, 'again'));
  await net.settle();
  t.same(where(net.deliveriesOf('again')), ['s2:1']);
});
