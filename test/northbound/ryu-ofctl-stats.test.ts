// ofctl_rest's read calls through fastify inject() against FakeSwitches:
// Ryu's paths, its decimal dpids, its response shapes (keyed by the dpid
// as a string), and its answers for bad dpids, unknown switches and
// switches that refuse a request.
import t, { type Test } from 'tap';
import type { OfpMessage } from '../../src/openflow/message.js';
import type { MultipartReplyBody, MultipartRequestBody } from '../../src/openflow/messages/multipart.js';
import { startApi, type ApiHarness } from '../helpers/api.js';
import { FakeFlowTable, type FakeSwitch } from '../helpers/fake-switch.js';
import { pollUntil } from '../helpers/ovs.js';

type Req<T extends MultipartRequestBody['type']> = Extract<MultipartRequestBody, { type: T }>;

/** Canned answers for every multipart type FakeSwitch does not answer itself. */
function cannedStats(m: OfpMessage): OfpMessage[] | undefined {
  if (m.type !== 'multipart_request') return undefined;
  const r = (body: MultipartReplyBody): OfpMessage[] => [{ type: 'multipart_reply', xid: m.xid, flags: [], body }];
  const b = m.body;
  switch (b.type) {
    case 'aggregate':
      return r({ type: 'aggregate', packet_count: 18n, byte_count: 756n, flow_count: 3 });
    case 'table':
      return r({ type: 'table', tables: [{ table_id: 0, active_count: 3, lookup_count: 10n, matched_count: 9n }] });
    case 'table_features':
      return r({ type: 'table_features', tables: [{ table_id: 0, name: 'classifier', metadata_match: 0n, metadata_write: 0n, config: [], max_entries: 1000, properties: [{ type: 'next_tables', next_table_ids: [1] }] }] });
    case 'port_stats':
      return r({
        type: 'port_stats',
        stats: [1, 2].filter((p) => b.port_no === 'any' || b.port_no === p).map((port_no) => ({
          port_no, rx_packets: 1n, tx_packets: 2n, rx_bytes: 3n, tx_bytes: 4n, rx_dropped: 0n, tx_dropped: 0n, rx_errors: 0n, tx_errors: 0n,
          rx_frame_err: 0n, rx_over_err: 0n, rx_crc_err: 0n, collisions: 0n, duration_sec: 5, duration_nsec: 6,
        })),
      });
    case 'queue':
      return r({ type: 'queue', stats: [{ port_no: 1, queue_id: 0, tx_bytes: 1n, tx_packets: 1n, tx_errors: 0n, duration_sec: 1, duration_nsec: 0 }] });
    case 'group':
      return r({ type: 'group', stats: [{ group_id: 1, ref_count: 0, packet_count: 7n, byte_count: 700n, duration_sec: 1, duration_nsec: 0, bucket_stats: [{ packet_count: 7n, byte_count: 700n }] }] });
    case 'group_desc':
      return r({ type: 'group_desc', groups: [{ group_type: 'all', group_id: 1, buckets: [{ weight: 0, watch_port: 'any', watch_group: 'any', actions: [{ type: 'output', port: 1, max_len: 0xffe5 }] }] }] });
    case 'group_features':
      return r({ type: 'group_features', types: ['all', 'select'], capabilities: ['chaining'], max_groups: [10, 10, 0, 0], actions: [['output'], ['output'], [], []] });
    case 'meter':
      return r({ type: 'meter', stats: [{ meter_id: 1, flow_count: 0, packet_in_count: 3n, byte_in_count: 300n, duration_sec: 1, duration_nsec: 0, band_stats: [{ packet_band_count: 0n, byte_band_count: 0n }] }] });
    case 'meter_config':
      return r({ type: 'meter_config', configs: [{ flags: ['kbps'], meter_id: 1, bands: [{ type: 'drop', rate: 1000, burst_size: 0 }] }] });
    case 'meter_features':
      // Ryu's documented example answer.
      return r({ type: 'meter_features', max_meter: 256, band_types: ['drop'], capabilities: ['kbps', 'burst', 'stats'], max_bands: 16, max_color: 8 });
    default:
      return undefined;
  }
}

