// Three Switchyard instances (child processes, `--cluster`) on one
// three-member etcd and one OVS bridge connected to all of them: what is
// created through one instance's REST is what every instance answers and
// what the switch gets from any of them; with etcd's quorum gone writes are
// refused with a clear 503 while reads keep answering, and all is well
// again once etcd is back.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnController, type ControllerProcess } from '../helpers/controller-process.js';
import { etcdAvailable, startEtcd } from '../helpers/etcd.js';
import { cleanup, createBridge, dumpFlows, missingTool, must, ovsAvailable, ovsPrefix, pollUntil } from '../helpers/ovs.js';

const [etcdOk, ovsOk] = await Promise.all([etcdAvailable(), ovsAvailable()]);
const skip = missingTool(etcdOk) || missingTool(ovsOk);

interface Reply {
  status: number;
  body: any;
}

async function call(c: ControllerProcess, method: string, path: string, body?: unknown): Promise<Reply> {
  const r = await fetch(c.rest + path, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}), signal: AbortSignal.timeout(20_000) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

async function hasSwitch(c: ControllerProcess, dpid: string): Promise<boolean> {
  const r = await call(c, 'GET', '/switches');
  return Array.isArray(r.body) && r.body.some((s: { dpid: string }) => s.dpid === dpid);
}

