import t, { type Test } from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage } from '../../src/openflow/codec.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import type { FlowMod } from '../../src/openflow/messages/flow-mod.js';
import type { FlowStats } from '../../src/openflow/multipart/flow-stats.js';
import type { Instruction } from '../../src/openflow/structs/instruction.js';
import { startApi, type ApiHarness } from '../helpers/api.js';
import { FakeFlowTable, type FakeSwitch, type FakeSwitchOptions } from '../helpers/fake-switch.js';
import { pollUntil } from '../helpers/ovs.js';

const FLOWS = '/api/v1/switches/0000000000000001/flows';

interface Rig {
  readonly api: ApiHarness;
  readonly table: FakeFlowTable;
  readonly sw: FakeSwitch;
  /** flow_mods the switch got from the API (not the controller's own). */
  apiMods(): FlowMod[];
}

/** A controller with one fake switch (dpid 1) whose flow table already holds the controller's table-miss and LLDP flows. */
async function rig(t: Test, opts: Partial<FakeSwitchOptions> = {}, config: Parameters<typeof startApi>[1] = {}): Promise<Rig> {
  const api = await startApi(t, config);
  const table = opts.flowTable ?? new FakeFlowTable();
  const sw = await api.addSwitch({ dpid: 1n, ports: 3, flowTable: table, ...opts });
  await pollUntil('controller flows installed', () => table.flows.length >= 2 || undefined, 5000);
  await api.c.flows.reconciled(1n);
  const apiMods = (): FlowMod[] => sw.received.filter((m): m is FlowMod => m.type === 'flow_mod' && (m.cookie >> 48n) !== 0x5359n && m.command !== 'delete_strict');
  return { api, table, sw, apiMods };
}

/** The port of the first action of the first instruction (an apply_actions with an output). */
function firstPort(ins: readonly Instruction[]): unknown {
  const i = ins[0];
  return i?.type === 'apply_actions' && i.actions[0]?.type === 'output' ? i.actions[0].port : undefined;
}

const errorFor = (m: OfpMessage, err_type: string, code: string): OfpMessage[] => [{ type: 'error', xid: m.xid, err_type, code, data: encodeMessage(m).subarray(0, 64) }];

t.test('POST adds a flow: 201 with the flow as the switch reports it, owner "api", stored', async (t) => {
  const { api, table, apiMods } = await rig(t);
  const r = await api.json('POST', FLOWS, {
    priority: 100, cookie: '0x1234', idle_timeout: 0, hard_timeout: 300, flags: ['send_flow_rem'],
    match: { in_port: 1, eth_type: 2048, ipv4_dst: '10.0.0.5/24', eth_dst: 'AA:BB:CC:DD:EE:FF', metadata: '0x1/0xff' },
    actions: [{ type: 'output', port: 2 }, { type: 'output', port: 'CONTROLLER' }],
  });
  t.equal(r.status, 201, JSON.stringify(r.body));
  t.equal(r.body.dpid, '0000000000000001');
  t.equal(r.body.table_id, 0);
  t.equal(r.body.priority, 100);
  t.equal(r.body.cookie, '4660', 'cookie as a decimal string');
  t.equal(r.body.cookie_hex, '0x0000000000001234');
  t.equal(r.body.hard_timeout, 300);
  t.equal(r.body.owner, 'api');
  t.equal(r.body.packet_count, '0');
  t.equal(r.body.byte_count, '0');
  t.same(r.body.match, { in_port: 1, metadata: { value: '1', mask: '255' }, eth_dst: 'aa:bb:cc:dd:ee:ff', eth_type: 2048, ipv4_dst: '10.0.0.0/24' },
    'match in object form, normalised as a switch keeps it (address bits outside the mask cleared, MAC lowercase)');
  t.same(r.body.instructions, [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, max_len: 'no_buffer' }, { type: 'output', port: 'controller', max_len: 'no_buffer' }] }]);

  const sent = apiMods();
  t.equal(sent.length, 1, 'one flow_mod went to the switch');
  t.equal(sent[0]!.command, 'add');
  t.equal(sent[0]!.cookie, 0x1234n);
  t.same(sent[0]!.flags, ['send_flow_rem']);
  t.ok(sent[0]!.match.some((f) => 'field' in f && f.field === 'ipv4_dst' && f.value === '10.0.0.0' && f.mask === '255.255.255.0'));
  t.equal(table.flows.length, 3, 'the switch holds it next to the controller\'s two flows (table-miss, LLDP; table 1 drops on a miss without one)');
  t.equal(api.c.staticFlows.flows(1n).length, 1, 'stored');
});

