// Ryu compatibility against a real Open vSwitch bridge: a flow entry POSTed
// in Ryu's format shows up in ovs-ofctl dump-flows and comes back from
// /stats/flow in Ryu's format; delete_strict removes it; every stats call
// answers from OVS's real replies; rest_topology lists the bridge. Then a
// Python client using urllib exactly as a Ryu tutorial does.
import t, { type Test } from 'tap';
import { cleanup, createBridge, dumpFlows, ofctl, ovsAvailable, pollUntil, run, missingTool } from '../helpers/ovs.js';
import { ofPort, startController } from '../helpers/controller.js';
import { encodeMessage } from '../../src/openflow/codec.js';
import type { MultipartReplyBody, MultipartRequestBody } from '../../src/openflow/messages/multipart.js';
import { ryuJson } from '../../src/northbound/ryu/ryu-json.js';
import * as S from '../../src/northbound/ryu/ryu-stats.js';
import { askOracle, oracleAvailable } from '../northbound/ryu-oracle.js';

const avail = await ovsAvailable();
const skip = missingTool(avail);

// A dpid below 2^53 (JavaScript's fetch().json() would round a larger one)
// but not tiny, so decimal and hex forms differ visibly; Python's json reads
// any size exactly, so the tutorial client gets one above 2^53.
const DPID = 0x000e_1100_0000_0a01n;
const DPID_BIG = 0x5e11_0000_0000_0a01n;

async function setup(t: Test, dpid = DPID) {
  t.teardown(cleanup);
  const c = await startController({ apps: [] });
  t.teardown(() => c.stop());
  const br = await createBridge('ryu', { controllerPort: ofPort(c), ports: 2, dpid });
  await pollUntil('the bridge up at the controller', () => c.switches.get(dpid), 20_000);
  // The controller's own table-miss and LLDP flows first, so later dumps are settled.
  await pollUntil('core flows on the bridge', async () => (await dumpFlows(br.name)).length >= 2 || undefined, 10_000);
  const base = `http://127.0.0.1:${c.httpAddress!.port}`;
  /** As curl -d sends it: the JSON text, form-urlencoded. */
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: () => any }> => {
    const r = await fetch(base + path, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
    });
    const text = await r.text();
    return { status: r.status, text, json: () => JSON.parse(text) };
  };
  return { c, br, base, call };
}

t.test('flowentry add in Ryu\'s format reaches OVS, reads back in Ryu\'s format, delete_strict removes it', { skip }, async (t) => {
  const { br, call } = await setup(t);
  const dpid = Number(DPID);
  const entry = { dpid, priority: 11111, match: { in_port: 1, dl_type: 2048, nw_dst: '10.0.0.1' }, actions: [{ type: 'OUTPUT', port: 2 }] };

  t.same((await call('GET', '/stats/switches')).json(), [dpid], '/stats/switches: the bridge, as a decimal dpid');
  const add = await call('POST', '/stats/flowentry/add', entry);
  t.equal(add.status, 200, add.text);
  t.equal(add.text, '');
  const flows = await dumpFlows(br.name);
  const line = flows.find((l) => l.includes('priority=11111'));
  t.ok(line, 'ovs-ofctl dump-flows shows it');
  t.match(line, /priority=11111,ip,in_port=1,nw_dst=10\.0\.0\.1 actions=output:2/);

  const got = await call('GET', `/stats/flow/${dpid}`);
  t.equal(got.status, 200);
  const mine = got.json()[String(dpid)].filter((f: { priority: number }) => f.priority === 11111);
  t.equal(mine.length, 1);
  t.match(mine[0], { table_id: 0, priority: 11111, cookie: 0, idle_timeout: 0, hard_timeout: 0, flags: 0, match: { in_port: 1, dl_type: 2048, nw_dst: '10.0.0.1' }, actions: ['OUTPUT:2'], length: 104 });
  const sansTimes = (body: Record<string, { priority: number; match: unknown }[]>) => Object.entries(body).map(([k, v]) => [k, v.map((f) => [f.priority, f.match])]);
  t.same(sansTimes((await call('GET', `/stats/flow/${br.dpid}`)).json()), sansTimes(got.json()), 'the 16-hex dpid in the path too');

  const filtered = await call('POST', `/stats/flow/${dpid}`, { table_id: 0, match: { in_port: 1 } });
  t.same(filtered.json()[String(dpid)].map((f: { priority: number }) => f.priority), [11111], 'a POST filter, applied by OVS');
  t.match((await call('GET', `/stats/aggregateflow/${dpid}`)).json()[String(dpid)], [{ flow_count: 3 }], 'our flow and the controller\'s two');

  const del = await call('POST', '/stats/flowentry/delete_strict', { dpid, priority: 11111, match: { in_port: 1, dl_type: 2048, nw_dst: '10.0.0.1' } });
  t.equal(del.status, 200, del.text);
  t.notOk((await dumpFlows(br.name)).some((l) => l.includes('priority=11111')), 'gone from dump-flows');
  t.equal((await dumpFlows(br.name)).length, 2, "the controller's two flows stay");
});

