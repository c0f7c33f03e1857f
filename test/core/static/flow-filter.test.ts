import t from 'tap';
import { canonicalField, canonicalMatch, flowSlot, matchCovers, requestSelects } from '../../../src/core/static/flow-filter.js';
import type { FlowMod } from '../../../src/openflow/messages/flow-mod.js';
import type { Match } from '../../../src/openflow/structs/match.js';
import type { Instruction } from '../../../src/openflow/structs/instruction.js';

// Expected answers come from the spec's rules (OF 1.3.5 §6.4), written out by hand.

const IP: Match = [{ field: 'eth_type', value: 0x0800 }];

t.test('matchCovers: non-strict selection', async (t) => {
  const flow: Match = [{ field: 'in_port', value: 1 }, ...IP, { field: 'ipv4_dst', value: '10.0.0.7' }];
  t.ok(matchCovers([], flow), 'an empty request selects every flow');
  t.ok(matchCovers([{ field: 'in_port', value: 1 }], flow), 'a subset of the fields');
  t.ok(matchCovers([...IP, { field: 'ipv4_dst', value: '10.0.0.0', mask: '255.255.255.0' }], flow), 'a wider (masked) request covers an exact flow');
  t.ok(matchCovers([{ field: 'ipv4_dst', value: '10.0.0.99', mask: '255.255.255.0' }], flow), 'only bits under the request\'s mask count');
  t.notOk(matchCovers([{ field: 'in_port', value: 2 }], flow), 'another value');
  t.notOk(matchCovers([{ field: 'eth_src', value: '00:00:00:00:00:01' }], flow), 'a field the flow does not have');
  const masked: Match = [...IP, { field: 'ipv4_dst', value: '10.0.0.0', mask: '255.255.255.0' }];
  t.notOk(matchCovers([...IP, { field: 'ipv4_dst', value: '10.0.0.7' }], masked), 'a narrower request does not select a wider flow');
  t.ok(matchCovers([...IP, { field: 'ipv4_dst', value: '10.0.0.0', mask: '255.255.0.0' }], masked), 'a /16 request selects a /24 flow inside it');
  t.notOk(matchCovers([...IP, { field: 'ipv4_dst', value: '10.1.0.0', mask: '255.255.0.0' }], masked), 'but not one outside it');
});

t.test('canonicalField / canonicalMatch: masks as a switch keeps them', async (t) => {
  t.same(canonicalField({ field: 'ipv4_dst', value: '10.0.0.5', mask: '255.255.255.0' }), { field: 'ipv4_dst', value: '10.0.0.0', mask: '255.255.255.0' }, 'bits outside the mask cleared');
  t.same(canonicalField({ field: 'ipv4_dst', value: '10.0.0.5', mask: '255.255.255.255' }), { field: 'ipv4_dst', value: '10.0.0.5' }, 'an all-ones mask dropped');
  t.equal(canonicalField({ field: 'eth_dst', value: 'aa:bb:cc:dd:ee:ff', mask: '00:00:00:00:00:00' }), undefined, 'an all-zero mask matches anything');
  t.same(canonicalField({ field: 'metadata', value: 0x1234n, mask: 0xffn }), { field: 'metadata', value: 0x34n, mask: 0xffn });
  t.same(canonicalField({ field: 'vlan_vid', value: 0x100a, mask: 0x1fff }), { field: 'vlan_vid', value: 0x100a }, 'vlan_vid is 13 bits: 0x1fff is exact');
  t.same(canonicalField({ field: 'vlan_vid', value: 0x1000, mask: 0x1000 }), { field: 'vlan_vid', value: 0x1000, mask: 0x1000 }, '"any tag" stays masked');
  const plain = { field: 'in_port', value: 3 } as const;
  t.equal(canonicalField(plain), plain, 'an unmasked field is returned as is');
  const m: Match = [plain];
  t.equal(canonicalMatch(m), m, 'a match without masks is not copied');
  t.same(canonicalMatch([plain, { field: 'eth_src', value: '00:00:00:00:00:01', mask: '00:00:00:00:00:00' }]), [plain]);
});