t.test('POST defaults: table 0, priority 32768, drop with actions []; instructions and actions together', async (t) => {
  const { api, apiMods } = await rig(t);
  const a = await api.json('POST', FLOWS, { match: { eth_type: 0x86dd, ipv6_dst: 'fe80::1/64' }, actions: [] });
  t.equal(a.status, 201, JSON.stringify(a.body));
  t.equal(a.body.priority, 32768);
  t.equal(a.body.table_id, 0);
  t.same(a.body.instructions, [{ type: 'apply_actions', actions: [] }]);
  t.equal(a.body.match.ipv6_dst, 'fe80::/64');

  const b = await api.json('POST', FLOWS, {
    priority: 7,
    match: [{ field: 'vlan_vid', value: 0x100a }],
    actions: [{ type: 'pop_vlan' }, { type: 'set_field', field: 'eth_dst', value: '00:00:00:00:00:01' }],
    instructions: [{ type: 'write_metadata', metadata: '5' }, { type: 'goto_table', table_id: 1 }],
  });
  t.equal(b.status, 201, JSON.stringify(b.body));
  t.same(b.body.match, { vlan_vid: 10 }, 'the list form is accepted; vlan_vid prints as the VLAN id');
  t.same(b.body.instructions.map((i: { type: string }) => i.type), ['apply_actions', 'write_metadata', 'goto_table']);
  t.same(b.body.instructions[1], { type: 'write_metadata', metadata: '5', metadata_mask: '18446744073709551615' });
  t.same(b.body.instructions[0].actions[1], { type: 'set_field', field: { field: 'eth_dst', value: '00:00:00:00:00:01' } });

  const c = await api.json('POST', FLOWS, { priority: 8, match: { vlan_vid: 'present' }, actions: [{ type: 'push_vlan' }, { type: 'set_field', field: 'vlan_vid', value: 20 }] });
  t.equal(c.status, 201, JSON.stringify(c.body));
  t.same(c.body.match, { vlan_vid: 'present' });
  t.same(c.body.instructions[0].actions, [{ type: 'push_vlan', ethertype: 0x8100 }, { type: 'set_field', field: { field: 'vlan_vid', value: 0x1014 } }],
    'push_vlan ethertype defaults to 0x8100; set_field vlan_vid 20 gets OFPVID_PRESENT');

  // What a GET returns can be POSTed back unchanged.
  const round = await api.json('POST', FLOWS, { priority: 9, match: b.body.match, instructions: b.body.instructions });
  t.equal(round.status, 201, JSON.stringify(round.body));
  t.same(round.body.instructions, b.body.instructions);
  t.equal(apiMods().length, 4);
});

