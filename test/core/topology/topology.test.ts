import t from 'tap';
import { TopologyService } from '../../../src/core/topology/topology-service.js';
import { LldpProber } from '../../../src/core/topology/lldp-probe.js';
import { FakeNet, id } from './fake-net.js';

const INTERVAL = 5000;

function setup(): { net: FakeNet; topo: TopologyService; handled: boolean[]; warnings: { obj: object; msg: string }[] } {
  const net = new FakeNet();
  const warnings: { obj: object; msg: string }[] = [];
  const log = { warn: (obj: object, msg: string) => warnings.push({ obj, msg }) };
  const topo = new TopologyService({ switches: net.registry, events: net.events, clock: net.clock, log }, { probeIntervalMs: INTERVAL, secret: 'test secret' });
  const handled: boolean[] = [];
  // The controller's packet-in path: topology first.
  net.onPacketIn((sw, pi) => handled.push(topo.handlePacketIn(sw, pi)));
  return { net, topo, handled, warnings };
}

const l = (a: bigint, pa: number, b: bigint, pb: number) => ({ src: { dpid: id(a), port_no: pa }, dst: { dpid: id(b), port_no: pb } });

t.test('a switch coming up is probed on every up port: PACKET_OUT from the controller, output to the port', async (t) => {
  const { net } = setup();
  const s1 = net.addSwitch(1n, 4);
  const outs = s1.packetOuts();
  t.equal(outs.length, 4);
  t.same(outs.map((o) => o.in_port), ['controller', 'controller', 'controller', 'controller']);
  t.same(outs.map((o) => o.actions), [1, 2, 3, 4].map((port) => [{ type: 'output', port, max_len: 0 }]));
  t.same(outs.map((o) => o.data.readUInt16BE(12)), [0x88cc, 0x88cc, 0x88cc, 0x88cc]);
});

t.test('links are learned in both directions, one link.up per direction, once', async (t) => {
  const { net, topo, handled } = setup();
  net.cable(1n, 1, 2n, 2);
  net.addSwitch(1n);
  net.addSwitch(2n);
  // s1's probe makes the first direction, whose reverse is unknown, so s2 probes back at once;
  // s2's own probe was already on the wire, so that third one only refreshes.
  t.equal(net.flush(), 3, 'one probe each way crossed the cable, plus the probe back');
  t.same(handled, [true, true, true], 'every packet-in was claimed as LLDP');
  t.equal(topo.counters.reverseProbes, 1);
  t.same(topo.links(), [l(1n, 1, 2n, 2), l(2n, 2, 1n, 1)]);
  t.same(net.eventsOf('link.up').map((e) => e.data), [l(1n, 1, 2n, 2), l(2n, 2, 1n, 1)], 'in arrival order');
  t.equal(net.eventsOf('link.up').length, 2);
  net.clock.advance(INTERVAL);
  net.flush();
  net.clock.advance(INTERVAL);
  net.flush();
  t.equal(net.eventsOf('link.up').length, 2, 'refreshing probes raise no new events');
  t.equal(topo.links().length, 2);
  t.ok(topo.isInterSwitchPort(1n, 1));
  t.ok(topo.isInterSwitchPort('0000000000000002', 2));
  t.notOk(topo.isInterSwitchPort(1n, 3));
  t.same(topo.neighbors(1n), [{ port_no: 1, peer: { dpid: id(2n), port_no: 2 } }]);
  t.same(topo.neighbors('2'), [{ port_no: 2, peer: { dpid: id(1n), port_no: 1 } }], 'short hex dpid accepted');
});

t.test('LLDP a host sends (forged, foreign, replayed) makes no link, and is still claimed', async (t) => {
  const { net, topo, handled } = setup();
  net.addSwitch(1n);
  net.addSwitch(2n);
  const forged = new LldpProber(Buffer.from('guessed secret')).build({ dpid: 2n, port: 1, srcMac: '02:00:00:00:00:66', timestamp: net.clock.now(), ttlSeconds: 15 });
  net.hostSends(1n, 3, forged);
  const captured = net.links.get(2n)!.packetOuts()[0]!.data; // a real probe a host on s2 port 1 could have recorded
  net.clock.advance(4 * INTERVAL);
  net.discard();
  net.hostSends(1n, 3, captured);
  t.same(handled, [true, true]);
  t.equal(topo.links().length, 0);
  t.equal(net.eventsOf('link.up').length, 0);
  t.equal(topo.counters.rejected.bad_hmac, 1);
  t.equal(topo.counters.rejected.stale, 1);
});