async function withSwitch(t: Test): Promise<{ api: ApiHarness; sw: FakeSwitch; table: FakeFlowTable }> {
  const api = await startApi(t);
  const table = new FakeFlowTable();
  const sw = await api.addSwitch({ dpid: 1n, ports: 2, flowTable: table, reply: cannedStats });
  // The controller's own table-miss and LLDP flows, so flow dumps below are deterministic.
  await pollUntil('core flows installed', () => table.flows.length >= 2, 5000);
  return { api, sw, table };
}

/** The multipart requests of one type the controller sent, newest last. */
const sent = <T extends MultipartRequestBody['type']>(sw: FakeSwitch, type: T): Req<T>[] =>
  sw.received.flatMap((m) => (m.type === 'multipart_request' && m.body.type === type ? [m.body as Req<T>] : []));

t.test('GET /stats/switches lists decimal dpids in connection order, exact above 2^53', async (t) => {
  const api = await startApi(t);
  t.same((await api.json('GET', '/stats/switches')).body, [], 'no switch: an empty list');
  await api.addSwitch({ dpid: 2n });
  await api.addSwitch({ dpid: 1n });
  t.same((await api.json('GET', '/stats/switches')).body, [2, 1]);
  await api.addSwitch({ dpid: 0xfedcba9876543210n, ports: 0 }); // no ports: fake port names embed the dpid
  const r = await api.inject({ method: 'GET', url: '/stats/switches' });
  t.equal(r.body, '[2,1,18364758544493064720]', 'the 64-bit dpid printed as an exact integer, as Python does');
  t.match(r.headers['content-type'], /application\/json/);
  t.equal((await api.json('GET', '/stats/switches?x=1')).status, 400, 'an unknown query parameter');
});

t.test('GET /stats/desc/:dpid in the shape of Ryu\'s documentation; dpid forms; 400 and 404', async (t) => {
  const { api } = await withSwitch(t);
  const r = await api.json('GET', '/stats/desc/1');
  t.equal(r.status, 200);
  t.same(Object.keys(r.body), ['1'], 'keyed by the decimal dpid');
  t.same(Object.keys(r.body['1']), ['mfr_desc', 'hw_desc', 'sw_desc', 'serial_num', 'dp_desc'], "the documented keys, in ofctl's order");
  t.equal(r.body['1'].hw_desc, 'fake switch');
  for (const form of ['0x1', '0000000000000001', '00:00:00:00:00:00:00:01']) t.same((await api.json('GET', `/stats/desc/${form}`)).body, r.body, `dpid ${form}`);
  const bad = await api.json('GET', '/stats/desc/zz');
  t.equal(bad.status, 400);
  t.match(bad.body.message, /datapath id/);
  t.equal((await api.json('GET', '/stats/desc/99999999999999999999999')).status, 400, 'beyond 64 bits');
  const missing = await api.json('GET', '/stats/desc/2');
  t.equal(missing.status, 404, 'not connected: 404, as ofctl_rest');
  t.match(missing.body.message, /switch 2 .*not connected.*connected: 1/);
});