t.test('invalid flows are 400 with a message naming the problem, and nothing reaches the switch', async (t) => {
  const { api, apiMods, table } = await rig(t);
  const before = table.flows.length;
  const cases: [string, unknown, RegExp][] = [
    ['unknown top-level field', { priorty: 1, actions: [] }, /unknown field "priorty"/],
    ['table 255', { table_id: 255, actions: [] }, /table_id must be <= 254/],
    ['priority too big', { priority: 70000, actions: [] }, /priority must be <= 65535/],
    ['no actions or instructions', { match: {} }, /needs "actions".*or "instructions"/],
    ['unknown match field', { match: { ip_dst: '10.0.0.1' }, actions: [] }, /match field "ip_dst" is not an OXM field; use one of in_port/],
    ['match not an object', { match: 5, actions: [] }, /match must be an object like/],
    ['bad IPv4', { match: { eth_type: 2048, ipv4_dst: '10.0.0.300' }, actions: [] }, /match\.ipv4_dst must be an IPv4 address/],
    ['bad prefix', { match: { eth_type: 2048, ipv4_dst: '10.0.0.0/33' }, actions: [] }, /prefix length must be 0\.\.32/],
    ['missing prerequisite', { match: { tcp_dst: 80 }, actions: [] }, /tcp_dst needs eth_type 2048 \(0x0800\) or 34525 \(0x86dd\)/],
    ['wrong prerequisite value', { match: { eth_type: 2048, ip_proto: 17, tcp_dst: 80 }, actions: [] }, /tcp_dst needs ip_proto 6/],
    ['mask on a field without one', { match: { in_port: { value: 1, mask: 1 } }, actions: [] }, /cannot be masked/],
    ['port out of range', { match: { eth_type: 2048, ip_proto: 6, tcp_dst: 65536 }, actions: [] }, /tcp_dst must be an integer 0\.\.65535/],
    ['duplicate field in list form', { match: [{ field: 'in_port', value: 1 }, { field: 'in_port', value: 2 }], actions: [] }, /in_port twice/],
    ['bad MAC', { match: { eth_dst: 'aa:bb' }, actions: [] }, /eth_dst must be a MAC address/],
    ['bad vlan', { match: { vlan_vid: 5000 }, actions: [] }, /vlan_vid must be a VLAN id 0\.\.4095/],
    ['action with a typo', { actions: [{ type: 'output', prot: 2 }] }, /actions\[0\] has an unknown key "prot": a output action takes "port", "max_len"/],
    ['unknown action type', { actions: [{ type: 'teleport' }] }, /actions\.0\.type must be one of/],
    ['output without port', { actions: [{ type: 'output' }] }, /needs "port"/],
    ['unknown port name', { actions: [{ type: 'output', port: 'uplink' }] }, /port must be a port number or one of in_port/],
    ['set_field of an unknown field', { actions: [{ type: 'set_field', field: 'colour', value: 1 }] }, /"colour" is not an OXM field/],
    ['goto_table 255', { instructions: [{ type: 'goto_table', table_id: 255 }] }, /table_id must be an integer 0\.\.254/],
    ['apply_actions twice', { actions: [], instructions: [{ type: 'apply_actions', actions: [] }] }, /has "actions" and an apply_actions instruction/],
    ['meter 0', { instructions: [{ type: 'meter', meter_id: 0 }] }, /meter_id must be an integer 1\.\./],
    ['cookie not a number', { cookie: 'abc', actions: [] }, /cookie must be a 64-bit unsigned integer/],
    ['cookie too big', { cookie: '18446744073709551616', actions: [] }, /cookie must be a 64-bit/],
    ['the controller\'s cookie magic', { cookie: '0x5359000000000001', actions: [] }, /magic 0x5359/],
    ['unknown flag', { flags: ['fast'], actions: [] }, /flags\.0 must be one of/],
    ['timeout too big', { idle_timeout: 65536, actions: [] }, /idle_timeout must be <= 65535/],
  ];
  for (const [what, body, msg] of cases) {
    const r = await api.json('POST', FLOWS, body);
    t.equal(r.status, 400, `${what}: 400`);
    t.equal(r.body.error, 'bad_request', what);
    t.match(r.body.message, msg, `${what}: ${r.body.message}`);
  }
  const notJson = await api.inject({ method: 'POST', url: FLOWS, payload: '{"actions": [', headers: { 'content-type': 'application/json' } });
  t.equal(notJson.statusCode, 400, 'malformed JSON');
  t.equal(apiMods().length, 0, 'no flow_mod was sent for any of them');
  t.equal(table.flows.length, before);
  t.equal(api.c.staticFlows.flows(1n).length, 0, 'nothing stored');
});

