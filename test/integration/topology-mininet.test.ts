// Issue: switches connect and core knows the network, on real Mininet.
import t, { type Test } from 'tap';
import { mininetAvailable, startMininet, type Mininet } from '../helpers/mininet.js';
import { pollUntil, missingTool } from '../helpers/ovs.js';
import { linkSet, ofPort, startController, switchesUp } from '../helpers/controller.js';
import type { Controller } from '../../src/controller.js';

const avail = await mininetAvailable();
const skip = missingTool(avail);

async function network(t: Test, topo: string): Promise<{ c: Controller; net: Mininet; upAt: number }> {
  const c = await startController();
  t.teardown(() => c.stop());
  const net = await startMininet(topo, { controllerPort: ofPort(c) });
  t.teardown(() => net.stop());
  await switchesUp(c, net.ready.switches.map((s) => s.dpid));
  return { c, net, upAt: Date.now() };
}

for (const topo of ['linear,4', 'tree,2,3']) {
  t.test(`${topo}: within 10 s the topology holds exactly Mininet's switches and links`, { skip }, async (t) => {
    const { c, net, upAt } = await network(t, topo);
    const want = linkSet(await net.links());
    const complete = (): boolean => JSON.stringify(linkSet(c.topology.links())) === JSON.stringify(want) && c.topology.links().length === want.length * 2;
    await pollUntil('topology to match Mininet in both directions', () => complete() || undefined, 10_000);
    t.comment(`links complete ${Date.now() - upAt} ms after all switches were up`);
    t.same(c.switches.all().map((s) => s.id).sort(), net.ready.switches.map((s) => s.dpid).sort(), 'switches');
    t.same(linkSet(c.topology.links()), want, `${want.length} links, both directions discovered`);
    t.equal(c.topology.links().length, want.length * 2, 'one entry per direction');
  });
}

t.test('hosts are learned at their edge port, never on inter-switch ports; pingall works', { skip }, async (t) => {
  const { c, net } = await network(t, 'tree,2,3');
  const hostsWanted = await net.hosts();
  await pollUntil('links', () => c.topology.links().length === 6 || undefined, 10_000);
  const result = await net.pingAll({ timeout: 1 });
  t.equal(result.dropped_pct, 0, 'pingall 0% dropped with the default l2-switch app');
  // Hosts that only answered get their address from the tracker's ARP probe, a moment after the pingall.
  await pollUntil('every host with its address', () => hostsWanted.every((h) => c.hosts.byMac(h.mac)?.ipv4.includes(h.ip)) || undefined, 10_000).catch(() => undefined);
  for (const h of hostsWanted) {
    const known = c.hosts.byMac(h.mac);
    t.same(known && { dpid: known.dpid, port: known.port_no, ip: known.ipv4.includes(h.ip) }, { dpid: h.dpid, port: h.port, ip: true }, `${h.name} at ${h.dpid}/${h.port}`);
  }
  const onLinks = c.hosts.all().filter((h) => c.topology.isInterSwitchPort(h.dpid, h.port_no));
  t.same(onLinks, [], 'no host sits on an inter-switch port');
});

t.test('a link set down is gone within 3 s; set up it is back within 10 s', { skip }, async (t) => {
  const { c, net } = await network(t, 'linear,4');
  await pollUntil('links', () => c.topology.links().length === 6 || undefined, 10_000);
  const [s2, s3] = [net.ready.switches[1]!, net.ready.switches[2]!];
  const between = (): boolean => c.topology.links().some((l) => [l.src.dpid, l.dst.dpid].sort().join() === [s2.dpid, s3.dpid].sort().join());
  const t0 = Date.now();
  await net.setLink(s2.name, s3.name, 'down');
  await pollUntil('link s2-s3 to vanish', () => !between() || undefined, 3000);
  t.comment(`gone after ${Date.now() - t0} ms`);
  t.equal(c.topology.links().length, 4, 'the other links stay');
  const t1 = Date.now();
  await net.setLink(s2.name, s3.name, 'up');
  await pollUntil('link s2-s3 to return', () => (between() && c.topology.links().length === 6) || undefined, 10_000);
  t.comment(`back after ${Date.now() - t1} ms`);
  t.pass('link back');
});
