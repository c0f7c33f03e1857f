// ofctl_rest's changes through fastify inject() against FakeSwitches: bodies
// as Ryu scripts send them (curl -d's form content type, Python literals
// with comments), what reaches the switch, what the static store keeps, and
// Ryu's answers for bad bodies, unknown switches, ports and commands.
import t, { type Test } from 'tap';
import type { OfpMessage } from '../../src/openflow/message.js';
import { startApi, type ApiHarness } from '../helpers/api.js';
import { FakeFlowTable, type FakeSwitch } from '../helpers/fake-switch.js';
import { pollUntil } from '../helpers/ovs.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function withSwitch(t: Test, reply?: (m: OfpMessage) => OfpMessage[] | undefined, config = {}): Promise<{ api: ApiHarness; sw: FakeSwitch; table: FakeFlowTable }> {
  const api = await startApi(t, config);
  const table = new FakeFlowTable();
  const sw = await api.addSwitch({ dpid: 1n, ports: 2, flowTable: table, ...(reply ? { reply } : {}) });
  await pollUntil('core flows installed', () => table.flows.length >= 2, 5000);
  return { api, sw, table };
}

/** Send a body exactly as curl -d would: the text, form-urlencoded. */
const post = (api: ApiHarness, url: string, text: string) => api.inject({ method: 'POST', url, payload: text, headers: FORM });

const CORE = [0, 65000];
const priorities = (table: FakeFlowTable): number[] => table.flows.map((f) => f.priority).sort((a, b) => a - b);
const of = <T extends OfpMessage['type']>(sw: FakeSwitch, type: T): Extract<OfpMessage, { type: T }>[] =>
  sw.received.filter((m): m is Extract<OfpMessage, { type: T }> => m.type === type);

t.test('flowentry add / modify / delete as Ryu scripts send them', async (t) => {
  const { api, sw, table } = await withSwitch(t);
  // Ryu's documentation, verbatim (comments and all: ofctl_rest parses with ast.literal_eval).
  const vlan = await post(api, '/stats/flowentry/add', `{
            "dpid": 1,
            "match":{
                "dl_type": "0x8000"
            },
            "actions":[
                {
                    "type": "PUSH_VLAN",     # Push a new VLAN tag if a input frame is non-VLAN-tagged
                    "ethertype": 33024       # Ethertype 0x8100(=33024): IEEE 802.1Q VLAN-tagged frame
                },
                {
                    "type": "SET_FIELD",
                    "field": "vlan_vid",     # Set VLAN ID
                    "value": 4102            # Describe sum of vlan_id(e.g. 6) | OFPVID_PRESENT(0x1000=4096)
                },
                {
                    "type": "OUTPUT",
                    "port": 2
                }
            ]
         }`);
  t.equal(vlan.statusCode, 200);
  t.equal(vlan.body, '', "an empty body, as ofctl_rest answers");
  const pushed = table.flows.find((f) => f.match.some((m) => 'field' in m && m.field === 'eth_type' && m.value === 0x8000));
  t.match(pushed, {
    table_id: 0, priority: 0,
    instructions: [{ type: 'apply_actions', actions: [{ type: 'push_vlan', ethertype: 0x8100 }, { type: 'set_field', field: { field: 'vlan_vid', value: 4102 } }, { type: 'output', port: 2 }] }],
  }, 'on the switch');

  // A Python script's str(dict): single quotes, a trailing comma, a hex literal.
  const py = await post(api, '/stats/flowentry/add', "{'dpid': 1, 'priority': 11111, 'cookie': 0x10, 'match': {'in_port': 1, 'dl_type': 2048, 'nw_dst': '10.0.0.1'}, 'actions': [{'type': 'OUTPUT', 'port': 2},],}");
  t.equal(py.statusCode, 200);
  const stored = api.c.staticFlows.flows(1n);
  t.equal(stored.length, 2, 'both kept by the static store (re-installed after a restart or reconnect)');
  t.match(stored.find((f) => f.priority === 11111), { cookie: 0x10n, match: [{ field: 'in_port', value: 1 }, { field: 'eth_type', value: 2048 }, { field: 'ipv4_dst', value: '10.0.0.1' }] });

  const mod = await api.json('POST', '/stats/flowentry/modify_strict', { dpid: 1, priority: 11111, match: { in_port: 1, dl_type: 2048, nw_dst: '10.0.0.1' }, actions: [{ type: 'OUTPUT', port: 'CONTROLLER' }] });
  t.equal(mod.status, 200);
  t.match(table.flows.find((f) => f.priority === 11111)?.instructions, [{ type: 'apply_actions', actions: [{ type: 'output', port: 'controller' }] }]);
  t.match(api.c.staticFlows.flows(1n).find((f) => f.priority === 11111)?.instructions, [{ actions: [{ port: 'controller' }] }], 'the store follows');
  t.same(priorities(table), [0, 0, 11111, 65000], "the controller's flows untouched");

  t.equal((await api.json('POST', '/stats/flowentry/delete_strict', { dpid: 1, priority: 11111, match: { in_port: 1, dl_type: 2048, nw_dst: '10.0.0.1' } })).status, 200);
  t.notOk(table.flows.some((f) => f.priority === 11111), 'delete_strict removed it');
  t.equal(api.c.staticFlows.flows(1n).length, 1);

  // {"dpid": 1} alone deletes every flow of table 0, ours included: those come back before the answer.
  const before = of(sw, 'flow_mod').length;
  t.equal((await api.json('POST', '/stats/flowentry/delete', { dpid: 1 })).status, 200);
  t.match(of(sw, 'flow_mod')[before], { command: 'delete', table_id: 0, match: [], out_port: 'any' }, "ofctl's defaults: table 0, any port");
  t.same(priorities(table), CORE, "only the controller's table-miss and LLDP flows, put back");
  t.equal(api.c.staticFlows.flows(1n).length, 0, 'the store forgot the deleted flows');
});

