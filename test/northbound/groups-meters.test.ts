import t, { type Test } from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage } from '../../src/openflow/codec.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import { startApi, type ApiHarness } from '../helpers/api.js';
import { FakeFlowTable, type FakeSwitch } from '../helpers/fake-switch.js';
import { pollUntil } from '../helpers/ovs.js';
import { FakeGroupMeterTable } from './fake-groups-meters.js';

const SW = '/api/v1/switches/0000000000000001';

interface Rig {
  readonly api: ApiHarness;
  readonly gm: FakeGroupMeterTable;
  readonly flows: FakeFlowTable;
  readonly sw: FakeSwitch;
  sent(type: 'group_mod' | 'meter_mod'): OfpMessage[];
}

async function rig(t: Test, extra?: (m: OfpMessage) => OfpMessage[] | undefined, stateDir?: string, tables?: { gm: FakeGroupMeterTable; flows: FakeFlowTable }): Promise<Rig> {
  const api = await startApi(t, stateDir ? { stateDir } : {});
  const gm = tables?.gm ?? new FakeGroupMeterTable();
  const flows = tables?.flows ?? new FakeFlowTable();
  const sw = await api.addSwitch({ dpid: 1n, ports: 3, flowTable: flows, reply: (m) => extra?.(m) ?? gm.reply(m) });
  await pollUntil('controller flows installed', () => flows.flows.length >= 2 || undefined, 5000);
  return { api, gm, flows, sw, sent: (type) => sw.received.filter((m) => m.type === type) };
}

const SELECT = {
  group_id: 1,
  type: 'select',
  buckets: [{ weight: 2, actions: [{ type: 'output', port: 1 }] }, { actions: [{ type: 'output', port: 2 }] }],
};

t.test('groups: add, list with stats, get one, modify, delete', async (t) => {
  const { api, gm, sent } = await rig(t);
  const add = await api.json('POST', `${SW}/groups`, SELECT);
  t.equal(add.status, 201, JSON.stringify(add.body));
  t.same(add.body, {
    dpid: '0000000000000001', group_id: 1, type: 'select',
    buckets: [
      { weight: 2, watch_port: 'any', watch_group: 'any', actions: [{ type: 'output', port: 1, max_len: 'no_buffer' }] },
      { weight: 1, watch_port: 'any', watch_group: 'any', actions: [{ type: 'output', port: 2, max_len: 'no_buffer' }] },
    ],
    stats: { ref_count: 0, packet_count: '7', byte_count: '700', duration_sec: 1, bucket_stats: [{ packet_count: '0', byte_count: '0' }, { packet_count: '0', byte_count: '0' }] },
    owner: 'api',
  }, 'select bucket weight defaults to 1; counters as decimal strings');
  t.equal(gm.groups.size, 1);
  t.equal(api.c.staticFlows.groups(1n).length, 1, 'stored');

  // A group made by someone else shows with owner null.
  gm.groups.set(7, { group_type: 'all', group_id: 7, buckets: [{ weight: 0, watch_port: 'any', watch_group: 'any', actions: [] }] });
  const list = await api.json('GET', `${SW}/groups`);
  t.equal(list.status, 200);
  t.same(list.body.groups.map((g: { group_id: number; owner: string | null }) => [g.group_id, g.owner]), [[1, 'api'], [7, null]]);

  const one = await api.json('GET', `${SW}/groups/1`);
  t.equal(one.status, 200);
  t.equal(one.body.type, 'select');
  t.equal((await api.json('GET', `${SW}/groups/2`)).status, 404);

  const put = await api.json('PUT', `${SW}/groups/1`, { type: 'all', buckets: [{ actions: [{ type: 'output', port: 3 }] }] });
  t.equal(put.status, 200, JSON.stringify(put.body));
  t.equal(put.body.type, 'all');
  t.same(put.body.buckets, [{ weight: 0, watch_port: 'any', watch_group: 'any', actions: [{ type: 'output', port: 3, max_len: 'no_buffer' }] }]);
  t.equal((sent('group_mod').at(-1) as { command: string }).command, 'modify');
  t.equal(api.c.staticFlows.groups(1n)[0]!.group_type, 'all', 'the store has the new group');

  const del = await api.json('DELETE', `${SW}/groups/1`);
  t.equal(del.status, 200);
  t.same(del.body, { dpid: '0000000000000001', group_id: 1, stored_flows_removed: 0 });
  t.notOk(gm.groups.has(1));
  t.equal(api.c.staticFlows.groups(1n).length, 0);
  t.equal((await api.json('DELETE', `${SW}/groups/1`)).status, 404, 'deleting it again');
});