t.test('every stats call answers from OVS in Ryu\'s shapes; groups, meters and port modify reach OVS', { skip }, async (t) => {
  const { br, call } = await setup(t);
  const dpid = Number(DPID);
  const key = String(dpid);

  const desc = (await call('GET', `/stats/desc/${dpid}`)).json()[key];
  t.match(desc, { mfr_desc: 'Nicira, Inc.', hw_desc: 'Open vSwitch', dp_desc: /./ });

  t.equal((await call('POST', '/stats/groupentry/add', { dpid, type: 'ALL', group_id: 1, buckets: [{ actions: [{ type: 'OUTPUT', port: 1 }] }, { actions: [{ type: 'OUTPUT', port: 2 }] }] })).status, 200);
  t.match(await ofctl(br.name, 'dump-groups'), /group_id=1,type=all,bucket=actions=output:1,bucket=actions=output:2/);
  t.equal((await call('POST', '/stats/flowentry/add', { dpid, priority: 7, match: { in_port: 1 }, actions: [{ type: 'GROUP', group_id: 1 }] })).status, 200);
  const meter = await call('POST', '/stats/meterentry/add', { dpid, flags: 'KBPS', meter_id: 1, bands: [{ type: 'DROP', rate: 1000 }] });
  t.equal(meter.status, 200, meter.text);
  t.match(await ofctl(br.name, 'dump-meters'), /meter=1 kbps bands=\s*type=drop rate=1000/);

  const stats: Record<string, (rows: any[]) => void> = {
    [`/stats/flow/${dpid}`]: (rows) => t.ok(rows.some((f) => f.priority === 7 && f.actions[0] === 'GROUP:1'), 'flow with GROUP:1'),
    [`/stats/table/${dpid}`]: (rows) => t.match(rows[0], { table_id: 0, active_count: 3 }),
    [`/stats/tablefeatures/${dpid}`]: (rows) => t.match(rows[0], { table_id: 0, properties: [{ type: 'INSTRUCTIONS' }] }),
    [`/stats/port/${dpid}`]: (rows) => t.ok(rows.some((p) => p.port_no === 'LOCAL') && rows.some((p) => p.port_no === 1), 'ports 1, 2 and LOCAL'),
    [`/stats/port/${dpid}/1`]: (rows) => t.same(rows.map((p) => p.port_no), [1]),
    [`/stats/portdesc/${dpid}`]: (rows) => t.match(rows.find((p) => p.port_no === 1), { name: br.ports[0]!.name, hw_addr: /^[0-9a-f:]{17}$/ }),
    [`/stats/queue/${dpid}`]: (rows) => t.ok(Array.isArray(rows)),
    [`/stats/group/${dpid}`]: (rows) => t.match(rows, [{ group_id: 1, ref_count: 1, bucket_stats: [{}, {}] }]),
    [`/stats/groupdesc/${dpid}`]: (rows) => t.same(rows, [{ buckets: [{ weight: 0, watch_port: 4294967295, watch_group: 4294967295, actions: ['OUTPUT:1'] }, { weight: 0, watch_port: 4294967295, watch_group: 4294967295, actions: ['OUTPUT:2'] }], group_id: 1, type: 'ALL' }]),
    [`/stats/groupfeatures/${dpid}`]: (rows) => t.match(rows[0], { types: ['ALL', 'SELECT', 'INDIRECT', 'FF'] }),
    [`/stats/meter/${dpid}`]: (rows) => t.match(rows, [{ meter_id: 1 }]),
    [`/stats/meterconfig/${dpid}`]: (rows) => t.match(rows, [{ meter_id: 1, flags: ['KBPS'], bands: [{ type: 'DROP', rate: 1000 }] }]),
    [`/stats/meterfeatures/${dpid}`]: (rows) => t.match(rows[0], { band_types: ['DROP'] }),
  };
  for (const [url, check] of Object.entries(stats)) {
    const r = await call('GET', url);
    t.equal(r.status, 200, url);
    t.same(Object.keys(r.json()), [key], `${url} keyed by the decimal dpid`);
    check(r.json()[key]);
  }

  t.equal((await call('POST', '/stats/portdesc/modify', { dpid, port_no: 2, config: 1, mask: 1 })).status, 200);
  t.match(await ofctl(br.name, 'dump-ports-desc'), new RegExp(`2\\(${br.ports[1]!.name}\\)[^]*?config:\\s+PORT_DOWN`), 'port 2 administratively down');

  t.equal((await call('DELETE', `/stats/flowentry/clear/${dpid}`)).status, 200);
  const left = await dumpFlows(br.name);
  t.equal(left.length, 2, "clear leaves only the controller's flows, put back");
  t.ok(left.some((l) => /priority=0 actions=CONTROLLER/.test(l)), left.join('\n'));
});