t.test('unknown switch is 404, a malformed dpid 400', async (t) => {
  const { api } = await rig(t);
  const r = await api.json('POST', '/api/v1/switches/00000000000000ff/flows', { actions: [] });
  t.equal(r.status, 404);
  t.equal(r.body.error, 'switch_not_found');
  t.match(r.body.message, /0000000000000001/, 'names the connected switches');
  t.equal((await api.json('GET', '/api/v1/switches/00000000000000ff/flows')).status, 404);
  t.equal((await api.json('PATCH', '/api/v1/switches/2/flows', { match: {}, actions: [] })).status, 404);
  t.equal((await api.json('DELETE', '/api/v1/switches/2/flows?match={}')).status, 404);
  const bad = await api.json('GET', '/api/v1/switches/zz/flows');
  t.equal(bad.status, 400);
  t.match(bad.body.message, /datapath id/);
});

t.test('the switch\'s OFPT_ERROR is a 400 with its decoded type and code; nothing is stored', async (t) => {
  const { api } = await rig(t, {
    reply: (m) => {
      if (m.type === 'flow_mod' && m.table_id === 100) return errorFor(m, 'flow_mod_failed', 'bad_table_id');
      if (m.type === 'flow_mod' && m.instructions.some((i) => i.type === 'apply_actions' && i.actions.some((a) => a.type === 'output' && a.port === 99))) return errorFor(m, 'bad_action', 'bad_out_port');
      if (m.type === 'flow_mod' && m.flags.includes('check_overlap')) return errorFor(m, 'flow_mod_failed', 'overlap');
      return undefined;
    },
  });
  const a = await api.json('POST', FLOWS, { table_id: 100, actions: [] });
  t.equal(a.status, 400);
  t.equal(a.body.error, 'openflow_error');
  t.equal(a.body.details.type, 'flow_mod_failed');
  t.equal(a.body.details.code, 'bad_table_id');
  t.equal(a.body.details.request, 'flow_mod');
  t.match(a.body.details.hint, /table/);
  t.match(a.body.message, /flow_mod_failed\/bad_table_id/);

  const b = await api.json('POST', FLOWS, { actions: [{ type: 'output', port: 99 }] });
  t.equal(b.status, 400);
  t.same([b.body.details.type, b.body.details.code], ['bad_action', 'bad_out_port']);
  t.match(b.body.details.hint, /port/);

  const c = await api.json('POST', FLOWS, { flags: ['check_overlap'], actions: [] });
  t.equal(c.status, 409, 'overlap is a conflict');
  t.equal(c.body.details.code, 'overlap');
  t.equal(api.c.staticFlows.flows(1n).length, 0, 'refused flows are not stored');
});

t.test('an add over a slot the controller\'s own flows hold is 409', async (t) => {
  const { api, apiMods } = await rig(t);
  const r = await api.json('POST', FLOWS, { priority: 0, match: {}, actions: [] });
  t.equal(r.status, 409);
  t.match(r.body.message, /owner "core"/);
  const lldp = await api.json('POST', FLOWS, { priority: 65000, match: { eth_type: 0x88cc }, actions: [] });
  t.equal(lldp.status, 409);
  t.match(lldp.body.message, /owner "topology"/);
  t.equal(apiMods().length, 0);
});