t.test('groups: 409 for an id in use, 404 to modify one that is not there, and the switch\'s errors decoded', async (t) => {
  const { api, sent } = await rig(t, (m) => (m.type === 'group_mod' && m.group_id === 66 ? [{ type: 'error', xid: m.xid, err_type: 'group_mod_failed', code: 'invalid_group', data: encodeMessage(m).subarray(0, 64) }] : undefined));
  t.equal((await api.json('POST', `${SW}/groups`, SELECT)).status, 201);
  const again = await api.json('POST', `${SW}/groups`, SELECT);
  t.equal(again.status, 409);
  t.equal(again.body.details.code, 'group_exists');
  t.match(again.body.message, /group_exists/);
  const put = await api.json('PUT', `${SW}/groups/5`, { type: 'all', buckets: [] });
  t.equal(put.status, 404);
  t.equal(put.body.error, 'group_not_found');
  const refused = await api.json('POST', `${SW}/groups`, { ...SELECT, group_id: 66 });
  t.equal(refused.status, 400);
  t.same([refused.body.error, refused.body.details.type, refused.body.details.code], ['openflow_error', 'group_mod_failed', 'invalid_group']);
  t.equal(api.c.staticFlows.groups(1n).length, 1, 'only the accepted group is stored');
  t.equal(sent('group_mod').length, 3, 'the 404 was decided before sending');
});

t.test('groups: invalid bodies and ids are 400 and nothing is sent', async (t) => {
  const { api, sent } = await rig(t);
  const cases: [string, string, unknown, RegExp][] = [
    ['POST', 'groups', { group_id: 1, type: 'fancy', buckets: [] }, /body\.type must be one of "all", "select", "indirect", "ff"/],
    ['POST', 'groups', { type: 'all', buckets: [] }, /missing "group_id"/],
    ['POST', 'groups', { group_id: 4294967041, type: 'all', buckets: [] }, /group_id must be <= 4294967040/],
    ['POST', 'groups', { group_id: 1, type: 'indirect', buckets: [] }, /indirect group has exactly one bucket, got 0/],
    ['POST', 'groups', { group_id: 1, type: 'ff', buckets: [{ actions: [] }] }, /fast-failover \(ff\) bucket needs watch_port or watch_group/],
    ['POST', 'groups', { group_id: 1, type: 'all', buckets: [{ weight: 3, actions: [] }] }, /only select groups weigh buckets/],
    ['POST', 'groups', { group_id: 1, type: 'all', buckets: [{ actions: [{ type: 'output' }] }] }, /buckets\[0\]\.actions\[0\] needs "port"/],
    ['POST', 'groups', { group_id: 1, type: 'all', buckets: [{ actions: [], colour: 1 }] }, /unknown field "colour"/],
    ['POST', 'groups', { group_id: 1, type: 'all', buckets: [{ watch_port: 'up', actions: [] }] }, /watch_port must be a port number/],
    ['PUT', 'groups/1', { group_id: 2, type: 'all', buckets: [] }, /differs from the group in the path/],
    ['PUT', 'groups/x', { type: 'all', buckets: [] }, /params\.group_id must be integer/],
    ['GET', 'groups/-1', undefined, /params\.group_id must be >= 0/],
    ['DELETE', 'groups/99999999999', undefined, /params\.group_id must be <= 4294967040/],
  ];
  for (const [method, path, body, msg] of cases) {
    const r = await api.json(method as 'POST', `${SW}/${path}`, body);
    t.equal(r.status, 400, `${method} ${path} ${JSON.stringify(body)}`);
    t.match(r.body.message, msg, r.body.message);
  }
  t.equal(sent('group_mod').length, 0);
  t.equal((await api.json('GET', '/api/v1/switches/2/groups')).status, 404, 'unknown switch');
  t.equal((await api.json('POST', '/api/v1/switches/2/groups', SELECT)).status, 404);
});

