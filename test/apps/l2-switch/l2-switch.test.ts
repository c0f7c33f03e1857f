// The l2-switch end to end: a real controller with only `l2-switch`
// enabled, fake switches over TCP, and the small data plane of sim-net.ts
// that says where each frame goes. Synchronised with echo round trips; the
// controller's clock is manual, so in-switch flooding starts only when a
// test moves time past the settle period.
import t, { type Test } from 'tap';
import { l2SwitchApp } from '../../../src/apps/l2-switch/l2-switch.js';
import { SimNet, frame, matchValue, outPorts, type Delivery } from '../sim-net.js';
import type { FlowStats } from '../../../src/openflow/multipart/flow-stats.js';

const mac = (n: number): string => `00:00:00:00:00:${n.toString(16).padStart(2, '0')}`;
const BCAST = 'ff:ff:ff:ff:ff:ff';
const H1 = mac(1); // s1 port 1
const H2 = mac(2); // s1 port 2
const H5 = mac(5); // s3 port 1
const SETTLE_MS = 1000;

/**
 * Ring s1-s2-s3-s4-s1, ports 3 towards the next switch and 4 towards the
 * previous one; ports 1 and 2 of each switch are host ports. The BFS tree
 * from s1 is s1-s2, s1-s4, s2-s3: s3-s4 is the blocked link.
 */
function ring(t: Test, appConfig: Record<string, unknown> = {}): Promise<SimNet> {
  return SimNet.start(t, {
    switches: [[1n, 4], [2n, 4], [3n, 4], [4n, 4]],
    cables: [[1n, 3, 2n, 4], [2n, 3, 3n, 4], [3n, 3, 4n, 4], [4n, 3, 1n, 4]],
    apps: [l2SwitchApp],
    enable: ['l2-switch'],
    appConfig: { 'l2-switch': appConfig },
  });
}

const where = (ds: readonly Delivery[]): string[] => ds.map((d) => `s${d.dpid}:${d.port}`).sort();
const handled = (net: SimNet): number => net.c.packets.counters.handledBy.get('l2-switch') ?? 0;
const isDst = (f: FlowStats): boolean => f.priority === 10;
const isCatch = (f: FlowStats): boolean => f.priority === 11;
const isFlood = (f: FlowStats): boolean => f.priority === 9;
/** The dst flows of a switch as "mac-last-byte>port", sorted. */
const dstFlows = (net: SimNet, dpid: bigint): string[] =>
  net.flows(dpid).filter(isDst).map((f) => `${String(matchValue(f, 'eth_dst')).slice(-2)}>${outPorts(f).join(',')}`).sort();
const catches = (net: SimNet, dpid: bigint): string[] => net.flows(dpid).filter(isCatch).map((f) => String(matchValue(f, 'eth_src')).slice(-2)).sort();
/** Where each switch sends H1: s1 to its port, the others along the tree towards s1. */
const H1_EVERYWHERE: Record<string, string[]> = { '1': ['01>1'], '2': ['01>4'], '3': ['01>4'], '4': ['01>3'] };

async function h1Announces(net: SimNet): Promise<void> {
  net.hostSends(1n, 1, frame(H1, BCAST, 'hello-h1'));
  await net.settle();
}

t.test('a MAC seen on an edge port gets one flow on every switch: eth_dst → the port towards it', async (t) => {
  const net = await ring(t);
  await h1Announces(net);
  t.same(where(net.deliveriesOf('hello-h1')), ['s1:2', 's2:1', 's2:2', 's3:1', 's3:2', 's4:1', 's4:2'], 'the broadcast reached every other host once');
  t.equal(net.loops, 0);
  for (const d of [1n, 2n, 3n, 4n]) t.same(dstFlows(net, d), H1_EVERYWHERE[String(d)], `s${d}`);
  const f = net.flows(2n).find(isDst)!;
  t.same(f.match.map((m) => ('field' in m ? m.field : '?')).sort(), ['eth_dst', 'vlan_vid'], 'no in_port, no eth_src');
  t.equal(matchValue(f, 'vlan_vid'), 0, 'untagged: OFPVID_NONE');
  t.equal(f.idle_timeout, 60, 'default idle timeout');

  // Packets to H1 from anywhere now stay in the switches.
  const before = handled(net);
  net.hostSends(3n, 2, frame(mac(6), H1, 'to-h1'));
  await net.settle();
  t.same(where(net.deliveriesOf('to-h1')), ['s1:1']);
  t.equal(handled(net), before, 'no packet-in');
});