t.test('GET lists live flows with owners and filters them', async (t) => {
  const { api } = await rig(t);
  for (const body of [
    { priority: 10, cookie: '1', match: { in_port: 1, eth_type: 2048, ipv4_dst: '10.0.0.1' }, actions: [{ type: 'output', port: 2 }] },
    { priority: 11, cookie: '2', match: { in_port: 2 }, actions: [{ type: 'output', port: 3 }] },
    { priority: 12, cookie: '3', table_id: 1, match: { in_port: 1 }, actions: [{ type: 'output', port: 3 }] },
  ]) t.equal((await api.json('POST', FLOWS, body)).status, 201);

  const all = await api.json('GET', FLOWS);
  t.equal(all.status, 200);
  t.equal(all.body.dpid, '0000000000000001');
  t.equal(all.body.flows.length, 5);
  const owners = all.body.flows.map((f: { owner: string | null }) => f.owner).sort();
  t.same(owners, ['api', 'api', 'api', 'core', 'topology'], 'no table-miss flow in table 1: its miss drops, as OpenFlow 1.3 does without one');

  const prio = (r: { body: { flows: { priority: number }[] } }): number[] => r.body.flows.map((f) => f.priority).sort((a, b) => a - b);
  t.same(prio(await api.json('GET', `${FLOWS}?table_id=1`)), [12], 'the API flow of table 1');
  t.same(prio(await api.json('GET', `${FLOWS}?cookie=2&cookie_mask=0xffffffffffffffff`)), [11]);
  t.same(prio(await api.json('GET', `${FLOWS}?in_port=1`)), [10, 12], 'a field parameter');
  t.same(prio(await api.json('GET', `${FLOWS}?match=${encodeURIComponent('{"in_port":1}')}&table_id=0`)), [10], 'match as JSON text');
  t.same(prio(await api.json('GET', `${FLOWS}?eth_type=2048&ipv4_dst=10.0.0.1`)), [10]);
  t.same(prio(await api.json('GET', `${FLOWS}?out_port=3`)), [11, 12]);
  t.same(prio(await api.json('GET', `${FLOWS}?owner=api`)), [10, 11, 12]);
  t.same(prio(await api.json('GET', `${FLOWS}?owner=topology`)), [65000]);
  t.same(prio(await api.json('GET', `${FLOWS}?owner=none`)), []);

  for (const [q, msg] of [
    ['match=%7Bnope', /query match is not JSON/],
    ['table_id=x', /table_id must be a table number/],
    ['colour=red', /unknown field "colour"/],
    ['ipv4_dst=10.0.0.1', /ipv4_dst needs eth_type/],
    ['cookie=-1', /cookie must be a 64-bit/],
    [`match=${encodeURIComponent('[{"field":"in_port","value":1}]')}&eth_type=2048`, /cannot be combined/],
    ['match=%7B%22in_port%22%3A1%7D&in_port=2', /in_port twice/],
  ] as const) {
    const r = await api.json('GET', `${FLOWS}?${q}`);
    t.equal(r.status, 400, q);
    t.match(r.body.message, msg, `${q}: ${r.body.message}`);
  }
});

t.test('PATCH modifies instructions of the selected flows, strict or not', async (t) => {
  const { api, table } = await rig(t);
  for (const p of [20, 21]) t.equal((await api.json('POST', FLOWS, { priority: p, match: { in_port: 1 }, actions: [{ type: 'output', port: 2 }] })).status, 201);
  const strict = await api.json('PATCH', FLOWS, { priority: 20, match: { in_port: 1 }, strict: true, actions: [{ type: 'output', port: 3 }] });
  t.equal(strict.status, 200, JSON.stringify(strict.body));
  t.same(strict.body.flows.map((f: { priority: number }) => f.priority), [20], 'strict: the one flow');
  t.same(strict.body.flows[0].instructions[0].actions[0].port, 3);
  const f21 = table.flows.find((f) => f.priority === 21)!;
  t.same(firstPort(f21.instructions), 2, 'the other flow kept its actions');

  const loose = await api.json('PATCH', FLOWS, { match: { in_port: 1 }, actions: [{ type: 'output', port: 'flood' }] });
  t.equal(loose.status, 200);
  t.same(loose.body.flows.map((f: { priority: number }) => f.priority).sort(), [20, 21]);
  t.ok(loose.body.flows.every((f: { instructions: { actions: { port: string }[] }[] }) => f.instructions[0]!.actions[0]!.port === 'flood'));
  const stored = api.c.staticFlows.flows(1n).map((f) => firstPort(f.instructions));
  t.same(stored, ['flood', 'flood'], 'the store has the new actions (re-installed with them)');

  const missing = await api.json('PATCH', FLOWS, { priority: 99, match: { in_port: 1 }, strict: true, actions: [] });
  t.equal(missing.status, 404);
  t.equal(missing.body.error, 'flow_not_found');
  for (const [body, msg] of [
    [{ actions: [] }, /needs "match"/],
    [{ match: {} }, /needs "actions"/],
    [{ match: {}, strict: true, actions: [] }, /strict modify needs "priority"/],
    [{ match: {}, actions: [], idle_timeout: 5 }, /unknown field "idle_timeout"/],
    [{ match: {}, table_id: 'all', actions: [] }, /table_id must be integer/],
  ] as const) {
    const r = await api.json('PATCH', FLOWS, body);
    t.equal(r.status, 400, JSON.stringify(body));
    t.match(r.body.message, msg, r.body.message);
  }
});