t.test('links expire when probes stop arriving', async (t) => {
  const { net, topo } = setup();
  net.cable(1n, 1, 2n, 2);
  net.addSwitch(1n);
  net.addSwitch(2n);
  net.flush();
  t.equal(topo.links().length, 2);
  net.cut(1n, 1); // no PORT_STATUS: only the missing probes tell
  net.clock.advance(3 * INTERVAL);
  t.equal(net.flush(), 0);
  t.equal(topo.links().length, 2, 'still there at exactly 3 intervals');
  net.clock.advance(INTERVAL);
  t.same(topo.links(), [], 'gone on the next check');
  const downs = net.eventsOf('link.down');
  t.equal(downs.length, 2);
  t.match(downs[0]!.data.reason, /no probe for 15000 ms/);
});

for (const [name, change, reason] of [
  ['port_down (config)', { config: ['port_down'] }, 'port down'],
  ['link_down (state)', { state: ['link_down'] }, 'port down'],
  ['port deleted', 'delete', 'port deleted'],
] as const) {
  t.test(`a link vanishes at once when a port goes away: ${name}`, async (t) => {
    const { net, topo } = setup();
    net.cable(1n, 1, 2n, 2);
    net.addSwitch(1n);
    net.addSwitch(2n);
    net.flush();
    net.portStatus(2n, 2, change === 'delete' ? 'delete' : { ...change });
    t.same(topo.links(), [], 'no clock advance needed');
    t.same(net.eventsOf('link.down').map((e) => e.data.reason), [reason, reason], 'both directions, with the reason');
    t.notOk(topo.isInterSwitchPort(1n, 1));
  });
}

t.test('a port coming back up is probed right away, and a probe in flight to a down port is ignored', async (t) => {
  const { net, topo } = setup();
  net.cable(1n, 1, 2n, 2);
  net.addSwitch(1n);
  net.addSwitch(2n);
  net.portStatus(2n, 2, { config: ['port_down'] }); // while both probes are on the wire
  t.equal(net.flush(), 2);
  t.same(topo.links(), [], 'neither in-flight probe made a link');
  t.equal(topo.counters.rejected.unknown_port, 2);
  const before = net.links.get(2n)!.packetOuts().length;
  net.portStatus(2n, 2, { config: [] });
  const after = net.links.get(2n)!.packetOuts();
  t.equal(after.length, before + 1, 'one probe, now');
  t.same(after.at(-1)!.actions, [{ type: 'output', port: 2, max_len: 0 }]);
  net.flush();
  t.same(topo.links(), [l(1n, 1, 2n, 2), l(2n, 2, 1n, 1)], 'both directions learned without waiting for the interval (the second from the probe back)');
});

t.test('a link seen in one direction is probed back at once, so the cable is known in one round trip', async (t) => {
  const { net, topo } = setup();
  net.cable(1n, 1, 2n, 2);
  net.addSwitch(1n);
  t.equal(net.discard(), 1, "s1's probe was lost: s2 was not connected yet");
  net.addSwitch(2n);
  t.equal(net.flush(), 2, "s2's probe, then s1's probe back");
  t.same(topo.links(), [l(1n, 1, 2n, 2), l(2n, 2, 1n, 1)], 'both directions, with no clock advance');
  t.equal(topo.counters.reverseProbes, 1);
  t.same(net.links.get(1n)!.packetOuts().at(-1)!.actions, [{ type: 'output', port: 1, max_len: 0 }], 'out of the port the link arrived on');
});

t.test('probing back is limited to once per port per second, so a flapping peer cannot cause a probe storm', async (t) => {
  const { net, topo } = setup();
  net.cable(1n, 1, 2n, 2);
  net.addSwitch(1n);
  net.addSwitch(2n);
  net.discard();
  const probe = net.links.get(1n)!.packetOuts().find((o) => o.actions[0]?.type === 'output' && o.actions[0].port === 1)!.data;
  /** s1's probe arrives at s2 while every probe s2 sends is lost: the link stays one-way. */
  const oneWay = (): void => {
    net.portStatus(2n, 2, { state: ['link_down'] });
    net.portStatus(2n, 2, { state: ['live'] });
    net.discard();
    net.hostSends(2n, 2, probe);
    net.discard();
  };
  oneWay();
  t.same(topo.links(), [], 'one direction alone is not a link');
  t.same(topo.pendingLinks(), [l(1n, 1, 2n, 2)], 'it waits for its reverse');
  t.equal(topo.counters.reverseProbes, 1, 'the first time: probed back');
  oneWay();
  t.same(topo.pendingLinks(), [l(1n, 1, 2n, 2)], 'seen again after the port flap');
  t.equal(topo.counters.reverseProbes, 1, 'within the second: not again');
  net.clock.advance(1000);
  oneWay();
  t.equal(topo.counters.reverseProbes, 2, 'a second later: again');
  t.equal(net.eventsOf('link.up').length, 0, 'never reported');
});

