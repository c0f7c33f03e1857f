import t from 'tap';
import { startApi } from '../helpers/api.js';
import { pollUntil } from '../helpers/ovs.js';
import type { FakeSwitch } from '../helpers/fake-switch.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import type { PortStats } from '../../src/openflow/multipart/port-stats.js';

/** A reply hook that applies PORT_MODs to the fake's ports and reports them with PORT_STATUS, as OVS does. */
function portModApplier(get: () => FakeSwitch | undefined, opts: { silent?: boolean } = {}): (m: OfpMessage) => OfpMessage[] | undefined {
  return (m) => {
    if (m.type !== 'port_mod' || typeof m.port_no !== 'number') return undefined;
    const sw = get()!;
    const i = sw.ports.findIndex((p) => p.port_no === m.port_no);
    const p = sw.ports[i]!;
    const config = [...p.config.filter((b) => !m.mask.includes(b)), ...m.config.filter((b) => m.mask.includes(b))];
    const next = { ...p, config };
    sw.ports[i] = next;
    return opts.silent ? [] : [{ type: 'port_status', xid: 0, reason: 'modify', desc: next }];
  };
}

/** Port counters that grow with every request, so the stats service sees rates (and empty flow and table stats for its poll). */
function growingPortStats(): (m: OfpMessage) => OfpMessage[] | undefined {
  let n = 0n;
  return (m) => {
    if (m.type !== 'multipart_request') return undefined;
    if (m.body.type === 'flow') return [{ type: 'multipart_reply', xid: m.xid, flags: [], body: { type: 'flow', flows: [] } }];
    if (m.body.type === 'table') return [{ type: 'multipart_reply', xid: m.xid, flags: [], body: { type: 'table', tables: [] } }];
    if (m.body.type !== 'port_stats') return undefined;
    n++;
    const s = (port_no: number): PortStats => ({
      port_no, rx_packets: 10n * n, tx_packets: 20n * n, rx_bytes: 1000n * n, tx_bytes: 2000n * n, rx_dropped: 0n, tx_dropped: 1n,
      rx_errors: 2n, tx_errors: 18446744073709551614n, rx_frame_err: 0n, rx_over_err: 0n, rx_crc_err: 0n, collisions: 0n, duration_sec: 5, duration_nsec: 0,
    });
    return [{ type: 'multipart_reply', xid: m.xid, flags: [], body: { type: 'port_stats', stats: [s(1), s(2)] } }];
  };
}

t.test('GET /switches lists connected switches, sorted, with what each is', async (t) => {
  const api = await startApi(t);
  t.same((await api.json('GET', '/api/v1/switches')).body, [], 'none yet');
  await api.addSwitch({ dpid: 0x20n, ports: 3 });
  await api.addSwitch({ dpid: 0x3n });
  const r = await api.json('GET', '/api/v1/switches');
  t.equal(r.status, 200);
  t.same(r.body.map((s: { dpid: string }) => s.dpid), ['0000000000000003', '0000000000000020']);
  const s = r.body[1];
  t.match(s.address, /^(::ffff:)?127\.0\.0\.1:\d+$/);
  t.ok(Date.parse(s.connected_at) > Date.now() - 60_000, 'connected_at is a recent ISO time');
  t.same(s.description, { mfr_desc: 'Switchyard tests', hw_desc: 'fake switch', sw_desc: '1.0', serial_num: 'none', dp_desc: 'fake 32' });
  t.equal(s.n_tables, 254);
  t.equal(s.n_buffers, 0);
  t.same(s.capabilities, ['flow_stats', 'table_stats', 'port_stats']);
  t.equal(s.n_ports, 3);
});