t.test('GET and POST /stats/flow/:dpid: Ryu\'s flow format, filters sent to the switch, priority filtered here', async (t) => {
  const { api, sw, table } = await withSwitch(t);
  // Ryu's documented example entry, added through ofctl_rest.
  const add = await api.json('POST', '/stats/flowentry/add', {
    dpid: 1, cookie: 1, cookie_mask: 1, table_id: 0, idle_timeout: 30, hard_timeout: 30, priority: 11111, flags: 1, match: { in_port: 1 }, actions: [{ type: 'OUTPUT', port: 2 }],
  });
  t.equal(add.status, 200);
  const all = await api.json('GET', '/stats/flow/1');
  t.equal(all.status, 200);
  const mine = all.body['1'].find((f: { priority: number }) => f.priority === 11111);
  // From the documentation's example answer (counters and durations aside).
  t.match(mine, { length: 88, table_id: 0, priority: 11111, idle_timeout: 30, hard_timeout: 30, flags: 1, cookie: 1, packet_count: 0, byte_count: 0, match: { in_port: 1 }, actions: ['OUTPUT:2'] });
  t.same(Object.keys(mine), ['priority', 'cookie', 'idle_timeout', 'hard_timeout', 'byte_count', 'duration_sec', 'duration_nsec', 'packet_count', 'length', 'flags', 'actions', 'match', 'table_id']);
  const core = all.body['1'].find((f: { priority: number }) => f.priority === 0);
  t.same(core.actions, ['OUTPUT:CONTROLLER'], "the controller's table-miss flow, in Ryu's words");
  const missCookie = table.flows.find((f) => f.priority === 0)!.cookie;
  t.ok(missCookie > 2n ** 53n, 'the controller cookie needs all 64 bits');
  t.match((await api.inject({ method: 'GET', url: '/stats/flow/1' })).body, `"cookie":${missCookie},`, 'printed as an exact JSON integer, as Python prints it');

  // Ryu's documented filter.
  const filtered = await api.json('POST', '/stats/flow/1', { table_id: 0, out_port: 2, cookie: 1, cookie_mask: 1, match: { in_port: 1 } });
  t.equal(filtered.status, 200);
  t.same(filtered.body['1'].map((f: { priority: number }) => f.priority), [11111]);
  const req = sent(sw, 'flow').at(-1)!;
  t.match(req, { table_id: 0, out_port: 2, out_group: 'any', cookie: 1n, cookie_mask: 1n, match: [{ field: 'in_port', value: 1 }] }, 'the filter went to the switch');
  t.same((await api.json('POST', '/stats/flow/1', { priority: 65000 })).body['1'].map((f: { priority: number }) => f.priority), [65000], 'priority is filtered on our side');
  t.same((await api.json('POST', '/stats/flowdesc/1', { priority: 11111 })).body['1'].length, 1, '/stats/flowdesc is the same call');
  t.same((await api.inject({ method: 'POST', url: '/stats/flow/1', payload: '' })).json()['1'].length, all.body['1'].length, 'an empty body is no filter');

  for (const [body, why] of [[{ match: { in_port: 'x' } }, /in_port/], [{ match: { nope: 1 } }, /unknown field "nope"/], [{ table_id: 300 }, /table_id/], [[1], /object/]] as const) {
    const r = await api.json('POST', '/stats/flow/1', body);
    t.equal(r.status, 400, `filter ${JSON.stringify(body)}`);
    t.match(r.body.message, why);
  }
  t.equal((await api.json('POST', '/stats/flow/2', {})).status, 404);
});

