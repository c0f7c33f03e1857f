// Mininet linear,3 against our OpenFlowServer: all switches come up with the
// dpids Mininet gave them, the driver's link list matches the ports the
// switches reported, and stopping leaves no bridge or interface behind.
import t from 'tap';
import { OpenFlowServer } from '../../src/openflow/channel/server.js';
import type { SwitchConnection, SwitchInfo } from '../../src/openflow/channel/connection.js';
import { memoryLog } from '../helpers/quiet-log.js';
import { mininetAvailable, startMininet } from '../helpers/mininet.js';
import { must, waitForEvent, missingTool } from '../helpers/ovs.js';

const hex = (d: bigint): string => d.toString(16).padStart(16, '0');

/** Resolves when every dpid in `want` is up at the server (event-driven). */
async function allUp(srv: OpenFlowServer, want: readonly string[], timeoutMs = 30_000): Promise<void> {
  const missing = (): string[] => want.filter((d) => !srv.get(BigInt(`0x${d}`)));
  if (missing().length === 0) return;
  await waitForEvent(srv, 'switch-up', () => missing().length === 0, `switches ${missing().join(', ')} to come up`, timeoutMs);
}

async function namesWithPrefix(prefix: string): Promise<{ bridges: string[]; links: string[] }> {
  const bridges = (await must('ovs-vsctl', ['list-br'])).split('\n').filter((n) => n.startsWith(prefix));
  const links = (await must('ip', ['-o', 'link']))
    .split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0] ?? '')
    .filter((n) => n.startsWith(prefix));
  return { bridges, links };
}

// no root / no OVS / no Mininet: one SKIP line with the reason, and a pass
const avail = await mininetAvailable();
const skip = missingTool(avail);

t.test('linear,3: switches up, links and dpids agree, stop leaves nothing', { skip }, async (t) => {
  const srv = new OpenFlowServer({ port: 0, host: '127.0.0.1', log: memoryLog() });
  const { port } = await srv.listen();
  t.teardown(() => srv.close());
  const infos = new Map<string, SwitchInfo>();
  srv.on('switch-up', (_c: SwitchConnection, info: SwitchInfo) => infos.set(info.id, info));

  const t0 = Date.now();
  const net = await startMininet('linear,3', { controllerPort: port });
  t.teardown(() => net.stop());
  const tReady = Date.now();
  const want = net.ready.switches.map((s) => s.dpid);
  t.same(want, ['0000000000000001', '0000000000000002', '0000000000000003'], 'switch n has dpid n');
  t.ok(net.ready.switches.every((s) => s.name.startsWith(net.prefix)), `switch names carry the prefix ${net.prefix}`);
  await allUp(srv, want);
  const tUp = Date.now();
  t.comment(`driver ready in ${tReady - t0} ms (Mininet ${net.ready.elapsed_ms} ms), all switches up after ${tUp - t0} ms`);

  const switches = await net.switches();
  t.same(switches.map((s) => s.dpid).sort(), [...srv.switches.keys()].map(hex).sort(), "the driver's dpids are the server's");

  const links = await net.links();
  t.equal(links.length, 2, 'two inter-switch links');
  const pairs = links.map((l) => [l.a.dpid, l.b.dpid].sort().join('-')).sort();
  t.same(pairs, ['0000000000000001-0000000000000002', '0000000000000002-0000000000000003'], 's1-s2 and s2-s3');
  for (const l of links) {
    for (const end of [l.a, l.b]) {
      const reported = infos.get(end.dpid)?.ports.find((p) => p.port_no === end.port);
      t.equal(reported?.name, end.name, `${end.dpid} port ${end.port} is ${end.name} at the controller too`);
    }
    t.ok(l.up, `${l.a.name} <-> ${l.b.name} is up`);
  }
  const hosts = await net.hosts();
  t.same(hosts.map((h) => [h.dpid, h.port]), want.map((d) => [d, 1]), 'host n hangs off port 1 of switch n');

  const downs = new Set<string>();
  const allDown = waitForEvent<[SwitchConnection]>(srv, 'switch-down', (c) => {
    if (c.dpid !== undefined) downs.add(hex(c.dpid));
    return want.every((d) => downs.has(d));
  }, 'all three switches to go down');
  const tStop = Date.now();
  const report = await net.stop();
  t.comment(`stop took ${Date.now() - tStop} ms`);
  t.equal(report.code, 0, 'the driver exited 0');
  t.same(report.leftovers, [], 'the driver removed its own bridges and interfaces');
  t.same(await namesWithPrefix(net.prefix), { bridges: [], links: [] }, `no bridge or interface named ${net.prefix}* remains`);
  await allDown;
  t.equal(srv.switches.size, 0, 'the server saw every switch go');
});