t.test('a PATCH that rewrote the controller\'s flows is undone by a reconcile', async (t) => {
  const { api, table } = await rig(t);
  const r = await api.json('PATCH', FLOWS, { match: {}, actions: [] });
  t.equal(r.status, 200);
  const miss = table.flows.find((f) => f.priority === 0)!;
  t.same(miss.instructions, [{ type: 'apply_actions', actions: [{ type: 'output', port: 'controller', max_len: 'no_buffer' }] }], 'table-miss sends to the controller again');
});

t.test('DELETE by body or query; everything needs an explicit empty match; the controller\'s flows come back', async (t) => {
  const { api, table, sw } = await rig(t);
  for (const p of [30, 31, 32]) t.equal((await api.json('POST', FLOWS, { priority: p, cookie: String(p), match: { in_port: p - 29 }, actions: [] })).status, 201);
  t.equal(table.flows.length, 5);

  const strict = await api.json('DELETE', FLOWS, { priority: 30, match: { in_port: 1 }, strict: true, table_id: 0 });
  t.equal(strict.status, 200, JSON.stringify(strict.body));
  t.same(strict.body, { dpid: '0000000000000001', stored_flows_removed: 1, controller_flows_restored: 0 });
  t.equal(table.flows.length, 4);
  t.equal(api.c.staticFlows.flows(1n).length, 2);

  const gone = await api.json('DELETE', FLOWS, { priority: 30, match: { in_port: 1 }, strict: true });
  t.equal(gone.status, 404, 'a strict delete of a flow that is not there');

  const byCookie = await api.json('DELETE', `${FLOWS}?cookie=31&cookie_mask=0xffffffffffffffff`);
  t.equal(byCookie.status, 200, JSON.stringify(byCookie.body));
  t.equal(byCookie.body.stored_flows_removed, 1);
  t.equal(byCookie.body.controller_flows_restored, 0, 'a cookie-selective delete cannot reach the controller\'s flows: no reconcile');

  for (const [req, msg] of [
    [{ url: FLOWS }, /needs "match"/],
    [{ url: FLOWS, payload: { table_id: 0 } }, /needs "match"/],
    [{ url: `${FLOWS}?match={}`, payload: { match: {} } }, /not both/],
    [{ url: FLOWS, payload: { match: {}, strict: true } }, /strict delete needs "priority"/],
    [{ url: FLOWS, payload: { match: {}, table_id: 300 } }, /table_id must be a table number 0\.\.254 or "all", got "300"/],
    [{ url: FLOWS, payload: { match: {}, out_port: 'nowhere' } }, /out_port must be a port number/],
    [{ url: FLOWS, payload: { match: {}, colour: 1 } }, /unknown field "colour"/],
    [{ url: `${FLOWS}?strict=maybe&match={}` }, /strict must be boolean/],
  ] as const) {
    const r = await api.json('DELETE', req.url, 'payload' in req ? req.payload : undefined);
    t.equal(r.status, 400, JSON.stringify(req));
    t.match(r.body.message, msg, r.body.message);
  }

  const before = sw.received.length;
  const all = await api.json('DELETE', `${FLOWS}?match=%7B%7D`);
  t.equal(all.status, 200, JSON.stringify(all.body));
  t.equal(all.body.stored_flows_removed, 1);
  t.equal(all.body.controller_flows_restored, 2, 'the table-miss and LLDP re-installed');
  const sent = sw.received.slice(before).filter((m) => m.type === 'flow_mod') as FlowMod[];
  t.equal(sent[0]!.command, 'delete');
  t.equal(sent[0]!.table_id, 'all');
  t.same(table.flows.map((f) => f.priority).sort((a, b) => a - b), [0, 65000], 'only the controller\'s flows are left');
  t.equal(api.c.staticFlows.flows(1n).length, 0);
});