const oracle = oracleAvailable();
t.test("os-ken turns OVS's own stats replies into the same JSON as ours", { skip: skip || missingTool(oracle) }, async (t) => {
  const { c, call } = await setup(t);
  const dpid = Number(DPID);
  // Something in every table kind: a group, a meter, flows using them.
  await call('POST', '/stats/groupentry/add', { dpid, type: 'SELECT', group_id: 2, buckets: [{ weight: 1, actions: [{ type: 'OUTPUT', port: 1 }] }, { weight: 2, actions: [{ type: 'SET_FIELD', field: 'eth_dst', value: '00:00:00:00:00:02' }, { type: 'OUTPUT', port: 2 }] }] });
  await call('POST', '/stats/meterentry/add', { dpid, flags: ['KBPS', 'BURST'], meter_id: 3, bands: [{ type: 'DROP', rate: 5000, burst_size: 100 }] });
  await call('POST', '/stats/flowentry/add', { dpid, priority: 9, cookie: 77, idle_timeout: 50, match: { dl_type: 2048, nw_src: '10.0.0.0/8', nw_proto: 17, tp_dst: 53, dl_vlan: 7 }, actions: [{ type: 'METER', meter_id: 3 }, { type: 'POP_VLAN' }, { type: 'GROUP', group_id: 2 }, { type: 'WRITE_METADATA', metadata: 5, metadata_mask: 255 }, { type: 'GOTO_TABLE', table_id: 4 }] });
  await call('POST', '/stats/flowentry/add', { dpid, table_id: 4, priority: 1, match: { metadata: '5/255', eth_dst: '00:00:00:00:00:00/01:00:00:00:00:00' }, actions: [{ type: 'WRITE_ACTIONS', actions: [{ type: 'OUTPUT', port: 'IN_PORT' }] }, { type: 'CLEAR_ACTIONS' }] });
  const link = c.switches.get(DPID)!.link;
  const cases: [string, MultipartRequestBody, (b: MultipartReplyBody[]) => unknown][] = [
    ['get_desc_stats', { type: 'desc' }, S.descToRyu],
    ['get_flow_stats', { type: 'flow', table_id: 'all', out_port: 'any', out_group: 'any', cookie: 0n, cookie_mask: 0n, match: [] }, (b) => S.flowsToRyu(b)],
    ['get_aggregate_flow_stats', { type: 'aggregate', table_id: 'all', out_port: 'any', out_group: 'any', cookie: 0n, cookie_mask: 0n, match: [] }, S.aggregateToRyu],
    ['get_table_stats', { type: 'table' }, S.tablesToRyu],
    ['get_table_features', { type: 'table_features', tables: [] }, S.tableFeaturesToRyu],
    ['get_port_stats', { type: 'port_stats', port_no: 'any' }, S.portStatsToRyu],
    ['get_port_desc', { type: 'port_desc' }, S.portDescToRyu],
    ['get_queue_stats', { type: 'queue', port_no: 'any', queue_id: 'all' }, S.queueStatsToRyu],
    ['get_group_stats', { type: 'group', group_id: 'all' }, S.groupStatsToRyu],
    ['get_group_desc', { type: 'group_desc' }, S.groupDescToRyu],
    ['get_group_features', { type: 'group_features' }, S.groupFeaturesToRyu],
    ['get_meter_stats', { type: 'meter', meter_id: 'all' }, S.meterStatsToRyu],
    ['get_meter_config', { type: 'meter_config', meter_id: 'all' }, S.meterConfigToRyu],
    ['get_meter_features', { type: 'meter_features' }, S.meterFeaturesToRyu],
  ];
  const replies: { bodies: MultipartReplyBody[]; hex: string[] }[] = [];
  for (const [, req] of cases) {
    const bodies = await link.multipart(req);
    // Our codec re-encodes what it decoded byte for byte, so these are OVS's replies.
    const hex = bodies.map((body, i) => encodeMessage({ type: 'multipart_reply', xid: 0, flags: i < bodies.length - 1 ? ['reply_more'] : [], body }).toString('hex'));
    replies.push({ bodies, hex });
  }
  const answers = askOracle(cases.map(([fn], i) => ({ kind: 'stats', fn, args: [], replies: replies[i]!.hex })));
  cases.forEach(([fn, , convert], i) => {
    const a = answers[i]!;
    if (a.error !== undefined) return t.fail(`os-ken ${fn}: ${a.error}`);
    const ours = ryuJson({ 1: convert(replies[i]!.bodies) });
    let at = 0;
    while (at < ours.length && ours[at] === a.json![at]) at++;
    t.equal(ours, a.json, `${fn}${ours === a.json ? '' : ` (first difference at ${at}: ours …${ours.slice(at - 80, at + 80)}… os-ken …${a.json!.slice(at - 80, at + 80)}…)`}`);
  });
});