t.test('hosts cost one flow each per switch, not one per pair', async (t) => {
  const net = await ring(t);
  const hosts: [string, bigint, number][] = [[H1, 1n, 1], [H2, 1n, 2], [mac(3), 2n, 1], [mac(4), 2n, 2], [H5, 3n, 1], [mac(6), 3n, 2]];
  for (const [m, d, p] of hosts) net.hostSends(d, p, frame(m, BCAST, `hello-${m}`));
  await net.settle();
  let n = 0;
  for (const [a, da, pa] of hosts) for (const [b] of hosts) if (a !== b) net.hostSends(da, pa, frame(a, b, `<u${n++}>`));
  await net.settle();
  for (let i = 0; i < n; i++) t.equal(net.deliveriesOf(`<u${i}>`).length, 1, `unicast ${i} delivered once`);
  for (const d of [1n, 2n, 3n, 4n]) t.equal(net.flows(d).filter(isDst).length, hosts.length, `s${d}: ${hosts.length} flows for ${n} pairs`);
});

t.test('a host that only answers is caught: the first unicast to it floods, its answer teaches every switch', async (t) => {
  const net = await ring(t);
  await h1Announces(net);
  // H5 answers H1 (as an ARP reply would): the dst flows carry it without us seeing H5.
  net.hostSends(3n, 1, frame(H5, H1, 'reply'));
  await net.settle();
  t.same(where(net.deliveriesOf('reply')), ['s1:1']);
  t.same(dstFlows(net, 3n), ['01>4'], 'H5 is not known yet');

  net.hostSends(1n, 1, frame(H1, H5, 'first'));
  await net.settle();
  t.same(where(net.deliveriesOf('first')), ['s1:2', 's2:1', 's2:2', 's3:1', 's3:2', 's4:1', 's4:2'], 'an unknown destination is flooded on the tree');
  for (const d of [1n, 2n, 3n, 4n]) t.same(catches(net, d), ['05'], `s${d} waits for H5's next packet`);

  net.hostSends(3n, 1, frame(H5, H1, 'answer'));
  await net.settle();
  t.same(where(net.deliveriesOf('answer')), ['s1:1'], 'the caught packet is sent on');
  for (const d of [1n, 2n, 3n, 4n]) t.same(catches(net, d), [], `s${d}: catch gone`);
  t.same(dstFlows(net, 1n), ['01>1', '05>3']);
  t.same(dstFlows(net, 4n), ['01>3', '05>3'], 's4 reaches H5 over the tree (via s1), not the blocked link');

  const before = handled(net);
  net.hostSends(1n, 1, frame(H1, H5, 'second'));
  net.hostSends(3n, 1, frame(H5, H1, 'back'));
  await net.settle();
  t.same(where(net.deliveriesOf('second')), ['s3:1']);
  t.same(where(net.deliveriesOf('back')), ['s1:1']);
  t.equal(handled(net), before, 'both directions stay in the switches');
});

t.test('a host that moves: its flows are replaced, on every switch', async (t) => {
  const net = await ring(t);
  await h1Announces(net);
  net.hostSends(3n, 2, frame(H1, BCAST, 'moved'));
  await net.settle();
  t.same(dstFlows(net, 3n), ['01>2']);
  t.same(dstFlows(net, 1n), ['01>3'], 's1 sends to H1 through s2 now');
  t.same(dstFlows(net, 4n), ['01>3']);
  net.hostSends(1n, 2, frame(H2, H1, 'to-new-place'));
  await net.settle();
  t.same(where(net.deliveriesOf('to-new-place')), ['s3:2']);
});

t.test('VLANs are learned apart: tagged flows match OFPVID_PRESENT | vid, untagged ones OFPVID_NONE', async (t) => {
  const net = await ring(t);
  net.hostSends(1n, 1, frame(H1, BCAST, 'vlan-hello', 10));
  await net.settle();
  const f = net.flows(2n).find(isDst)!;
  t.equal(matchValue(f, 'vlan_vid'), 0x100a);
  net.hostSends(3n, 1, frame(H5, H1, 'untagged', undefined));
  await net.settle();
  t.equal(net.deliveriesOf('untagged').length, 7, 'H1 is unknown untagged: flooded, not sent on the VLAN 10 flow');
  net.hostSends(3n, 1, frame(H5, H1, 'on-vlan', 10));
  await net.settle();
  t.same(where(net.deliveriesOf('on-vlan')), ['s1:1']);
});