t.test('a flow with a timeout is told to report its expiry, and forgotten once it expired', async (t) => {
  const { api, sw } = await rig(t);
  const r = await api.json('POST', FLOWS, { priority: 40, idle_timeout: 10, match: { in_port: 1 }, actions: [] });
  t.equal(r.status, 201);
  t.same(r.body.flags, ['send_flow_rem'], 'send_flow_rem added so the store hears of the expiry');
  t.equal(api.c.staticFlows.flows(1n).length, 1);
  sw.send({
    type: 'flow_removed', xid: 0, cookie: 0n, priority: 40, reason: 'idle_timeout', table_id: 0, duration_sec: 10, duration_nsec: 0,
    idle_timeout: 10, hard_timeout: 0, packet_count: 0n, byte_count: 0n, match: [{ field: 'in_port', value: 1 }],
  });
  await pollUntil('the expired flow forgotten', () => api.c.staticFlows.flows(1n).length === 0 || undefined, 5000);
  t.pass('forgotten');
});

t.test('stored flows come back after a controller restart on the same state directory', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-flows-'));
  const table = new FakeFlowTable();
  const first = await rig(t, { flowTable: table }, { stateDir });
  t.equal((await first.api.json('POST', FLOWS, { priority: 50, cookie: '0xabc', match: { eth_type: 2048, ipv4_src: '192.168.1.0/24' }, actions: [{ type: 'output', port: 3 }] })).status, 201);
  t.equal((await first.api.json('POST', FLOWS, { priority: 51, match: { in_port: 2 }, actions: [] })).status, 201);
  t.equal((await first.api.json('DELETE', FLOWS, { priority: 51, match: { in_port: 2 }, strict: true })).status, 200);
  await first.api.c.stop();
  first.sw.close();
  // The switch lost its flows while the controller was away (ovs-ofctl del-flows).
  table.flows.length = 0;

  const second = await rig(t, { flowTable: table }, { stateDir });
  await pollUntil('the stored flow re-installed', () => table.flows.find((f) => f.priority === 50), 5000);
  const r = await second.api.json('GET', `${FLOWS}?owner=api`);
  t.equal(r.body.flows.length, 1, 'the deleted flow stayed deleted');
  t.equal(r.body.flows[0].cookie_hex, '0x0000000000000abc');
  t.same(r.body.flows[0].match, { eth_type: 2048, ipv4_src: '192.168.1.0/24' });
  t.same(r.body.flows[0].instructions, [{ type: 'apply_actions', actions: [{ type: 'output', port: 3, max_len: 'no_buffer' }] }]);
});

t.test('a reconnect leaves stored flows the switch still holds alone', async (t) => {
  const table = new FakeFlowTable();
  const first = await rig(t, { flowTable: table });
  t.equal((await first.api.json('POST', FLOWS, { priority: 60, match: { in_port: 1 }, actions: [] })).status, 201);
  first.sw.close();
  await pollUntil('switch down', () => first.api.c.switches.get(1n) === undefined || undefined, 5000);
  const again = await first.api.addSwitch({ dpid: 1n, ports: 3, flowTable: table });
  await pollUntil('the re-install dump', () => again.received.some((m) => m.type === 'multipart_request' && m.body.type === 'flow' && m.body.cookie_mask === 0n) || undefined, 5000);
  // Two requests after the dump: the second leaves after anything the store sent in answer to the dump, so the switch has it by then.
  await first.api.json('GET', FLOWS);
  await first.api.json('GET', FLOWS);
  t.notOk(again.received.some((m) => m.type === 'flow_mod' && m.priority === 60), 'the unchanged flow was not re-added (its counters keep counting)');
});

