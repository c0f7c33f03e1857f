// Issue 4: the REST view of a real network (Mininet, OVS userspace datapath).
// GET /topology's links are Mininet's links; a port set admin down through
// PATCH leaves GET /links; hosts and paths after a pingall; live statistics
// and a packet-out against real OVS.
import t, { type Test } from 'tap';
import { mininetAvailable, startMininet, type Mininet } from '../helpers/mininet.js';
import { pollUntil, run, missingTool } from '../helpers/ovs.js';
import { linkSet, ofPort, startController, switchesUp } from '../helpers/controller.js';
import type { Controller } from '../../src/controller.js';

const avail = await mininetAvailable();
const skip = missingTool(avail);

interface Rest {
  (method: 'GET' | 'PATCH' | 'POST', url: string, payload?: object): Promise<{ status: number; body: any }>;
}

async function network(t: Test, topo: string): Promise<{ c: Controller; net: Mininet; rest: Rest }> {
  const c = await startController();
  t.teardown(() => c.stop());
  const net = await startMininet(topo, { controllerPort: ofPort(c) });
  t.teardown(() => net.stop());
  await switchesUp(c, net.ready.switches.map((s) => s.dpid));
  const rest: Rest = async (method, url, payload) => {
    const r = await c.api!.app.inject({ method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: r.json() };
  };
  return { c, net, rest };
}

t.test('GET /topology links are Mininet\'s links, both directions; a port set down through PATCH leaves GET /links', { skip }, async (t) => {
  const { net, rest } = await network(t, 'linear,4');
  const mn = await net.links();
  const want = linkSet(mn);
  const topo = await pollUntil('REST topology to match Mininet', async () => {
    const r = await rest('GET', '/topology');
    return JSON.stringify(linkSet(r.body.links)) === JSON.stringify(want) && r.body.links.length === 2 * want.length ? r.body : undefined;
  }, 15_000);
  t.same(linkSet(topo.links), want, `${want.length} links`);
  t.equal(topo.links.length, 2 * want.length, 'one entry per direction');
  t.same(topo.switches.map((s: { dpid: string }) => s.dpid), net.ready.switches.map((s) => s.dpid).sort(), 'switches');
  t.ok(topo.seq > 0, 'a sequence number');
  const switches = (await rest('GET', '/switches')).body;
  t.equal(switches.length, 4);
  t.match(switches[0].description.mfr_desc, /Nicira/, 'OVS says who made it');

  // s2's port towards s3, set down through the API.
  const [s2, s3] = [net.ready.switches[1]!, net.ready.switches[2]!];
  const cable = mn.find((l) => [l.a.switch, l.b.switch].sort().join() === [s2.name, s3.name].sort().join())!;
  const end = cable.a.switch === s2.name ? cable.a : cable.b;
  const between = (links: { src: { dpid: string }; dst: { dpid: string } }[]): number =>
    links.filter((l) => [l.src.dpid, l.dst.dpid].sort().join() === [s2.dpid, s3.dpid].sort().join()).length;
  const t0 = Date.now();
  const down = await rest('PATCH', `/switches/${s2.dpid}/ports/${end.port}`, { admin: 'down' });
  t.equal(down.status, 200, 'answered after the PORT_STATUS');
  t.match(down.body, { port_no: end.port, name: end.name, up: false });
  t.ok(down.body.config.includes('port_down'));
  await pollUntil('the s2-s3 link to leave GET /links', async () => between((await rest('GET', '/links')).body) === 0 || undefined, 3000);
  t.comment(`link gone ${Date.now() - t0} ms after the PATCH`);
  const show = await run('ovs-ofctl', ['-O', 'OpenFlow13', 'show', s2.name]);
  t.match(show.stdout, new RegExp(`${end.port}\\(${end.name}\\):[^\\n]*\\n\\s+config:\\s+PORT_DOWN`), 'OVS holds the port down');
  t.equal((await rest('GET', '/links')).body.length, 2 * (want.length - 1), 'the other links stay');

  const up = await rest('PATCH', `/switches/${s2.dpid}/ports/${end.port}`, { admin: 'up' });
  t.equal(up.status, 200);
  t.notOk(up.body.config.includes('port_down'));
  await pollUntil('the link to return', async () => between((await rest('GET', '/links')).body) === 2 || undefined, 10_000);
  t.pass('back in both directions');
});

t.test('after a pingall: GET /hosts is Mininet\'s hosts and GET /paths walks the line', { skip }, async (t) => {
  const { net, rest } = await network(t, 'linear,3');
  await pollUntil('links', async () => (await rest('GET', '/links')).body.length === 4 || undefined, 15_000);
  t.equal((await net.pingAll({ timeout: 1 })).dropped_pct, 0, 'pingall');
  const hosts = await net.hosts();
  type Known = { mac: string; ipv4: string[]; dpid: string; port_no: number }[];
  // A host that only answered has its address learned by the host tracker's ARP probe, a moment after the pingall.
  const known = await pollUntil('every host with its address', async () => {
    const list = (await rest('GET', '/hosts')).body as Known;
    return hosts.every((h) => list.find((k) => k.mac === h.mac)?.ipv4.includes(h.ip)) ? list : undefined;
  }, 10_000).catch(async () => (await rest('GET', '/hosts')).body as Known);
  for (const h of hosts) {
    t.match(known.find((k) => k.mac === h.mac), { dpid: h.dpid, port_no: h.port, ipv4: [h.ip] }, `${h.name} at ${h.dpid}/${h.port}`);
  }
  const [h1, h3] = [hosts[0]!, hosts[2]!];
  const p = await rest('GET', `/paths?src=${h1.ip}&dst=${h3.mac}`);
  t.equal(p.status, 200);
  t.same(p.body.hops.map((x: { dpid: string }) => x.dpid), net.ready.switches.map((s) => s.dpid), 's1, s2, s3');
  t.equal(p.body.hops[0].in_port, h1.port, 'enters at h1\'s port');
  t.equal(p.body.hops[2].out_port, h3.port, 'leaves at h3\'s port');
});

t.test('statistics and packet-out against real OVS', { skip }, async (t) => {
  const { net, rest } = await network(t, 'single,2');
  const sw = net.ready.switches[0]!;
  const h1 = (await net.hosts())[0]!;
  for (const kind of ['ports', 'flows', 'tables', 'aggregate', 'queues', 'groups', 'meters']) {
    const r = await rest('GET', `/switches/${sw.dpid}/stats/${kind}`);
    t.equal(r.status, 200, `stats/${kind}: ${r.status === 200 ? 'ok' : JSON.stringify(r.body)}`);
  }
  const flows = (await rest('GET', `/switches/${sw.dpid}/stats/flows`)).body as { priority: number; cookie: string }[];
  t.ok(flows.some((f) => f.priority === 65000), 'the LLDP flow is on the switch');
  const active = (await rest('GET', `/switches/${sw.dpid}/stats/tables?active=true`)).body as { table_id: number }[];
  t.ok(active.some((x) => x.table_id === 0), 'table 0 holds flows');

  const txOf = async (): Promise<bigint> => {
    const ports = (await rest('GET', `/switches/${sw.dpid}/stats/ports?port_no=${h1.port}`)).body as { tx_packets: string }[];
    return BigInt(ports[0]!.tx_packets);
  };
  const before = await txOf();
  const frame = { eth_dst: h1.mac, eth_src: '02:00:00:00:99:99', eth_type: 0x88b5, payload: '00'.repeat(46) };
  for (let i = 0; i < 5; i++) {
    const r = await rest('POST', `/switches/${sw.dpid}/packet-out`, { actions: [{ type: 'output', port: h1.port }], packet: frame });
    t.equal(r.status, 200, `packet-out ${i}`);
  }
  const after = await pollUntil('tx_packets to grow by 5', async () => {
    const n = await txOf();
    return n >= before + 5n ? n : undefined;
  }, 5000);
  t.ok(after >= before + 5n, `tx_packets ${before} -> ${after}`);
  const bad = await rest('POST', `/switches/${sw.dpid}/packet-out`, { actions: [{ type: 'output', port: 70000 }], packet: frame });
  t.equal(bad.status, 400, `OVS refuses output beyond its port range (0xff00): ${JSON.stringify(bad.body)}`);
  t.match(bad.body, { error: 'openflow_error', details: { type: 'bad_action' } });
});