t.test('a switch leaving takes its links with it at once', async (t) => {
  const { net, topo } = setup();
  net.cable(1n, 1, 2n, 2);
  net.cable(2n, 1, 3n, 1);
  for (const d of [1n, 2n, 3n]) net.addSwitch(d);
  net.flush();
  t.equal(topo.links().length, 4);
  net.removeSwitch(2n);
  t.same(topo.links(), []);
  t.same(net.eventsOf('link.down').map((e) => e.data.reason), Array(4).fill('switch down'));
  t.same(topo.floodPorts(1n, 3), [1, 2, 4], 'port 1 is an edge port again');
  const switchDown = net.log.findIndex((e) => e.type === 'switch.down');
  t.ok(net.log.findIndex((e) => e.type === 'link.down') < switchDown, 'link.down comes before switch.down');
});

t.test('a re-cabled port: the new peer replaces the old one', async (t) => {
  const { net, topo } = setup();
  net.cable(1n, 1, 2n, 2);
  for (const d of [1n, 2n, 3n]) net.addSwitch(d);
  net.flush();
  net.cut(1n, 1);
  net.cable(1n, 1, 3n, 2);
  topo.probeAll();
  net.flush();
  t.same(topo.links(), [l(1n, 1, 3n, 2), l(3n, 2, 1n, 1)]);
  t.same(net.eventsOf('link.down').map((e) => e.data.reason), ['replaced by a new peer', 'replaced by a new peer']);
});

t.test('ring of four: tree, paths, and flooding that reaches every host once and never loops', async (t) => {
  const { net, topo } = setup();
  // Port 1 to the next switch, port 2 to the previous, port 3 a host.
  const ring = [1n, 2n, 3n, 4n];
  ring.forEach((d, i) => net.cable(d, 1, ring[(i + 1) % 4]!, 2));
  for (const d of ring) net.addSwitch(d, 3);
  net.flush();
  t.equal(topo.links().length, 8);
  const tree = Object.fromEntries([...topo.spanningTree()].map(([k, v]) => [k, [...v].sort()]));
  t.same(tree, { [id(1n)]: [1, 2], [id(2n)]: [1, 2], [id(3n)]: [2], [id(4n)]: [1] }, 'the s3-s4 link is off the tree');
  t.same(topo.shortestPath(1n, 3n, { inPort: 3, outPort: 3 }), [
    { dpid: id(1n), inPort: 3, outPort: 1 },
    { dpid: id(2n), inPort: 2, outPort: 1 },
    { dpid: id(3n), inPort: 2, outPort: 3 },
  ]);
  t.same(topo.floodPorts(3n, 1), [], 'nothing is flooded from a blocked inter-switch port');
  t.same(topo.floodPorts(3n, 3), [2], 'a host packet on s3 goes only up the tree');

  // Flood a broadcast from the host on s1 by following floodPorts over the cables.
  const peer = (d: bigint, p: number): [bigint, number] | undefined => {
    const i = ring.indexOf(d);
    if (p === 1) return [ring[(i + 1) % 4]!, 2];
    if (p === 2) return [ring[(i + 3) % 4]!, 1];
    return undefined;
  };
  const visits = new Map<bigint, number>();
  const hostCopies: string[] = [];
  const queue: [bigint, number][] = [[1n, 3]];
  for (let steps = 0; queue.length > 0; steps++) {
    if (steps > 50) return t.fail('flooding did not stop: a loop');
    const [d, inPort] = queue.shift()!;
    visits.set(d, (visits.get(d) ?? 0) + 1);
    for (const p of topo.floodPorts(d, inPort)) {
      const next = peer(d, p);
      if (next) queue.push(next);
      else hostCopies.push(`${d}/${p}`);
    }
  }
  t.same([...visits.values()], [1, 1, 1, 1], 'every switch sees the broadcast exactly once');
  t.same(hostCopies.sort(), ['2/3', '3/3', '4/3'], 'every other host gets one copy');
});