t.test('GET /switches/:dpid: features, description, ports; every dpid spelling finds it', async (t) => {
  const api = await startApi(t);
  await api.addSwitch({ dpid: 0xabn, ports: 2 });
  for (const d of ['00000000000000ab', '00000000000000AB', '00:00:00:00:00:00:00:ab', '0xab', '171']) {
    const r = await api.json('GET', `/api/v1/switches/${d}`);
    t.equal(r.status, 200, d);
    t.equal(r.body.dpid, '00000000000000ab', d);
  }
  const { body } = await api.json('GET', '/api/v1/switches/171');
  t.same(body.features, { datapath_id: '00000000000000ab', n_buffers: 0, n_tables: 254, auxiliary_id: 0, capabilities: ['flow_stats', 'table_stats', 'port_stats'], reserved: 0 });
  t.equal(body.description.dp_desc, 'fake 171');
  t.same(body.ports.map((p: { port_no: number }) => p.port_no), [1, 2]);
  t.match(body.ports[0], { port_no: 1, name: 's171-eth1', hw_addr: '0a:ab:00:00:00:01', up: true, config: [], state: ['live'], curr: ['10gb_fd', 'copper'], curr_speed: 10_000_000, max_speed: 0, stats: null });
});

t.test('ports carry the periodic poll: counters as decimal strings, rates once there are two samples', async (t) => {
  const api = await startApi(t);
  await api.addSwitch({ dpid: 1n, reply: growingPortStats() });
  await pollUntil('two samples with rates', async () => {
    await api.c.stats.pollNow(1n);
    return api.c.stats.port(1n, 1)?.rates;
  }, 5000);
  const { body } = await api.json('GET', '/api/v1/switches/1');
  const st = body.ports[0].stats;
  t.match(st, { rx_dropped: '0', tx_dropped: '1', rx_errors: '2', tx_errors: '18446744073709551614' }, 'errors and drops; no precision lost');
  t.match(st.rx_packets, /^\d+$/);
  t.ok(Date.parse(st.updated_at) > 0);
  t.ok(st.rates.rx_bps > 0 && st.rates.tx_bps > st.rates.rx_bps && st.rates.rx_pps > 0 && st.rates.tx_pps > 0, 'rates from the stats service');
  t.equal(st.rates.reset, false);
  const one = await api.json('GET', '/api/v1/switches/1/ports/1');
  t.equal(one.status, 200);
  t.same(one.body.stats.tx_errors, '18446744073709551614');
});

t.test('bad and unknown dpids and ports', async (t) => {
  const api = await startApi(t);
  await api.addSwitch({ dpid: 1n });
  let r = await api.json('GET', '/api/v1/switches/xyz');
  t.equal(r.status, 400);
  t.match(r.body.message, /datapath id/);
  r = await api.json('GET', '/api/v1/switches/99999999999999999999');
  t.equal(r.status, 400, 'decimal beyond 64 bits');
  t.match(r.body.message, /not a datapath id/);
  r = await api.json('GET', '/api/v1/switches/0000000000000009');
  t.equal(r.status, 404);
  t.equal(r.body.error, 'switch_not_found');
  t.match(r.body.message, /0000000000000009 is not connected \(connected: 0000000000000001\)/);
  r = await api.json('GET', '/api/v1/switches/1/ports/7');
  t.equal(r.status, 404);
  t.equal(r.body.error, 'port_not_found');
  t.match(r.body.message, /no port 7 \(ports: 1, 2\)/);
  for (const p of ['0', 'abc', '4294967295']) {
    r = await api.json('GET', `/api/v1/switches/1/ports/${p}`);
    t.equal(r.status, 400, `port ${p}`);
  }
});

