import t, { type Test } from 'tap';
import { startApi, type ApiHarness } from '../helpers/api.js';
import { pollUntil } from '../helpers/ovs.js';
import { FakeFlowTable, type FakeSwitch } from '../helpers/fake-switch.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import type { MultipartReplyBody, MultipartRequestBody } from '../../src/openflow/messages/multipart.js';
import type { PortStats } from '../../src/openflow/multipart/port-stats.js';

const BIG = 18446744073709551615n - 7n;

const portStats = (port_no: number | 'local', k: bigint): PortStats => ({
  port_no, rx_packets: k, tx_packets: k + 1n, rx_bytes: BIG, tx_bytes: k * 100n, rx_dropped: 0n, tx_dropped: 0n,
  rx_errors: 0n, tx_errors: 0n, rx_frame_err: 0n, rx_over_err: 0n, rx_crc_err: 0n, collisions: 0n, duration_sec: 9, duration_nsec: 5,
});

/** Answers every statistics request from canned data; records the request bodies. */
function statsSwitch(requests: MultipartRequestBody[], refuse: readonly string[] = []): (m: OfpMessage) => OfpMessage[] | undefined {
  let polls = 0n;
  return (m) => {
    if (m.type !== 'multipart_request') return undefined;
    const b = m.body;
    if (b.type === 'port_desc' || b.type === 'desc') return undefined;
    requests.push(b);
    if (refuse.includes(b.type)) return [{ type: 'error', xid: m.xid, err_type: 'bad_request', code: 'bad_multipart', data: Buffer.alloc(0) }];
    const reply = (body: MultipartReplyBody): OfpMessage[] => [{ type: 'multipart_reply', xid: m.xid, flags: [], body }];
    switch (b.type) {
      case 'port_stats':
        polls++;
        return reply({ type: 'port_stats', stats: [portStats(1, polls * 10n), portStats(2, polls * 20n), portStats('local', 0n)].filter((s) => b.port_no === 'any' || s.port_no === b.port_no) });
      case 'aggregate':
        return reply({ type: 'aggregate', packet_count: BIG, byte_count: 12345n, flow_count: 3 });
      case 'table':
        return reply({ type: 'table', tables: [0, 1, 2].map((id) => ({ table_id: id, active_count: id === 1 ? 0 : 2, lookup_count: BIG, matched_count: 7n })) });
      case 'queue':
        return reply({ type: 'queue', stats: [{ port_no: 1, queue_id: 0, tx_bytes: 1n, tx_packets: BIG, tx_errors: 0n, duration_sec: 1, duration_nsec: 2 }] });
      case 'group':
        return reply({ type: 'group', stats: [{ group_id: 5, ref_count: 1, packet_count: BIG, byte_count: 2n, duration_sec: 1, duration_nsec: 0, bucket_stats: [{ packet_count: 3n, byte_count: 4n }] }] });
      case 'meter':
        return reply({ type: 'meter', stats: [{ meter_id: 9, flow_count: 1, packet_in_count: BIG, byte_in_count: 6n, duration_sec: 1, duration_nsec: 0, band_stats: [{ packet_band_count: 1n, byte_band_count: 2n }] }] });
      default:
        return undefined;
    }
  };
}

async function setup(t: Test, refuse: readonly string[] = []): Promise<{ api: ApiHarness; sw: FakeSwitch; requests: MultipartRequestBody[] }> {
  // No periodic poll: its requests would mix with the ones under test (tests poll when they need rates).
  const api = await startApi(t, { statsIntervalMs: 3_600_000 });
  const requests: MultipartRequestBody[] = [];
  const sw = await api.addSwitch({ dpid: 1n, flowTable: new FakeFlowTable(), reply: statsSwitch(requests, refuse) });
  return { api, sw, requests };
}