t.test('learning is reset when the tree changes, and only then', async (t) => {
  const net = await ring(t);
  await h1Announces(net);
  const removals = (): number => net.nodes.get(1n)!.fake.received.filter((m) => m.type === 'flow_mod' && m.command === 'delete').length;
  const before = removals();
  net.unplug(3n, 3); // s3-s4: off the tree, both directions go
  await net.settle();
  t.equal(net.c.topology.links().length, 6);
  for (const d of [1n, 2n, 3n, 4n]) t.same(dstFlows(net, d), H1_EVERYWHERE[String(d)], `s${d} kept its flow`);
  t.equal(removals(), before, 'no masked delete');

  net.unplug(1n, 3); // s1-s2: on the tree
  await net.settle();
  for (const d of [1n, 2n, 3n, 4n]) t.same(dstFlows(net, d), [], `s${d} starts over`);
  t.ok(removals() > before, 'the app removed its flows');
  await h1Announces(net);
  t.same(dstFlows(net, 2n), [], 's2 (left with s3 only) is cut off from s1: nothing to learn there');
  t.same(dstFlows(net, 4n), ['01>3'], 's4 still reaches s1 directly');
});

t.test('a broadcast on a ring is flooded along the tree and never loops, through the controller or in the switches', async (t) => {
  const net = await ring(t);
  net.hostSends(2n, 1, frame(mac(3), BCAST, 'via-controller'));
  await net.settle();
  t.same(where(net.deliveriesOf('via-controller')), ['s1:1', 's1:2', 's2:2', 's3:1', 's3:2', 's4:1', 's4:2']);
  t.equal(net.flows(1n).filter(isFlood).length, 0, 'no flood flows before the topology has been quiet');

  net.clock.advance(SETTLE_MS);
  await net.settle();
  for (const d of [1n, 2n, 3n, 4n]) t.equal(net.flows(d).filter(isFlood).length, 4, `s${d}: one flood flow per port`);
  const blocked = net.flows(3n).find((f) => isFlood(f) && matchValue(f, 'in_port') === 3)!;
  t.same(outPorts(blocked), [], 'what arrives on the blocked link is dropped');
  const edge = net.flows(3n).find((f) => isFlood(f) && matchValue(f, 'in_port') === 1)!;
  t.same(outPorts(edge), [2, 4, 'controller'], 'from a host: the other host port, the tree port, and a copy to learn from');
  const tree = net.flows(3n).find((f) => isFlood(f) && matchValue(f, 'in_port') === 4)!;
  t.same(outPorts(tree), [1, 2], 'from the tree: host ports only');

  const before = handled(net);
  net.hostSends(2n, 2, frame(mac(4), BCAST, 'in-switch'));
  await net.settle();
  t.same(where(net.deliveriesOf('in-switch')), ['s1:1', 's1:2', 's2:1', 's3:1', 's3:2', 's4:1', 's4:2']);
  t.equal(net.loops, 0);
  t.equal(handled(net), before + 1, 'one packet-in: the copy from the edge port');
  t.same(dstFlows(net, 4n), ['03>3', '04>3'], 'and it taught every switch');
});

t.test('a port change takes that switch back to controller flooding at once; flood flows return after a quiet period', async (t) => {
  const net = await ring(t);
  net.clock.advance(SETTLE_MS);
  await net.settle();
  t.equal(net.flows(2n).filter(isFlood).length, 4);
  net.unplug(2n, 3); // s2-s3: on the tree, so the tree moves too
  await net.settle();
  for (const d of [1n, 2n, 3n, 4n]) t.equal(net.flows(d).filter(isFlood).length, 0, `s${d}: no flood flows while things change`);
  net.hostSends(3n, 1, frame(H5, BCAST, 'meanwhile'));
  await net.settle();
  t.same(where(net.deliveriesOf('meanwhile')), ['s1:1', 's1:2', 's2:1', 's2:2', 's3:2', 's4:1', 's4:2'], 'the controller floods over the new tree (s3-s4 is on it now)');
  t.equal(net.loops, 0);
  net.clock.advance(SETTLE_MS);
  await net.settle();
  t.equal(net.flows(3n).filter(isFlood).length, 3, 's3: a flood flow for each port that is up');
  net.hostSends(3n, 2, frame(mac(6), BCAST, 'settled'));
  await net.settle();
  t.same(where(net.deliveriesOf('settled')), ['s1:1', 's1:2', 's2:1', 's2:2', 's3:1', 's4:1', 's4:2']);
});

t.test('a flow that idles out is forgotten: the next packet to that MAC floods and catches it again', async (t) => {
  const net = await ring(t, { idleTimeout: 30, inSwitchFlood: false });
  await h1Announces(net);
  t.equal(net.flows(2n).find(isDst)?.idle_timeout, 30, 'idleTimeout from the app config');
  t.equal(net.expire(2n, isDst), 1);
  await net.settle();
  net.hostSends(2n, 1, frame(mac(3), H1, 'after-idle'));
  await net.settle();
  t.same(where(net.deliveriesOf('after-idle')), ['s1:1'], 'delivered');
  t.same(dstFlows(net, 2n), ['01>4', '03>1'], 'H1 learned again on s2 (from where the host is attached), H3 from its packet');
});
