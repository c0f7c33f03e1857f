import t from 'tap';
import { startApi, type ApiHarness } from '../helpers/api.js';
import { pollUntil } from '../helpers/ovs.js';
import type { OfpMessage } from '../../src/openflow/message.js';

/** The value of one sample (`name` or `name{labels}` exactly as exposed), or undefined. */
function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    if (line.slice(0, sp) === series) return Number(line.slice(sp + 1));
  }
  return undefined;
}

async function scrape(api: ApiHarness): Promise<string> {
  const r = await api.inject({ method: 'GET', url: '/api/v1/metrics' });
  if (r.statusCode !== 200) throw new Error(`metrics: ${r.statusCode} ${r.body}`);
  return r.body;
}

// A 60-byte broadcast ARP request from 00:00:00:00:00:01.
const ARP = Buffer.from('ffffffffffff000000000001080600010800060400010000000000010a0000010000000000000a000002' + '00'.repeat(18), 'hex');

t.test('GET /metrics is Prometheus text with the controller figures', async (t) => {
  const api = await startApi(t);
  const r = await api.inject({ method: 'GET', url: '/api/v1/metrics' });
  t.equal(r.statusCode, 200);
  t.match(r.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  for (const name of [
    'switchyard_switches_connected', 'switchyard_links', 'switchyard_hosts', 'switchyard_packet_ins_total', 'switchyard_flow_mods_total',
    'switchyard_openflow_errors_total', 'switchyard_events_total', 'switchyard_event_stream_clients', 'switchyard_rest_request_duration_seconds',
    'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds',
  ]) t.match(r.body, new RegExp(`^# TYPE ${name} `, 'm'), `${name} exposed`);
  t.equal(sample(r.body, 'switchyard_switches_connected'), 0);
  t.equal(sample(r.body, 'switchyard_packet_ins_total'), 0);
  t.equal(sample(r.body, 'switchyard_event_stream_clients'), 0);
  t.notOk(r.body.startsWith('"'), 'not JSON-encoded');
});

t.test('the figures follow the network: switches, flow-mods, packet-ins, events, errors', async (t) => {
  const api = await startApi(t);
  // The switch refuses flow_mods of priority 4242 so an error can be provoked.
  const sw = await api.addSwitch({
    dpid: 0xan,
    ports: 2,
    reply: (m: OfpMessage) => (m.type === 'flow_mod' && m.priority === 4242 ? [{ type: 'error', xid: m.xid, err_type: 'flow_mod_failed', code: 'bad_table_id', data: Buffer.alloc(0) }] : undefined),
  });
  await api.addSwitch({ dpid: 0xbn });
  // Table-miss and LLDP flows on both switches: four flow_mods at least.
  await pollUntil('core flows sent', () => api.c.flows.counters.flowMods >= 4 || undefined, 5000);
  let m = await scrape(api);
  t.equal(sample(m, 'switchyard_switches_connected'), 2);
  t.ok(sample(m, 'switchyard_flow_mods_total')! >= 4, 'flow-mods counted');
  t.equal(sample(m, 'switchyard_events_total{type="switch.up"}'), 2);

  for (let i = 0; i < 3; i++) sw.send({ type: 'packet_in', xid: 0, buffer_id: 'no_buffer', total_len: ARP.length, reason: 'no_match', table_id: 0, cookie: 0n, match: [{ field: 'in_port', value: 1 }], data: ARP });
  await pollUntil('3 packet-ins', () => api.c.packets.counters.packetIns === 3 || undefined, 5000);
  const refused = await api.c.flows
    .sendConfirmed(0xan, [{ type: 'flow_mod', cookie: 0n, cookie_mask: 0n, table_id: 0, command: 'add', idle_timeout: 0, hard_timeout: 0, priority: 4242, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: [], match: [], instructions: [] }])
    .then(() => 'accepted', (e: Error) => e.message);
  t.match(refused, /bad_table_id/, 'the switch refused it');
  m = await scrape(api);
  t.equal(sample(m, 'switchyard_packet_ins_total'), 3);
  t.equal(sample(m, 'switchyard_openflow_errors_total{type="flow_mod_failed"}'), 1);
  t.equal(sample(m, 'switchyard_events_total{type="flow.error"}'), 1);
  t.equal(sample(m, 'switchyard_hosts'), 1, 'the ARP sender became a host');
  t.ok(sample(m, 'switchyard_openflow_messages_received_total')! > 0);

  const rxBefore = sample(m, 'switchyard_openflow_messages_received_total')!;
  sw.close();
  await pollUntil('switch 0a down', () => api.c.switches.size === 1 || undefined, 5000);
  m = await scrape(api);
  t.equal(sample(m, 'switchyard_switches_connected'), 1);
  t.ok(sample(m, 'switchyard_openflow_messages_received_total')! >= rxBefore, 'a counter does not go backwards when a switch leaves');
  t.equal(sample(m, 'switchyard_events_total{type="switch.down"}'), 1);
});

t.test('REST latency is observed per route pattern, not per URL', async (t) => {
  const api = await startApi(t);
  await api.inject({ method: 'GET', url: '/api/v1/health' });
  await api.inject({ method: 'GET', url: '/api/v1/health?x=1' });
  const m = await scrape(api);
  t.equal(sample(m, 'switchyard_rest_request_duration_seconds_count{method="GET",route="/api/v1/health",status="200"}'), 2);
});

t.test('with tokens, /metrics is a read: it needs a token unless reads are open', async (t) => {
  const token = 'metrics-token-0123456789';
  const closed = await startApi(t, { http: { port: 0, address: '127.0.0.1', tokens: [token] } });
  t.equal((await closed.inject({ method: 'GET', url: '/api/v1/metrics' })).statusCode, 401);
  t.equal((await closed.inject({ method: 'GET', url: '/api/v1/metrics', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
  const open = await startApi(t, { http: { port: 0, address: '127.0.0.1', tokens: [token], openReads: true } });
  t.equal((await open.inject({ method: 'GET', url: '/api/v1/metrics' })).statusCode, 200);
});

t.test('bad queries and methods: 4xx, never 5xx', async (t) => {
  const api = await startApi(t);
  t.equal((await api.inject({ method: 'POST', url: '/api/v1/metrics' })).statusCode, 404);
  const q = await api.json('GET', '/api/v1/metrics?name[]=%00');
  t.equal(q.status, 400, 'it takes no query (Prometheus sends none)');
  t.match(q.body.message, /unknown field "name\[\]"/);
});