t.test('stats/ports: counters as decimal strings, the poll\'s rates, and a port filter', async (t) => {
  const { api, requests } = await setup(t);
  await pollUntil('rates for port 1', async () => {
    await api.c.stats.pollNow(1n);
    return api.c.stats.port(1n, 1)?.rates;
  }, 5000);
  requests.length = 0;
  const r = await api.json('GET', '/api/v1/switches/1/stats/ports');
  t.equal(r.status, 200);
  t.same(requests, [{ type: 'port_stats', port_no: 'any' }], 'asked the switch now');
  t.same(r.body.map((p: { port_no: unknown }) => p.port_no), [1, 2, 'local']);
  t.equal(r.body[0].rx_bytes, (BIG).toString(), 'a 64-bit counter loses nothing');
  t.equal(r.body[0].duration_nsec, 5);
  t.ok(r.body[0].rates.tx_bps > 0, 'rates of the periodic poll');
  t.equal(r.body[2].rates, null, 'no rates for a reserved port');
  const one = await api.json('GET', '/api/v1/switches/1/stats/ports?port_no=2');
  t.equal(one.status, 200);
  t.same(requests.at(-1), { type: 'port_stats', port_no: 2 });
  t.same(one.body.map((p: { port_no: unknown }) => p.port_no), [2]);
  const missing = await api.json('GET', '/api/v1/switches/1/stats/ports?port_no=7');
  t.equal(missing.status, 404);
  t.match(missing.body.message, /no port 7/);
});

t.test('stats/flows and stats/aggregate: the switch\'s flows with filters passed on', async (t) => {
  const { api, requests } = await setup(t);
  // The core's LLDP flow reaches the fake table right after the switch comes up.
  await pollUntil('the LLDP flow', async () => (await api.json('GET', '/api/v1/switches/1/stats/flows')).body.length > 0 || undefined, 5000);
  const r = await api.json('GET', '/api/v1/switches/1/stats/flows');
  t.equal(r.status, 200);
  const lldp = r.body.find((f: { priority: number }) => f.priority === 65000);
  t.ok(lldp, 'the LLDP flow is listed');
  t.match(lldp.cookie, /^\d+$/, 'cookie as a decimal string');
  t.same(lldp.match, [{ field: 'eth_type', value: 0x88cc }]);
  t.match(lldp.instructions[0], { type: 'apply_actions' });
  t.match(lldp.packet_count, /^\d+$/);

  requests.length = 0;
  const cookie = BigInt(lldp.cookie);
  const f = await api.json('GET', `/api/v1/switches/1/stats/flows?table_id=0&cookie=0x${cookie.toString(16)}&out_port=3`);
  t.equal(f.status, 200);
  t.match(requests[0], { type: 'flow', table_id: 0, out_port: 3, out_group: 'any', cookie, cookie_mask: 0xffffffffffffffffn });
  t.equal(f.body.length, 0, 'the LLDP flow outputs to the controller, not to port 3');
  const byCookie = await api.json('GET', `/api/v1/switches/1/stats/flows?cookie=${cookie}`);
  t.same(byCookie.body.map((x: { cookie: string }) => x.cookie), [lldp.cookie], 'the fake table filtered by cookie');
  await api.json('GET', '/api/v1/switches/1/stats/flows?cookie=1&cookie_mask=255');
  t.match(requests.at(-1), { cookie: 1n, cookie_mask: 255n });

  const a = await api.json('GET', '/api/v1/switches/1/stats/aggregate?table_id=3');
  t.equal(a.status, 200);
  t.same(a.body, { packet_count: BIG.toString(), byte_count: '12345', flow_count: 3 });
  t.match(requests.at(-1), { type: 'aggregate', table_id: 3, cookie_mask: 0n });
});