t.test('the OpenAPI document describes the flow routes', async (t) => {
  const { api } = await rig(t);
  const doc = (await api.json('GET', '/api/v1/openapi.json')).body;
  const p = doc.paths['/api/v1/switches/{dpid}/flows'];
  for (const m of ['get', 'post', 'patch', 'delete']) {
    t.ok(p[m], m);
    t.same(p[m].tags, ['flows']);
    t.ok(p[m].summary);
  }
  t.match(p.delete.description, /reconcile/);
  t.ok(p.get.parameters.some((x: { name: string }) => x.name === 'ipv4_dst'), 'match fields are query parameters');
});

t.test('DELETE takes the GET filters, owner included: only that owner\'s flows go', async (t) => {
  const { api, table } = await rig(t);
  for (const body of [
    { priority: 10, match: { in_port: 1 }, actions: [{ type: 'output', port: 2 }] },
    { priority: 11, match: { in_port: 2 }, actions: [{ type: 'output', port: 3 }] },
  ]) t.equal((await api.json('POST', FLOWS, body)).status, 201);
  // A flow nobody owns (another controller's, say), straight into the switch's table.
  const stray: FlowStats = { table_id: 0, priority: 20, match: [{ field: 'in_port', value: 1 }], cookie: 77n, instructions: [], idle_timeout: 0, hard_timeout: 0, flags: [], packet_count: 0n, byte_count: 0n, duration_sec: 0, duration_nsec: 0 };
  table.flows.push(stray);

  const none = await api.json('DELETE', `${FLOWS}?owner=none&in_port=1`);
  t.equal(none.status, 200, JSON.stringify(none.body));
  t.same(none.body, { dpid: '0000000000000001', stored_flows_removed: 0, controller_flows_restored: 0, flows_deleted: 1 }, 'the unowned flow only');
  const prios = async (): Promise<number[]> => (await api.json('GET', FLOWS)).body.flows.map((f: { priority: number }) => f.priority).sort((a: number, b: number) => a - b);
  t.same(await prios(), [0, 10, 11, 65000], 'the api flow on in_port 1 stays');

  const one = await api.json('DELETE', FLOWS, { owner: 'api', match: { in_port: 2 } });
  t.same(one.body, { dpid: '0000000000000001', stored_flows_removed: 1, controller_flows_restored: 0, flows_deleted: 1 }, 'body form');
  t.same(await prios(), [0, 10, 65000]);

  const all = await api.json('DELETE', `${FLOWS}?owner=api&match=%7B%7D`);
  t.equal(all.body.flows_deleted, 1);
  t.same(await prios(), [0, 65000], 'the controller\'s flows were never touched');
  t.same(api.c.staticFlows.flows(1n), [], 'forgotten by the store');

  const app = await api.json('DELETE', `${FLOWS}?owner=topology&match=%7B%7D`);
  t.equal(app.status, 409);
  t.match(app.body.message, /kept by that app.*disable it/);
  const strict = await api.json('DELETE', FLOWS, { owner: 'api', strict: true, priority: 10, match: { in_port: 1 } });
  t.equal(strict.status, 404, 'a strict delete of an owner that has no such flow');
});

t.test('POST a flow that outputs to a port the switch lacks: added, with a warning saying so', async (t) => {
  const { api } = await rig(t);
  const r = await api.json('POST', FLOWS, { priority: 5, match: { in_port: 1 }, actions: [{ type: 'output', port: 9 }, { type: 'output', port: 2 }] });
  t.equal(r.status, 201);
  t.equal(r.body.warnings.length, 1);
  t.match(r.body.warnings[0], /port 9, which switch 0000000000000001 does not have \(its ports: 1, 2, 3\)/);
  const ok = await api.json('POST', FLOWS, { priority: 6, match: { in_port: 1 }, actions: [{ type: 'output', port: 3 }] });
  t.notOk('warnings' in ok.body, 'no warnings field when all is well');
});
