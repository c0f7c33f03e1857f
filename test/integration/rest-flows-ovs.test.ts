// The REST flow, group and meter routes against a real Open vSwitch bridge:
// what the API adds is what `ovs-ofctl dump-flows` shows, OVS's refusals come
// back decoded, and stored flows survive del-flows plus a controller restart.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Controller } from '../../src/controller.js';
import { cleanup, createBridge, dumpFlows, ofctl, ovsAvailable, pollUntil, missingTool } from '../helpers/ovs.js';
import { ofPort, startController, switchesUp } from '../helpers/controller.js';

const avail = await ovsAvailable();
const skip = missingTool(avail);

async function call(c: Controller, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<{ status: number; body: any }> {
  const r = await c.api!.app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: r.statusCode, body: r.json() };
}

t.test('REST flows, groups and meters on an OVS bridge', { skip }, async (t) => {
  t.teardown(cleanup);
  const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-rest-ovs-'));
  let c = await startController({ apps: [], stateDir });
  t.teardown(() => c.stop());
  const br = await createBridge('rf', { controllerPort: ofPort(c), ports: 2 });
  await switchesUp(c, [br.dpid]);
  await pollUntil('the controller\'s flows on the bridge', async () => (await dumpFlows(br.name)).length >= 2 || undefined, 10_000);
  const FLOWS = `/api/v1/switches/${br.dpid}/flows`;

  // One flow in, the same flow in dump-flows (OVS prints the normalised /24).
  const add = await call(c, 'POST', FLOWS, {
    priority: 1234, cookie: '0xbeef', match: { in_port: 1, eth_type: 2048, ipv4_dst: '10.1.2.3/24' }, actions: [{ type: 'output', port: 2 }],
  });
  t.equal(add.status, 201, JSON.stringify(add.body));
  t.same(add.body.match, { in_port: 1, eth_type: 2048, ipv4_dst: '10.1.2.0/24' });
  t.equal(add.body.owner, 'api');
  const line = (await dumpFlows(br.name)).find((l) => l.includes('priority=1234'));
  t.ok(line, 'dump-flows shows the flow');
  t.match(line, /cookie=0xbeef/);
  t.match(line, /in_port=1/);
  t.match(line, /nw_dst=10\.1\.2\.0\/24/);
  t.match(line, /actions=output:2/);
  const listed = await call(c, 'GET', `${FLOWS}?owner=api`);
  t.same(listed.body.flows.map((f: { priority: number }) => f.priority), [1234], 'GET reads it back from OVS, owned by "api"');
  t.same(listed.body.flows[0].match, add.body.match, 'the match OVS reports is the one the POST answered with');

  // OVS refuses: the answer names its error type and code, and nothing is stored.
  const gotoBack = await call(c, 'POST', FLOWS, { priority: 5, table_id: 3, instructions: [{ type: 'goto_table', table_id: 1 }] });
  t.equal(gotoBack.status, 400, JSON.stringify(gotoBack.body));
  t.equal(gotoBack.body.error, 'openflow_error');
  t.same([gotoBack.body.details.type, gotoBack.body.details.code], ['bad_instruction', 'bad_table_id'], 'goto_table to an earlier table');
  t.ok(gotoBack.body.details.hint.length > 10, 'with a hint');
  const dscp = await call(c, 'POST', FLOWS, { priority: 6, match: { in_port: 1 }, actions: [{ type: 'set_field', field: 'ip_dscp', value: 5 }] });
  t.equal(dscp.status, 400, JSON.stringify(dscp.body));
  t.same([dscp.body.details.type, dscp.body.details.code], ['bad_action', 'match_inconsistent'], 'set_field ip_dscp on a match that is not IP');
  const internal = await call(c, 'POST', FLOWS, { priority: 7, table_id: 254, actions: [] });
  t.equal(internal.status, 400, JSON.stringify(internal.body));
  t.same([internal.body.details.type, internal.body.details.code], ['bad_request', 'eperm'], 'OVS keeps table 254 to itself');
  t.equal(c.staticFlows.flows(BigInt('0x' + br.dpid)).length, 1, 'refused flows are not stored');

  // Modify, then delete it strictly: gone from dump-flows.
  const mod = await call(c, 'PATCH', FLOWS, { priority: 1234, strict: true, match: add.body.match, actions: [{ type: 'output', port: 'in_port' }] });
  t.equal(mod.status, 200, JSON.stringify(mod.body));
  t.match((await dumpFlows(br.name)).find((l) => l.includes('priority=1234')), /actions=IN_PORT/);
  const del = await call(c, 'DELETE', FLOWS, { priority: 1234, strict: true, match: add.body.match, table_id: 0 });
  t.equal(del.status, 200, JSON.stringify(del.body));
  t.equal(del.body.stored_flows_removed, 1);
  t.notOk((await dumpFlows(br.name)).some((l) => l.includes('priority=1234')), 'gone from dump-flows');

  // Groups and meters: what OVS holds after the API calls.
  const GROUPS = `/api/v1/switches/${br.dpid}/groups`;
  const g = await call(c, 'POST', GROUPS, { group_id: 7, type: 'select', buckets: [{ weight: 3, actions: [{ type: 'output', port: 1 }] }, { actions: [{ type: 'output', port: 2 }] }] });
  t.equal(g.status, 201, JSON.stringify(g.body));
  t.match(await ofctl(br.name, 'dump-groups'), /group_id=7,type=select,bucket=weight:3,actions=output:1,bucket=(weight:1,)?actions=output:2/);
  t.equal((await call(c, 'POST', GROUPS, { group_id: 7, type: 'all', buckets: [] })).status, 409, 'OVS says group_exists: 409');
  const m = await call(c, 'POST', `/api/v1/switches/${br.dpid}/meters`, { meter_id: 2, flags: ['kbps'], bands: [{ type: 'drop', rate: 1000 }] });
  t.equal(m.status, 201, JSON.stringify(m.body));
  t.match(await ofctl(br.name, 'dump-meters'), /meter=2 kbps bands=\s*type=drop rate=1000/);
  const remark = await call(c, 'POST', `/api/v1/switches/${br.dpid}/meters`, { meter_id: 3, bands: [{ type: 'dscp_remark', rate: 10, prec_level: 1 }] });
  t.equal(remark.status, 400, 'the userspace datapath has no dscp_remark bands');
  t.same([remark.body.details?.type, remark.body.details?.code], ['meter_mod_failed', 'bad_band']);

  // A stored flow using both, then del-flows/del-groups/del-meters and a new controller on the same state directory.
  t.equal((await call(c, 'POST', FLOWS, { priority: 4321, match: { in_port: 2 }, instructions: [{ type: 'meter', meter_id: 2 }, { type: 'apply_actions', actions: [{ type: 'group', group_id: 7 }] }] })).status, 201);
  t.ok((await dumpFlows(br.name)).some((l) => /priority=4321,in_port=2 actions=meter:2,group:7/.test(l)), 'flow with meter and group installed');
  const port = ofPort(c);
  await c.stop();
  await ofctl(br.name, 'del-flows');
  await ofctl(br.name, 'del-groups');
  await ofctl(br.name, 'del-meters');
  t.same(await dumpFlows(br.name), [], 'the bridge is empty');
  c = await startController({ apps: [], stateDir, of: { port, address: '127.0.0.1' } });
  await switchesUp(c, [br.dpid]);
  const back = await pollUntil('the stored flow back in dump-flows', async () => (await dumpFlows(br.name)).find((l) => l.includes('priority=4321')), 15_000);
  t.match(back, /actions=meter:2,group:7/, 'back with its meter and group');
  t.match(await ofctl(br.name, 'dump-groups'), /group_id=7,type=select/);
  t.match(await ofctl(br.name, 'dump-meters'), /meter=2 kbps/);
  t.notOk((await dumpFlows(br.name)).some((l) => l.includes('priority=1234')), 'the deleted flow stayed deleted');
  const after = await call(c, 'GET', `${FLOWS}?owner=api`);
  t.same(after.body.flows.map((f: { priority: number }) => f.priority), [4321]);
});