t.test('stats/tables, queues, groups, meters: ids passed on, JSON out', async (t) => {
  const { api, requests } = await setup(t);
  let r = await api.json('GET', '/api/v1/switches/1/stats/tables');
  t.equal(r.status, 200);
  t.same(r.body.map((x: { table_id: number }) => x.table_id), [0, 1, 2]);
  t.equal(r.body[0].lookup_count, BIG.toString());
  r = await api.json('GET', '/api/v1/switches/1/stats/tables?active=true');
  t.same(r.body.map((x: { table_id: number }) => x.table_id), [0, 2], 'only tables with flows');
  r = await api.json('GET', '/api/v1/switches/1/stats/tables?table_id=1');
  t.same(r.body.map((x: { table_id: number }) => x.table_id), [1]);

  r = await api.json('GET', '/api/v1/switches/1/stats/queues');
  t.equal(r.status, 200);
  t.same(r.body, [{ port_no: 1, queue_id: 0, tx_bytes: '1', tx_packets: BIG.toString(), tx_errors: '0', duration_sec: 1, duration_nsec: 2 }]);
  t.same(requests.at(-1), { type: 'queue', port_no: 'any', queue_id: 'all' });
  await api.json('GET', '/api/v1/switches/1/stats/queues?port_no=2&queue_id=7');
  t.same(requests.at(-1), { type: 'queue', port_no: 2, queue_id: 7 });

  r = await api.json('GET', '/api/v1/switches/1/stats/groups');
  t.same(r.body, [{ group_id: 5, ref_count: 1, packet_count: BIG.toString(), byte_count: '2', duration_sec: 1, duration_nsec: 0, bucket_stats: [{ packet_count: '3', byte_count: '4' }] }]);
  t.same(requests.at(-1), { type: 'group', group_id: 'all' });
  await api.json('GET', '/api/v1/switches/1/stats/groups?group_id=5');
  t.same(requests.at(-1), { type: 'group', group_id: 5 });

  r = await api.json('GET', '/api/v1/switches/1/stats/meters?meter_id=9');
  t.equal(r.status, 200);
  t.same(requests.at(-1), { type: 'meter', meter_id: 9 });
  t.same(r.body[0].band_stats, [{ packet_band_count: '1', byte_band_count: '2' }]);
  t.equal(r.body[0].packet_in_count, BIG.toString());
});

t.test('bad queries are 400 with what to fix; unknown switch 404; nothing asked of the switch', async (t) => {
  const { api, requests } = await setup(t);
  requests.length = 0;
  const cases: [string, RegExp][] = [
    ['flows?table_id=255', /querystring\.table_id must be <= 254/],
    ['flows?table_id=x', /table_id must be integer/],
    ['flows?cookie=banana', /cookie/],
    ['flows?cookie_mask=5', /cookie_mask needs a cookie/],
    ['flows?cookie=0x1ffffffffffffffff', /cookie/],
    ['flows?owner=x', /unknown field "owner"/],
    ['aggregate?out_port=0', /out_port must be >= 1/],
    ['ports?port_no=-1', /port_no must be >= 1/],
    ['queues?queue_id=4294967295', /queue_id must be <= 4294967294/],
    ['groups?group_id=all', /group_id must be integer/],
    ['meters?meter_id=0', /meter_id must be >= 1/],
    ['tables?active=perhaps', /active must be boolean/],
  ];
  for (const [q, msg] of cases) {
    const r = await api.json('GET', `/api/v1/switches/1/stats/${q}`);
    t.equal(r.status, 400, q);
    t.match(r.body.message, msg, q);
  }
  t.same(requests, [], 'no request reached the switch');
  const r = await api.json('GET', '/api/v1/switches/2/stats/flows');
  t.equal(r.status, 404);
  t.equal((await api.json('GET', '/api/v1/switches/nope/stats/flows')).status, 400);
  t.equal((await api.json('GET', '/api/v1/switches/1/stats/nope')).status, 404);
});

t.test('a switch that refuses is a 400 naming the OpenFlow error; one that never answers is a 504', async (t) => {
  const { api } = await setup(t, ['meter']);
  const r = await api.json('GET', '/api/v1/switches/1/stats/meters');
  t.equal(r.status, 400);
  t.equal(r.body.error, 'openflow_error');
  t.match(r.body.details, { type: 'bad_request', code: 'bad_multipart' });
  const silent = await api.addSwitch({ dpid: 2n, reply: (m) => (m.type === 'multipart_request' && m.body.type === 'group' ? [] : undefined) });
  t.ok(silent);
  const slow = await api.json('GET', '/api/v1/switches/2/stats/groups');
  t.equal(slow.status, 504);
  t.equal(slow.body.error, 'switch_timeout');
});