t.test('deleting a group removes the stored flows that forward to it', async (t) => {
  const { api } = await rig(t);
  t.equal((await api.json('POST', `${SW}/groups`, SELECT)).status, 201);
  t.equal((await api.json('POST', `${SW}/flows`, { priority: 5, match: { in_port: 1 }, actions: [{ type: 'group', group_id: 1 }] })).status, 201);
  t.equal((await api.json('POST', `${SW}/flows`, { priority: 6, match: { in_port: 2 }, actions: [{ type: 'output', port: 1 }] })).status, 201);
  const del = await api.json('DELETE', `${SW}/groups/1`);
  t.equal(del.body.stored_flows_removed, 1);
  t.same(api.c.staticFlows.flows(1n).map((f) => f.priority), [6]);
});

const METER = { meter_id: 3, flags: ['kbps', 'burst', 'stats'], bands: [{ type: 'drop', rate: 1000, burst_size: 100 }] };

t.test('meters: add, list with stats, get one, modify, delete', async (t) => {
  const { api, gm, sent } = await rig(t);
  const add = await api.json('POST', `${SW}/meters`, METER);
  t.equal(add.status, 201, JSON.stringify(add.body));
  t.same(add.body, {
    dpid: '0000000000000001', meter_id: 3, flags: ['kbps', 'burst', 'stats'], bands: [{ type: 'drop', rate: 1000, burst_size: 100 }],
    stats: { flow_count: 0, packet_in_count: '3', byte_in_count: '300', duration_sec: 1, band_stats: [{ packet_band_count: '0', byte_band_count: '0' }] },
    owner: 'api',
  });
  const dflt = await api.json('POST', `${SW}/meters`, { meter_id: 4, bands: [{ type: 'dscp_remark', rate: 5, prec_level: 1 }] });
  t.equal(dflt.status, 201);
  t.same(dflt.body.flags, ['kbps'], 'kbps by default');
  t.same(dflt.body.bands, [{ type: 'dscp_remark', rate: 5, burst_size: 0, prec_level: 1 }]);

  const list = await api.json('GET', `${SW}/meters`);
  t.same(list.body.meters.map((m: { meter_id: number }) => m.meter_id), [3, 4]);
  t.equal((await api.json('GET', `${SW}/meters/3`)).body.meter_id, 3);
  t.equal((await api.json('GET', `${SW}/meters/9`)).status, 404);

  const put = await api.json('PUT', `${SW}/meters/3`, { flags: ['pktps'], bands: [{ type: 'drop', rate: 10 }] });
  t.equal(put.status, 200, JSON.stringify(put.body));
  t.same([put.body.flags, put.body.bands], [['pktps'], [{ type: 'drop', rate: 10, burst_size: 0 }]]);
  t.equal((await api.json('PUT', `${SW}/meters/9`, { bands: [{ type: 'drop', rate: 10 }] })).status, 404);
  t.equal((await api.json('POST', `${SW}/meters`, METER)).status, 409);

  t.equal((await api.json('POST', `${SW}/flows`, { priority: 5, match: { in_port: 1 }, instructions: [{ type: 'meter', meter_id: 3 }, { type: 'apply_actions', actions: [] }] })).status, 201);
  const del = await api.json('DELETE', `${SW}/meters/3`);
  t.same(del.body, { dpid: '0000000000000001', meter_id: 3, stored_flows_removed: 1 }, 'the flow using the meter went with it');
  t.notOk(gm.meters.has(3));
  t.same(api.c.staticFlows.meters(1n).map((m) => m.meter_id), [4]);
  t.equal((await api.json('DELETE', `${SW}/meters/3`)).status, 404);
  t.equal(sent('meter_mod').length, 5, 'add, add, modify, the refused add, delete: the 404s were decided before sending');
});