t.test('rest_topology lists the bridge', { skip }, async (t) => {
  const { br, call } = await setup(t);
  const sw = (await call('GET', '/v1.0/topology/switches')).json();
  t.same(sw.map((s: { dpid: string }) => s.dpid), [br.dpid]);
  t.same(sw[0].ports.map((p: { port_no: string; name: string }) => [p.port_no, p.name]), [['00000001', br.ports[0]!.name], ['00000002', br.ports[1]!.name]], 'ports as 8-hex numbers with their names (LOCAL left out, as in Ryu)');
  t.same((await call('GET', `/v1.0/topology/switches/${br.dpid}`)).json(), sw);
  t.same((await call('GET', '/v1.0/topology/links')).json(), [], 'one bridge: no links');
});

// The client side of a Ryu tutorial, verbatim in spirit: urllib, json.dumps, integer dpids.
const TUTORIAL = String.raw`
import json, sys, urllib.request
base = sys.argv[1]
def req(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(base + path, data=data, method=method)
    with urllib.request.urlopen(r) as resp:
        text = resp.read().decode()
        return resp.status, (json.loads(text) if text else None)
out = {}
status, dpids = req('GET', '/stats/switches')
dpid = dpids[0]
out['dpids'] = dpids
out['dpidText'] = str(dpid)
out['add'] = req('POST', '/stats/flowentry/add', {'dpid': dpid, 'priority': 11111, 'match': {'in_port': 1, 'dl_type': 2048, 'nw_dst': '10.0.0.1'}, 'actions': [{'type': 'OUTPUT', 'port': 2}]})[0]
flows = req('GET', '/stats/flow/%d' % dpid)[1][str(dpid)]
out['flow'] = [f for f in flows if f['priority'] == 11111]
out['cookies_are_ints'] = all(isinstance(f['cookie'], int) for f in flows)
out['delete'] = req('POST', '/stats/flowentry/delete_strict', {'dpid': dpid, 'priority': 11111, 'match': {'in_port': 1, 'dl_type': 2048, 'nw_dst': '10.0.0.1'}})[0]
out['after'] = [f for f in req('GET', '/stats/flow/%d' % dpid)[1][str(dpid)] if f['priority'] == 11111]
out['switches'] = [s['dpid'] for s in req('GET', '/v1.0/topology/switches')[1]]
try:
    req('GET', '/stats/flow/424242')
except urllib.error.HTTPError as e:
    out['unknown'] = e.code
print(json.dumps(out))
`;

t.test('a Ryu tutorial\'s Python client (urllib) works unchanged', { skip }, async (t) => {
  const { br, base } = await setup(t, DPID_BIG);
  // Asynchronously: the API answering it runs in this process.
  const r = await run('/usr/bin/python3', ['-c', TUTORIAL, base], 60_000);
  t.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  t.equal(out.dpids.length, 1);
  t.equal(String(out.dpidText), DPID_BIG.toString(), 'the 64-bit dpid exact, as Python reads it');
  t.equal(out.add, 200);
  t.match(out.flow, [{ priority: 11111, match: { in_port: 1, dl_type: 2048, nw_dst: '10.0.0.1' }, actions: ['OUTPUT:2'] }]);
  t.equal(out.cookies_are_ints, true, "the controller's 64-bit cookies read back as Python ints");
  t.equal(out.delete, 200);
  t.same(out.after, []);
  t.same(out.switches, [br.dpid]);
  t.equal(out.unknown, 404);
});