t.test('three instances share users\' state through etcd', { skip }, async (t) => {
  t.teardown(cleanup);
  const etcd = await startEtcd({ members: 3 });
  t.teardown(() => etcd.stop());
  const dir = mkdtempSync(join(tmpdir(), 'sy-cluster-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // container-net without the Docker plugin and on a bridge of ours: nothing of the machine's is touched.
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ apps_config: { 'container-net': { plugin: false, bridge: `${ovsPrefix}cn` } } }));
  const names = ['a', 'b', 'c'];
  const nodes = await Promise.all(names.map((n) => spawnController(['--cluster', etcd.clusterUrl, '--node-id', n, '--apps', 'container-net', '--state-dir', join(dir, n), '--config', config, '--log-format', 'json'])));
  t.teardown(() => Promise.all(nodes.map((n) => n.stop())));
  const [a, b, c] = nodes as [ControllerProcess, ControllerProcess, ControllerProcess];
  t.ok(a.lines.some((l) => l.msg === 'state store open' && String(l.store).startsWith('etcd at ')), 'the instance says its state is on etcd');

  const br = await createBridge('cl', { controllerPort: a.ofPort, ports: 2 });
  await must('ovs-vsctl', ['set-controller', br.name, ...nodes.map((n) => `tcp:127.0.0.1:${n.ofPort}`)]);
  for (const n of nodes) await pollUntil(`the switch on ${n.rest}`, async () => hasSwitch(n, br.dpid), 30_000, 100);
  const FLOWS = `/switches/${br.dpid}/flows`;

  // A REST flow through A; a network through B; an endpoint-free network deleted through C.
  const add = await call(a, 'POST', FLOWS, { priority: 1234, match: { in_port: 1 }, actions: [{ type: 'output', port: 2 }] });
  t.equal(add.status, 201, JSON.stringify(add.body));
  const net = await call(b, 'POST', '/networks', { name: 'blue', subnet: '10.77.0.0/24', bridge: `${ovsPrefix}x` });
  t.equal(net.status, 201, JSON.stringify(net.body));
  t.equal((await call(c, 'POST', '/networks', { name: 'tmp', subnet: '10.78.0.0/24', bridge: `${ovsPrefix}x` })).status, 201);
  for (const n of nodes) {
    await pollUntil(`${n.rest} to list blue and tmp`, async () => (await call(n, 'GET', '/networks')).body?.networks?.length === 2, 10_000, 50);
  }
  t.equal((await call(a, 'DELETE', '/networks/tmp')).status, 204, 'a network made on C deleted through A');
  for (const n of nodes) {
    await pollUntil(`${n.rest} to list only blue`, async () => JSON.stringify((await call(n, 'GET', '/networks')).body?.networks?.map((x: { name: string }) => x.name)) === '["blue"]', 10_000, 50);
  }
  t.same((await call(c, 'GET', '/networks/blue')).body.subnet, '10.77.0.0/24', 'C answers the same as B');
  t.equal((await call(c, 'POST', '/networks', { name: 'blue', subnet: '10.79.0.0/24', bridge: `${ovsPrefix}x` })).status, 409, 'the name is taken cluster-wide');
  t.equal((await call(a, 'POST', '/networks', { name: 'other', subnet: '10.77.0.128/25', bridge: `${ovsPrefix}x` })).status, 409, 'so is the subnet');

  // The flow is in B's desired state too: with the switch wiped and connected to B alone, B puts it back.
  await must('ovs-vsctl', ['del-controller', br.name]);
  await must('ovs-ofctl', ['-O', 'OpenFlow13', 'del-flows', br.name]);
  await must('ovs-vsctl', ['set-controller', br.name, `tcp:127.0.0.1:${b.ofPort}`]);
  await pollUntil('B to install the flow made through A', async () => (await dumpFlows(br.name)).some((l) => l.includes('priority=1234') && l.includes('actions=output:2')), 30_000, 100);
  await must('ovs-vsctl', ['set-controller', br.name, ...nodes.map((n) => `tcp:127.0.0.1:${n.ofPort}`)]);
  for (const n of nodes) await pollUntil(`the switch back on ${n.rest}`, async () => hasSwitch(n, br.dpid), 30_000, 100);

  // etcd loses its quorum (two of three members killed).
  await etcd.killMember(1);
  await etcd.killMember(2);
  const t0 = Date.now();
  const refused = await call(b, 'POST', FLOWS, { priority: 999, match: { in_port: 2 }, actions: [{ type: 'output', port: 1 }] });
  const ms = Date.now() - t0;
  t.equal(refused.status, 503, JSON.stringify(refused.body));
  t.equal(refused.body.error, 'store_unavailable');
  t.match(refused.body.message, /etcd .*quorum.*retry once etcd is back/, 'the message says what is wrong and what to do');
  t.ok(ms < 8000, `answered within the store's deadline (${ms} ms)`);
  t.notOk((await dumpFlows(br.name)).some((l) => l.includes('priority=999')), 'the refused flow is not left on the switch');
  const refusedNet = await call(c, 'POST', '/networks', { name: 'red', subnet: '10.80.0.0/24', bridge: `${ovsPrefix}x` });
  t.equal(refusedNet.status, 503, JSON.stringify(refusedNet.body));
  t.equal(refusedNet.body.error, 'store_unavailable');
  t.equal((await call(a, 'DELETE', '/networks/blue')).status, 503, 'deletes too');
  const reads = await call(a, 'GET', '/networks');
  t.equal(reads.status, 200, 'reads still answer');
  t.same(reads.body.networks.map((x: { name: string }) => x.name), ['blue']);
  t.equal((await call(b, 'GET', FLOWS)).status, 200);
  t.equal((await call(c, 'GET', '/health')).status, 200, 'the instances keep running');

  // One member back: quorum again; writes go through, and every instance sees them.
  await etcd.restartMember(1);
  await pollUntil('a write through C to succeed again', async () => (await call(c, 'POST', '/networks', { name: 'red', subnet: '10.80.0.0/24', bridge: `${ovsPrefix}x` })).status === 201, 30_000, 250);
  for (const n of nodes) await pollUntil(`${n.rest} to list red`, async () => (await call(n, 'GET', '/networks')).body?.networks?.some((x: { name: string }) => x.name === 'red'), 30_000, 100);
  // B's client may still be backing off from the members it lost: its writes come back within seconds too.
  let again: { status: number; body: unknown } = { status: 0, body: undefined };
  await pollUntil('a flow write through B to succeed again', async () => (again = await call(b, 'POST', FLOWS, { priority: 999, match: { in_port: 2 }, actions: [{ type: 'output', port: 1 }] })).status === 201 || undefined, 30_000, 250).catch(() => {});
  t.equal(again.status, 201, JSON.stringify(again.body));
  t.ok((await dumpFlows(br.name)).some((l) => l.includes('priority=999')), 'and the flow is on the switch');
});