t.test('meters: invalid bodies and ids are 400, the switch\'s refusals decoded', async (t) => {
  const { api, sent } = await rig(t, (m) => (m.type === 'meter_mod' && m.bands.some((b) => b.type === 'dscp_remark') ? [{ type: 'error', xid: m.xid, err_type: 'meter_mod_failed', code: 'bad_band', data: encodeMessage(m).subarray(0, 64) }] : undefined));
  const cases: [string, string, unknown, RegExp][] = [
    ['POST', 'meters', { meter_id: 1, flags: ['kbps', 'pktps'], bands: [{ type: 'drop', rate: 1 }] }, /exactly one of "kbps".*"pktps"/],
    ['POST', 'meters', { meter_id: 1, flags: [], bands: [{ type: 'drop', rate: 1 }] }, /exactly one of "kbps"/],
    ['POST', 'meters', { meter_id: 1, bands: [] }, /bands must NOT have fewer than 1 items/],
    ['POST', 'meters', { meter_id: 0, bands: [{ type: 'drop', rate: 1 }] }, /meter_id must be >= 1/],
    ['POST', 'meters', { meter_id: 1, bands: [{ type: 'drop', rate: 0 }] }, /rate must be >= 1/],
    ['POST', 'meters', { meter_id: 1, bands: [{ type: 'drop', rate: 1, burst_size: 5 }] }, /burst_size needs the "burst" flag/],
    ['POST', 'meters', { meter_id: 1, bands: [{ type: 'dscp_remark', rate: 1 }] }, /needs "prec_level"/],
    ['POST', 'meters', { meter_id: 1, bands: [{ type: 'drop', rate: 1, prec_level: 1 }] }, /prec_level is only for dscp_remark/],
    ['POST', 'meters', { meter_id: 1, bands: [{ type: 'police', rate: 1 }] }, /type must be one of "drop", "dscp_remark"/],
    ['POST', 'meters', { meter_id: 1, flags: ['fast'], bands: [{ type: 'drop', rate: 1 }] }, /flags\.0 must be one of/],
    ['PUT', 'meters/1', { meter_id: 2, bands: [{ type: 'drop', rate: 1 }] }, /differs from the meter in the path/],
    ['GET', 'meters/0', undefined, /params\.meter_id must be >= 1/],
  ];
  for (const [method, path, body, msg] of cases) {
    const r = await api.json(method as 'POST', `${SW}/${path}`, body);
    t.equal(r.status, 400, `${method} ${path} ${JSON.stringify(body)}`);
    t.match(r.body.message, msg, r.body.message);
  }
  t.equal(sent('meter_mod').length, 0);
  const refused = await api.json('POST', `${SW}/meters`, { meter_id: 1, bands: [{ type: 'dscp_remark', rate: 1, prec_level: 1 }] });
  t.equal(refused.status, 400);
  t.same([refused.body.error, refused.body.details.type, refused.body.details.code], ['openflow_error', 'meter_mod_failed', 'bad_band']);
  t.equal(api.c.staticFlows.meters(1n).length, 0);
});

t.test('stored groups and meters are re-installed before the flows that use them after a restart', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-gm-'));
  const tables = { gm: new FakeGroupMeterTable(), flows: new FakeFlowTable() };
  const first = await rig(t, undefined, stateDir, tables);
  t.equal((await first.api.json('POST', `${SW}/groups`, SELECT)).status, 201);
  t.equal((await first.api.json('POST', `${SW}/meters`, METER)).status, 201);
  t.equal((await first.api.json('POST', `${SW}/flows`, { priority: 5, match: { in_port: 1 }, instructions: [{ type: 'meter', meter_id: 3 }, { type: 'apply_actions', actions: [{ type: 'group', group_id: 1 }] }] })).status, 201);
  await first.api.c.stop();
  first.sw.close();
  tables.gm.groups.clear();
  tables.gm.meters.clear();
  tables.flows.flows.length = 0;

  const second = await rig(t, undefined, stateDir, tables);
  await pollUntil('the stored flow back', () => tables.flows.flows.find((f) => f.priority === 5), 5000);
  t.ok(tables.gm.groups.has(1), 'group back');
  t.ok(tables.gm.meters.has(3), 'meter back');
  const order = second.sw.received.filter((m) => m.type === 'group_mod' || m.type === 'meter_mod' || (m.type === 'flow_mod' && m.priority === 5)).map((m) => m.type);
  t.same(order, ['group_mod', 'meter_mod', 'flow_mod'], 'groups and meters first');
  const g = await second.api.json('GET', `${SW}/groups/1`);
  t.equal(g.body.owner, 'api');
});

t.test('the OpenAPI document describes the group and meter routes', async (t) => {
  const { api } = await rig(t);
  const doc = (await api.json('GET', '/api/v1/openapi.json')).body;
  for (const [path, tag] of [['groups', 'groups'], ['meters', 'meters']]) {
    t.ok(doc.paths[`/api/v1/switches/{dpid}/${path}`].get, path);
    t.ok(doc.paths[`/api/v1/switches/{dpid}/${path}`].post);
    const one = doc.paths[`/api/v1/switches/{dpid}/${path}/{${path.slice(0, -1)}_id}`];
    t.ok(one.get && one.put && one.delete, `${path}/:id`);
    t.same(one.put.tags, [tag]);
  }
});