t.test('PATCH a port down and up: PORT_MOD with its hw_addr, barrier, answer from the PORT_STATUS', async (t) => {
  const api = await startApi(t);
  let sw: FakeSwitch | undefined;
  sw = await api.addSwitch({ dpid: 1n, reply: portModApplier(() => sw) });
  const r = await api.json('PATCH', '/api/v1/switches/1/ports/2', { admin: 'down' });
  t.equal(r.status, 200);
  t.match(r.body, { port_no: 2, up: false, config: ['port_down'] });
  const i = sw.received.findIndex((m) => m.type === 'port_mod');
  t.match(sw.received[i], { type: 'port_mod', port_no: 2, hw_addr: '0a:01:00:00:00:02', config: ['port_down'], mask: ['port_down'], advertise: [] });
  t.equal(sw.received[i + 1]?.type, 'barrier_request', 'confirmed by a barrier');
  t.same(api.c.switches.get(1n)!.ports.get(2)!.config, ['port_down'], 'the registry saw the PORT_STATUS');
  t.same((await api.json('GET', '/api/v1/switches/1')).body.ports[1].config, ['port_down']);

  const up = await api.json('PATCH', '/api/v1/switches/1/ports/2', { admin: 'up', no_packet_in: true, no_fwd: false });
  t.equal(up.status, 200);
  t.match(up.body, { up: true, config: ['no_packet_in'] });
  const last = sw.received.filter((m) => m.type === 'port_mod').at(-1);
  t.match(last, { config: ['no_packet_in'], mask: ['port_down', 'no_fwd', 'no_packet_in'] });

  const again = await api.json('PATCH', '/api/v1/switches/0x1/ports/2', { admin: 'up' });
  t.equal(again.status, 200, 'idempotent');
  t.match(again.body, { up: true });
});

t.test('PATCH without a PORT_STATUS from the switch: 202 with the requested bits', async (t) => {
  const api = await startApi(t);
  let sw: FakeSwitch | undefined;
  sw = await api.addSwitch({ dpid: 1n, reply: portModApplier(() => sw, { silent: true }) });
  const r = await api.json('PATCH', '/api/v1/switches/1/ports/1', { no_recv: true });
  t.equal(r.status, 202);
  t.same(r.body.config, ['no_recv']);
});

t.test('PATCH refused by the switch: 400 naming the OpenFlow error', async (t) => {
  const api = await startApi(t);
  await api.addSwitch({
    dpid: 1n,
    reply: (m) => (m.type === 'port_mod' ? [{ type: 'error', xid: m.xid, err_type: 'port_mod_failed', code: 'bad_hw_addr', data: Buffer.alloc(0) }] : undefined),
  });
  const r = await api.json('PATCH', '/api/v1/switches/1/ports/1', { admin: 'down' });
  t.equal(r.status, 400);
  t.equal(r.body.error, 'openflow_error');
  t.match(r.body.details, { type: 'port_mod_failed', code: 'bad_hw_addr' });
});

t.test('PATCH with bad bodies, ports and switches: 400/404, and nothing is sent', async (t) => {
  const api = await startApi(t);
  const sw = await api.addSwitch({ dpid: 1n });
  const cases: [unknown, RegExp][] = [
    [{}, /say what to change: "admin" \("up" or "down"\), "no_recv", "no_fwd" or "no_packet_in"/],
    [{ admin: 'sideways' }, /body\.admin must be one of "up", "down"/],
    [{ admin: 'down', bogus: 1 }, /unknown field "bogus"/],
    [{ no_flood: true }, /OpenFlow 1\.0/],
    [{ no_fwd: 'maybe' }, /body\.no_fwd must be boolean/],
    [[1, 2], /must be object/],
  ];
  for (const [body, msg] of cases) {
    const r = await api.json('PATCH', '/api/v1/switches/1/ports/1', body);
    t.equal(r.status, 400, JSON.stringify(body));
    t.match(r.body.message, msg, JSON.stringify(body));
  }
  let r = await api.json('PATCH', '/api/v1/switches/1/ports/9', { admin: 'down' });
  t.equal(r.status, 404);
  t.equal(r.body.error, 'port_not_found');
  r = await api.json('PATCH', '/api/v1/switches/2/ports/1', { admin: 'down' });
  t.equal(r.status, 404);
  t.equal(r.body.error, 'switch_not_found');
  r = await api.json('PATCH', '/api/v1/switches/1/ports/x', { admin: 'down' });
  t.equal(r.status, 400);
  t.notOk(sw.received.some((m) => m.type === 'port_mod'), 'no PORT_MOD went out');
});