t.test('flowSlot: table, priority and the canonical match; field order does not matter', async (t) => {
  const a = flowSlot({ table_id: 0, priority: 10, match: [{ field: 'in_port', value: 1 }, ...IP] });
  t.equal(a, flowSlot({ table_id: 0, priority: 10, match: [...IP, { field: 'in_port', value: 1 }] }));
  t.not(a, flowSlot({ table_id: 1, priority: 10, match: [...IP, { field: 'in_port', value: 1 }] }));
  t.not(a, flowSlot({ table_id: 0, priority: 11, match: [...IP, { field: 'in_port', value: 1 }] }));
  // The bug this fixed: a flow stored as 10.0.0.5/24 is reported (and deleted) by the switch as 10.0.0.0/24.
  t.equal(
    flowSlot({ table_id: 0, priority: 10, match: [...IP, { field: 'ipv4_dst', value: '10.0.0.5', mask: '255.255.255.0' }] }),
    flowSlot({ table_id: 0, priority: 10, match: [...IP, { field: 'ipv4_dst', value: '10.0.0.0', mask: '255.255.255.0' }] }),
  );
  t.equal(
    flowSlot({ table_id: 0, priority: 10, match: [...IP, { field: 'ipv4_dst', value: '10.0.0.5', mask: '255.255.255.255' }] }),
    flowSlot({ table_id: 0, priority: 10, match: [...IP, { field: 'ipv4_dst', value: '10.0.0.5' }] }),
  );
});

type Req = Parameters<typeof requestSelects>[0];
const req = (over: Partial<FlowMod>): Req => ({
  command: 'delete', table_id: 'all', cookie: 0n, cookie_mask: 0n, priority: 0, match: [], out_port: 'any', out_group: 'any', ...over,
});
const out = (port: number | string): Instruction[] => [{ type: 'apply_actions', actions: [{ type: 'output', port: port as number, max_len: 'no_buffer' }] }];
const flow = { table_id: 0, cookie: 0xabn, priority: 100, match: [{ field: 'in_port', value: 1 }] as Match, instructions: out(2) };

t.test('requestSelects: tables, cookies, strictness, out_port and out_group', async (t) => {
  t.ok(requestSelects(req({}), flow), 'delete from all tables, no cookie mask, empty match: everything');
  t.notOk(requestSelects(req({ command: 'modify', table_id: 'all' }), flow), '"all" is for deletes only');
  t.ok(requestSelects(req({ command: 'modify', table_id: 0 }), flow));
  t.notOk(requestSelects(req({ table_id: 1 }), flow), 'another table');
  t.ok(requestSelects(req({ cookie: 0xa0n, cookie_mask: 0xf0n }), flow), 'cookie equal under the mask');
  t.notOk(requestSelects(req({ cookie: 0xb0n, cookie_mask: 0xf0n }), flow), 'cookie differs under the mask');
  t.ok(requestSelects(req({ cookie: 0xffffn, cookie_mask: 0n }), flow), 'mask 0 ignores the cookie');

  t.ok(requestSelects(req({ command: 'delete_strict', priority: 100, match: [{ field: 'in_port', value: 1 }] }), flow), 'strict: same priority and match');
  t.notOk(requestSelects(req({ command: 'delete_strict', priority: 99, match: [{ field: 'in_port', value: 1 }] }), flow), 'strict: another priority');
  t.notOk(requestSelects(req({ command: 'delete_strict', priority: 100, match: [] }), flow), 'strict: an empty match is not this match');
  t.ok(requestSelects(req({ command: 'delete', priority: 7, match: [] }), flow), 'non-strict ignores priority');
  t.ok(requestSelects(req({ command: 'modify_strict', table_id: 0, priority: 100, match: [{ field: 'in_port', value: 1 }] }), flow));

  t.ok(requestSelects(req({ out_port: 2 }), flow), 'out_port: the flow outputs there');
  t.notOk(requestSelects(req({ out_port: 3 }), flow), 'out_port: it does not');
  t.ok(requestSelects(req({ command: 'modify', table_id: 0, out_port: 3 }), flow), 'modify ignores out_port (OF 1.3.5 §7.3.4.1)');
  const grouped = { ...flow, instructions: [{ type: 'write_actions', actions: [{ type: 'group', group_id: 5 }] }] as Instruction[] };
  t.ok(requestSelects(req({ out_group: 5 }), grouped), 'out_group: write_actions count too');
  t.notOk(requestSelects(req({ out_group: 6 }), grouped));
});