t.test('the other stats calls: path ids, the requests they send, Ryu\'s shapes', async (t) => {
  const { api, sw } = await withSwitch(t);
  const get = async (url: string): Promise<unknown[]> => {
    const r = await api.json('GET', url);
    t.equal(r.status, 200, url);
    t.same(Object.keys(r.body), ['1'], `${url} keyed by dpid`);
    return r.body['1'] as unknown[];
  };
  t.same(await get('/stats/aggregateflow/1'), [{ packet_count: 18, byte_count: 756, flow_count: 3 }], 'the documented example');
  t.equal((await api.json('POST', '/stats/aggregateflow/1', { table_id: 0, match: { in_port: 1 } })).status, 200);
  t.match(sent(sw, 'aggregate').at(-1), { table_id: 0, match: [{ field: 'in_port', value: 1 }] });
  t.same(await get('/stats/table/1'), [{ active_count: 3, lookup_count: 10, matched_count: 9, table_id: 0 }]);
  t.match(await get('/stats/tablefeatures/1'), [{ name: 'classifier', table_id: 0, properties: [{ type: 'NEXT_TABLES', table_ids: [1] }] }]);

  t.equal((await get('/stats/port/1')).length, 2);
  t.equal(sent(sw, 'port_stats').at(-1)!.port_no, 'any');
  t.match(await get('/stats/port/1/2'), [{ port_no: 2, rx_packets: 1, tx_bytes: 4 }]);
  t.equal(sent(sw, 'port_stats').at(-1)!.port_no, 2);
  await get('/stats/port/1/ALL');
  t.equal(sent(sw, 'port_stats').at(-1)!.port_no, 'any', 'ALL is every port');

  t.match(await get('/stats/portdesc/1'), [{ port_no: 1, name: 's1-eth1', hw_addr: '0a:01:00:00:00:01', config: 0, state: 4, curr: 2048 + 64, curr_speed: 10_000_000 }, { port_no: 2 }]);

  await get('/stats/queue/1');
  t.match(sent(sw, 'queue').at(-1), { port_no: 'any', queue_id: 'all' });
  await get('/stats/queue/1/ALL/3');
  t.match(sent(sw, 'queue').at(-1), { port_no: 'any', queue_id: 3 }, '/stats/queue/1/ALL/3 as documented');
  t.match(await get('/stats/queue/1/1/0'), [{ port_no: 1, queue_id: 0, tx_bytes: 1 }]);
  t.match(sent(sw, 'queue').at(-1), { port_no: 1, queue_id: 0 });

  t.match(await get('/stats/group/1'), [{ length: 56, group_id: 1, packet_count: 7, bucket_stats: [{ packet_count: 7 }] }]);
  t.equal(sent(sw, 'group').at(-1)!.group_id, 'all');
  await get('/stats/group/1/0x5');
  t.equal(sent(sw, 'group').at(-1)!.group_id, 5);
  t.same(await get('/stats/groupdesc/1'), [{ buckets: [{ weight: 0, watch_port: 4294967295, watch_group: 4294967295, actions: ['OUTPUT:1'] }], group_id: 1, type: 'ALL' }]);
  t.same(await get('/stats/groupfeatures/1'), [{
    types: ['ALL', 'SELECT'], capabilities: ['CHAINING'], max_groups: [{ ALL: 10 }, { SELECT: 10 }, { INDIRECT: 0 }, { FF: 0 }],
    actions: [{ ALL: ['OUTPUT'] }, { SELECT: ['OUTPUT'] }, { INDIRECT: [] }, { FF: [] }],
  }]);

  t.match(await get('/stats/meter/1/1'), [{ len: 56, meter_id: 1, packet_in_count: 3 }]);
  t.equal(sent(sw, 'meter').at(-1)!.meter_id, 1);
  t.same(await get('/stats/meterconfig/1'), [{ flags: ['KBPS'], bands: [{ rate: 1000, burst_size: 0, type: 'DROP' }], meter_id: 1 }]);
  t.equal(sent(sw, 'meter_config').at(-1)!.meter_id, 'all');
  await get('/stats/meterconfig/1/7');
  t.equal(sent(sw, 'meter_config').at(-1)!.meter_id, 7);
  // Ryu's documented example.
  t.same(await get('/stats/meterfeatures/1'), [{ max_meter: 256, band_types: ['DROP'], capabilities: ['KBPS', 'BURST', 'STATS'], max_bands: 16, max_color: 8 }]);

  for (const url of ['/stats/port/1/LOCAL', '/stats/port/1/-1', '/stats/queue/1/x', '/stats/meter/1/99999999999', '/stats/group/1/4294967296']) {
    const r = await api.json('GET', url);
    t.equal(r.status, 400, url);
    t.ok(r.body.message.length > 10, `${url}: ${r.body.message}`);
  }
  for (const url of ['/stats/table/7', '/stats/port/7/1', '/stats/meterfeatures/7']) t.equal((await api.json('GET', url)).status, 404, url);
});

t.test('a switch that refuses a stats request: an empty list, as Ryu answers, and the reason in a header', async (t) => {
  const api = await startApi(t);
  await api.addSwitch({
    dpid: 1n,
    reply: (m) => (m.type === 'multipart_request' && m.body.type === 'meter_features'
      ? [{ type: 'error', xid: m.xid, err_type: 'bad_request', code: 'bad_multipart', data: Buffer.alloc(0) }]
      : undefined),
  });
  const r = await api.inject({ method: 'GET', url: '/stats/meterfeatures/1' });
  t.equal(r.statusCode, 200);
  t.same(r.json(), { 1: [] });
  t.match(r.headers['x-switchyard-openflow-error'], /^bad_request\/bad_multipart: /);
});