t.test('snapshot is plain JSON with port roles; stop() ends the probing', async (t) => {
  const { net, topo } = setup();
  net.cable(1n, 1, 2n, 1);
  net.addSwitch(1n, 2);
  net.addSwitch(2n, 2);
  net.flush();
  const snap = JSON.parse(JSON.stringify(topo.snapshot()));
  t.equal(snap.switches.length, 2);
  t.same(snap.switches[0].ports.map((p: { port_no: number; inter_switch: boolean; on_tree: boolean; up: boolean }) => [p.port_no, p.up, p.inter_switch, p.on_tree]), [
    [1, true, true, true],
    [2, true, false, false],
  ]);
  t.equal(snap.links.length, 2);
  topo.stop();
  const sent = net.links.get(1n)!.packetOuts().length;
  net.clock.advance(10 * INTERVAL);
  t.equal(net.links.get(1n)!.packetOuts().length, sent, 'no probes after stop');
  t.equal(topo.links().length, 2, 'and no expiry either');
});

t.test('a genuine probe captured on a host port and injected live into another switch makes no link', async (t) => {
  const { net, topo, warnings } = setup();
  net.addSwitch(1n);
  net.addSwitch(2n);
  net.discard();
  // The attacker's host on s1 port 3 records s1's probe and replays it at once from its twin on s2 port 3.
  const captured = net.links.get(1n)!.packetOuts().find((o) => o.actions[0]?.type === 'output' && o.actions[0].port === 3)!.data;
  net.hostSends(2n, 3, captured);
  net.discard(); // the probe back out of s2 port 3 reaches the attacker's host, not s1 port 3
  t.same(topo.links(), [], 'no link from one direction');
  t.same(topo.pendingLinks(), [l(1n, 3, 2n, 3)]);
  t.equal(topo.counters.reverseProbes, 1, 'the far end was asked to confirm');
  for (let i = 0; i < 4; i++) {
    net.clock.advance(INTERVAL);
    net.discard();
  }
  t.same(topo.pendingLinks(), [], 'unconfirmed directions expire');
  t.equal(topo.counters.oneWayExpired, 1, 'counted');
  t.equal(net.eventsOf('link.up').length, 0, 'never reported');
  t.ok(warnings.some((w) => (w.obj as { reason?: string }).reason === 'one_way'), 'logged');
});

t.test('the same probe seen at a second port is a copy, and is ignored and counted', async (t) => {
  const { net, topo, warnings } = setup();
  net.cable(1n, 1, 2n, 2);
  net.addSwitch(1n);
  net.addSwitch(2n);
  net.flush();
  t.equal(topo.links().length, 2);
  const probe = net.links.get(1n)!.packetOuts().find((o) => o.actions[0]?.type === 'output' && o.actions[0].port === 1)!.data;
  net.hostSends(2n, 4, probe); // the copy, injected elsewhere within the probe's lifetime
  t.equal(topo.counters.rejected.relayed, 1);
  t.same(topo.pendingLinks(), [], 'not even a candidate');
  t.equal(topo.links().length, 2, 'the real link is untouched');
  t.ok(warnings.some((w) => (w.obj as { reason?: string }).reason === 'relayed'), 'logged');
});

t.test('a probe older than its tight age bound (2 s) is stale, though links live 15 s', async (t) => {
  const { net, topo } = setup();
  net.addSwitch(1n);
  net.addSwitch(2n);
  net.discard();
  const probe = net.links.get(1n)!.packetOuts()[0]!.data;
  net.clock.advance(2500);
  net.hostSends(2n, 1, probe);
  t.equal(topo.counters.rejected.stale, 1);
  t.same(topo.pendingLinks(), []);
});

t.test('ignored probes are logged rate-limited: the first of a kind at once, then a summary per interval', async (t) => {
  const { net, topo, warnings } = setup();
  net.addSwitch(1n);
  net.addSwitch(2n);
  const forged = new LldpProber(Buffer.from('guessed secret')).build({ dpid: 2n, port: 1, srcMac: '02:00:00:00:00:66', timestamp: net.clock.now(), ttlSeconds: 15 });
  for (let i = 0; i < 1000; i++) net.hostSends(1n, 3, forged);
  t.equal(topo.counters.rejected.bad_hmac, 1000);
  t.equal(warnings.length, 1, 'one line for the first');
  net.clock.advance(INTERVAL);
  net.discard();
  net.clock.advance(INTERVAL);
  net.discard();
  const summaries = warnings.filter((w) => /since the last summary/.test(w.msg));
  t.equal(summaries.length, 1, 'one summary line');
  t.match(summaries[0]!.obj, { ignored: { bad_hmac: 999 } });
});