t.test('DELETE /stats/flowentry/clear/:dpid empties every table but keeps the controller working', async (t) => {
  const { api, sw, table } = await withSwitch(t);
  for (const table_id of [0, 3]) t.equal((await api.json('POST', '/stats/flowentry/add', { dpid: 1, table_id, priority: 5, actions: [{ type: 'OUTPUT', port: 1 }] })).status, 200);
  const before = of(sw, 'flow_mod').length;
  const r = await api.inject({ method: 'DELETE', url: '/stats/flowentry/clear/1' });
  t.equal(r.statusCode, 200);
  t.equal(r.body, '');
  t.match(of(sw, 'flow_mod')[before], { command: 'delete', table_id: 'all', match: [] });
  t.same(priorities(table), CORE);
  t.equal(api.c.staticFlows.flows(1n).length, 0);
  t.equal((await api.json('DELETE', '/stats/flowentry/clear/zz')).status, 400);
  t.equal((await api.json('DELETE', '/stats/flowentry/clear/2')).status, 404);
});

t.test('bad flow bodies: 400 naming the problem, 404 for an unknown switch or command, nothing sent', async (t) => {
  const { api, sw } = await withSwitch(t);
  const sentBefore = of(sw, 'flow_mod').length;
  const cases: [string, string | object, number, RegExp][] = [
    ['add', { match: { in_port: 1 } }, 400, /dpid/],
    ['add', { dpid: 'zz' }, 400, /dpid "zz" is not a datapath id/],
    ['add', { dpid: 9 }, 404, /switch 9 .*not connected/],
    ['add', { dpid: 1, match: { nw_tos: 16 } }, 400, /unknown field "nw_tos"/],
    ['add', { dpid: 1, match: { dl_type: 2048, tp_dst: 80 } }, 400, /tp_dst needs "nw_proto"/],
    ['add', { dpid: 1, priority: 70000 }, 400, /priority must be 0\.\.65535/],
    ['add', { dpid: 1, actions: [{ type: 'SET_VLAN_VID' }] }, 400, /type must be one of .*"OUTPUT"/],
    ['add', { dpid: 1, actions: [{ type: 'OUTPUT', vlan_vid: 5 }] }, 400, /unknown field "vlan_vid"/],
    ['add', { dpid: 1, actions: [{ type: 'OUTPUT', port: 'SIDEWAYS' }] }, 400, /port "SIDEWAYS" is neither a number nor one of OFPP_/],
    ['add', { dpid: 1, actions: [{ type: 'SET_FIELD', field: 'eth_dst', value: 'not-a-mac' }] }, 400, /.+/],
    ['add', { dpid: 1, match: { dl_dst: 5 } }, 400, /"5" is not a MAC address/],
    ['add', { dpid: 1, match: { nw_dst: '10.0.0.1/40' } }, 400, /prefix \/40 is longer than 32 bits/],
    ['add', { dpid: 1, instructions: [] }, 400, /unknown field "instructions"/],
    ['add', { dpid: 1, cookie: '0x5359000000000001' }, 400, /magic/],
    ['add', '{"dpid": 1, "match": {', 400, /not JSON/],
    ['add', '[1, 2]', 400, /object/],
    ['bogus', { dpid: 1 }, 404, /no route/],
  ];
  for (const [cmd, body, status, why] of cases) {
    const r = await post(api, `/stats/flowentry/${cmd}`, typeof body === 'string' ? body : JSON.stringify(body));
    t.equal(r.statusCode, status, `${cmd} ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    t.match((r.json() as { message: string }).message, why);
  }
  t.equal(of(sw, 'flow_mod').length, sentBefore, 'none of them reached the switch');
  t.equal(api.c.staticFlows.flows(1n).length, 0, 'none was stored');
});

t.test("a switch's refusal comes back decoded, and nothing is stored", async (t) => {
  const refuse = (m: OfpMessage): OfpMessage[] | undefined =>
    m.type === 'flow_mod' && m.priority === 9999 ? [{ type: 'error', xid: m.xid, err_type: 'bad_match', code: 'bad_prereq', data: Buffer.alloc(0) }] : undefined;
  const { api } = await withSwitch(t, refuse);
  const r = await api.json('POST', '/stats/flowentry/add', { dpid: 1, priority: 9999, match: { tp_dst: 80, nw_proto: 6 }, actions: [] });
  t.equal(r.status, 400);
  t.match(r.body, { error: 'openflow_error', details: { type: 'bad_match', code: 'bad_prereq' } });
  t.equal(api.c.staticFlows.flows(1n).length, 0);
});

t.test('groupentry and meterentry add / modify / delete', async (t) => {
  const { api, sw } = await withSwitch(t);
  // Ryu's documented examples.
  const g = await post(api, '/stats/groupentry/add', '{"dpid": 1, "type": "ALL", "group_id": 1, "buckets": [{"actions": [{"type": "OUTPUT", "port": 1}]}]}');
  t.equal(g.statusCode, 200);
  t.match(of(sw, 'group_mod').at(-1), { command: 'add', group_type: 'all', group_id: 1, buckets: [{ weight: 0, watch_port: 'any', watch_group: 'any', actions: [{ type: 'output', port: 1 }] }] });
  t.equal((await api.json('POST', '/stats/groupentry/modify', { dpid: 1, type: 'SELECT', group_id: 1, buckets: [{ weight: 5, actions: [{ type: 'OUTPUT', port: 2 }] }] })).status, 200);
  t.match(api.c.staticFlows.groups(1n), [{ group_type: 'select', group_id: 1, buckets: [{ weight: 5 }] }], 'the store keeps the group');
  t.equal((await api.json('POST', '/stats/groupentry/delete', { dpid: 1, group_id: 1 })).status, 200);
  t.match(of(sw, 'group_mod').at(-1), { command: 'delete', group_id: 1 });
  t.same(api.c.staticFlows.groups(1n), []);

  const m = await post(api, '/stats/meterentry/add', '{"dpid": 1, "flags": "KBPS", "meter_id": 1, "bands": [{"type": "DROP", "rate": 1000}]}');
  t.equal(m.statusCode, 200);
  t.match(of(sw, 'meter_mod').at(-1), { command: 'add', flags: ['kbps'], meter_id: 1, bands: [{ type: 'drop', rate: 1000, burst_size: 0 }] });
  t.equal((await api.json('POST', '/stats/meterentry/modify', { dpid: 1, meter_id: 1, flags: ['PKTPS', 'BURST'], bands: [{ type: 'DSCP_REMARK', rate: 10, burst_size: 5, prec_level: 1 }] })).status, 200);
  t.match(api.c.staticFlows.meters(1n), [{ meter_id: 1, flags: ['pktps', 'burst'], bands: [{ type: 'dscp_remark', prec_level: 1 }] }]);
  t.equal((await api.json('POST', '/stats/meterentry/delete', { dpid: 1, meter_id: 1 })).status, 200);
  t.same(api.c.staticFlows.meters(1n), []);

  const bad: [string, object, RegExp][] = [
    ['/stats/groupentry/add', { dpid: 1, type: 'FANCY' }, /type must be one of/],
    ['/stats/groupentry/add', { dpid: 1, buckets: [{ actions: [{ type: 'GOTO_TABLE', table_id: 1 }] }] }, /must be one of/],
    ['/stats/groupentry/add', { dpid: 1, group_id: -1 }, /group_id/],
    ['/stats/meterentry/add', { dpid: 1, flags: ['FAST'] }, /flags/],
    ['/stats/meterentry/add', { dpid: 1, bands: [{ type: 'DROP', rate: 'fast' }] }, /rate must be an integer/],
    ['/stats/meterentry/add', { meter_id: 1 }, /dpid/],
  ];
  const groupMods = of(sw, 'group_mod').length;
  const meterMods = of(sw, 'meter_mod').length;
  for (const [url, body, why] of bad) {
    const r = await api.json('POST', url, body);
    t.equal(r.status, 400, `${url} ${JSON.stringify(body)}`);
    t.match(r.body.message, why);
  }
  t.equal(of(sw, 'group_mod').length + of(sw, 'meter_mod').length, groupMods + meterMods, 'nothing sent for bad bodies');
  t.equal((await api.json('POST', '/stats/meterentry/add', { dpid: 2, meter_id: 1 })).status, 404);
  t.equal((await api.json('POST', '/stats/groupentry/replace', { dpid: 1 })).status, 404, 'an unknown command');
});

t.test('portdesc/modify sends a PORT_MOD with the port\'s own MAC and advertised features', async (t) => {
  const { api, sw } = await withSwitch(t);
  const r = await post(api, '/stats/portdesc/modify', '{"dpid": 1, "port_no": 1, "config": 1, "mask": 1}');
  t.equal(r.statusCode, 200);
  t.same(of(sw, 'port_mod').at(-1), { type: 'port_mod', xid: of(sw, 'port_mod').at(-1)!.xid, port_no: 1, hw_addr: '0a:01:00:00:00:01', config: ['port_down'], mask: ['port_down'], advertise: [] });
  const unknown = await api.json('POST', '/stats/portdesc/modify', { dpid: 1, port_no: 9, config: 1, mask: 1 });
  t.equal(unknown.status, 404, 'no such port: 404, as ofctl_rest');
  t.match(unknown.body.message, /no port 9 .*1, 2/);
  t.equal((await api.json('POST', '/stats/portdesc/modify', { dpid: 1, config: 1 })).status, 400, 'port_no is needed');
  t.equal((await api.json('POST', '/stats/portdesc/modify', { dpid: 1, port_no: 'one' })).status, 400);
  t.equal((await api.json('POST', '/stats/portdesc/modify', { dpid: 1, port_no: 1, hw_addr: 'zz' })).status, 400, 'a bad MAC');
  t.equal((await api.json('POST', '/stats/portdesc/toggle', { dpid: 1, port_no: 1 })).status, 404, 'an unknown command');
});

t.test('with API tokens, POST reads stay reads and changes need the token', async (t) => {
  const token = 'ryu-scripts-token-0123456789';
  const { api } = await withSwitch(t, undefined, { http: { port: 0, address: '127.0.0.1', tokens: [token], openReads: true } });
  t.equal((await api.json('POST', '/stats/flow/1', { table_id: 0 })).status, 200, 'a filtered flow dump is a read');
  t.equal((await api.json('POST', '/stats/aggregateflow/2', {})).status, 404, 'so is a filtered aggregate: past auth to the handler (no switch 2)');
  t.equal((await api.json('POST', '/stats/flowentry/add', { dpid: 1 })).status, 401);
  t.equal((await api.json('DELETE', '/stats/flowentry/clear/1')).status, 401);
  t.equal((await api.json('POST', '/stats/flowentry/add', { dpid: 1, priority: 3 }, { authorization: `Bearer ${token}` })).status, 200);
});
