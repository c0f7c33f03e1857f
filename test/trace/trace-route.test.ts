// POST /api/v1/trace against fake switches with real flow tables: flows the
// API adds are read back by flow stats and walked; bad input is a 400 that
// names the field, unknown hosts and switches 404.
import t from 'tap';
import { startApi, type ApiHarness } from '../helpers/api.js';
import { FakeFlowTable } from '../helpers/fake-switch.js';
import { pollUntil } from '../helpers/ovs.js';
import { FakeCables } from '../northbound/fake-cables.js';
import type { OfpMessage } from '../../src/openflow/message.js';

const d = (n: number): string => n.toString(16).padStart(16, '0');
const noGroups = (m: OfpMessage): OfpMessage[] | undefined =>
  m.type === 'multipart_request' && m.body.type === 'group_desc' ? [{ type: 'multipart_reply', xid: m.xid, flags: [], body: { type: 'group_desc', groups: [] } }] : undefined;

/** s1 —(1:2)— s2, h1 on s1 port 3, h2 on s2 port 3. */
async function net(api: ApiHarness): Promise<void> {
  const cables = new FakeCables(api);
  cables.cable(1n, 1, 2n, 2);
  for (const n of [1n, 2n]) await cables.add({ dpid: n, ports: 3, flowTable: new FakeFlowTable(), reply: noGroups });
  await pollUntil('2 link directions', () => api.c.topology.links().length === 2 || undefined, 10_000);
  cables.hostArp(1n, 3, '02:00:00:00:00:01', '10.0.0.1');
  cables.hostArp(2n, 3, '02:00:00:00:00:02', '10.0.0.2');
  await pollUntil('two hosts', () => api.c.hosts.size === 2 || undefined, 5000);
}

t.test('a trace from host to host over flows the API added', async (t) => {
  const api = await startApi(t);
  await net(api);
  const add = async (dpid: number, body: object) => t.equal((await api.json('POST', `/api/v1/switches/${d(dpid)}/flows`, body)).status, 201);
  await add(1, { priority: 100, match: { in_port: 3, eth_type: 2048 }, instructions: [{ type: 'goto_table', table_id: 1 }] });
  await add(1, { table_id: 1, priority: 10, match: { eth_type: 2048, ipv4_dst: '10.0.0.0/24' }, actions: [{ type: 'set_field', field: 'ip_dscp', value: 8 }, { type: 'output', port: 1 }] });
  await add(2, { priority: 10, match: { in_port: 2, eth_dst: '02:00:00:00:00:02' }, actions: [{ type: 'output', port: 3 }] });

  const r = await api.json('POST', '/api/v1/trace', { from: { host: '10.0.0.1' }, to: { host: '02:00:00:00:00:02' }, packet: { ip_proto: 1 } });
  t.equal(r.status, 200, JSON.stringify(r.body));
  t.equal(r.body.verdict, 'delivered');
  t.same(r.body.hops.map((h: { dpid: string; in_port: number }) => [h.dpid, h.in_port]), [[d(1), 3], [d(2), 2]]);
  const [h1, h2] = r.body.hops;
  t.same(h1.header, { eth_dst: '02:00:00:00:00:02', eth_src: '02:00:00:00:00:01', eth_type: 2048, ip_proto: 1, ipv4_src: '10.0.0.1', ipv4_dst: '10.0.0.2' }, 'filled in from both hosts');
  t.same(h1.tables.map((s: { table_id: number; flow: { priority: number; owner: string } }) => [s.table_id, s.flow.priority, s.flow.owner]), [[0, 100], [1, 10]].map(([a, b]) => [a, b, 'api']));
  t.same(h1.outputs[0].outcome, { kind: 'forwarded', port_no: 1, to: { dpid: d(2), port_no: 2 }, hop: 1 });
  t.equal(h1.outputs[0].header.ip_dscp, 8, 'the header after set_field');
  t.equal(h2.outputs[0].outcome.kind, 'delivered');
  t.equal(h2.outputs[0].outcome.host.mac, '02:00:00:00:00:02');

  const back = await api.json('POST', '/api/v1/trace', { from: { dpid: '2', port: 3 }, packet: { eth_src: '02:00:00:00:00:02', eth_dst: '02:00:00:00:00:01' } });
  t.equal(back.status, 200);
  t.equal(back.body.verdict, 'controller', 'no flow for the way back: the table-miss flow sends it to the controller');
  t.match(back.body.hops[0].tables, [{ table_id: 0, flow: { priority: 0, owner: 'core', match: {} } }]);
  t.same(back.body.hops[0].outputs[0].outcome, { kind: 'controller', port_no: 'controller' });
});

t.test('bad input is 400, unknown things 404', async (t) => {
  const api = await startApi(t);
  await net(api);
  const cases: [object, number, RegExp][] = [
    [{ from: { host: '02:00:00:00:00:09' } }, 404, /from\.host: no host with MAC, IP or name "02:00:00:00:00:09"/],
    [{ from: { dpid: '7', port: 1 }, packet: { eth_src: '02:00:00:00:00:01', eth_dst: '02:00:00:00:00:02' } }, 404, /switch 0000000000000007 is not connected/],
    [{ from: { dpid: '1', port: 9 }, packet: { eth_src: '02:00:00:00:00:01', eth_dst: '02:00:00:00:00:02' } }, 404, /has no port 9/],
    [{ from: { dpid: '1', port: 3 } }, 400, /packet needs eth_src and eth_dst/],
    [{ from: { host: '10.0.0.1' }, packet: { ipv4_dst: '10.0.0.0/8' } }, 400, /packet\.ipv4_dst: a traced packet has exact values/],
    [{ from: { host: '10.0.0.1' }, packet: { eth_type: 'ip' } }, 400, /packet\.eth_type/],
    [{ from: { host: '10.0.0.1' }, packet: { in_port: 2 } }, 400, /use "from" for the ingress port/],
    [{ from: {} }, 400, /from/],
    [{}, 400, /body is missing "from"/],
  ];
  for (const [body, status, msg] of cases) {
    const r = await api.json('POST', '/api/v1/trace', body);
    t.equal(r.status, status, JSON.stringify(body));
    t.match(r.body.message, msg, JSON.stringify(body));
  }
});
