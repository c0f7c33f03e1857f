import t from 'tap';
import { tracePacket } from '../../src/core/trace/trace.js';
import type { OxmBasic } from '../../src/openflow/structs/oxm.js';
import type { TraceHop } from '../../src/core/trace/types.js';
import { apply, cable, D1, D2, D3, flow, goto, group, host, icmp, IP, network, out, ports, setField, sw, write } from './net-builder.js';

// Expected answers follow OF 1.3.5 §5 (pipeline, action set, groups), worked out by hand.

const pkt = icmp('10.0.0.1', '10.0.0.2') as unknown as OxmBasic[];
const at1 = { dpid: D1, port_no: 1 };
const ends = (h: TraceHop) => h.outputs.map((o) => `${o.outcome.kind}:${String('port_no' in o.outcome ? o.outcome.port_no : '')}`);
const field = (h: readonly OxmBasic[], name: string) => h.find((f) => f.field === name)?.value;

t.test('the highest-priority match wins, masks count, and no match drops', async (t) => {
  const net = network([sw(D1, ports(1, 2, 3, 4), [
    flow(0, 10, [IP, { field: 'ipv4_dst', value: '10.0.0.0', mask: '255.255.255.0' }], [apply(out(2))], 5n),
    flow(0, 20, [IP, { field: 'ipv4_dst', value: '10.0.0.2' }], [apply(out(3))], 6n),
    flow(0, 30, [IP, { field: 'ipv4_dst', value: '10.0.1.0', mask: '255.255.255.0' }], [apply(out(4))]),
  ])]);
  const r = tracePacket(net, at1, pkt);
  t.equal(r.hops.length, 1);
  t.same(ends(r.hops[0]!), ['delivered:3'], 'priority 20 beats 10; the /24 on 10.0.1 does not match');
  t.same(r.hops[0]!.tables.map((s) => [s.table_id, s.flow?.priority, s.flow?.owner]), [[0, 20, 'app6']]);
  const miss = tracePacket(net, at1, icmp('10.0.0.1', '10.9.9.9') as unknown as OxmBasic[]);
  t.equal(miss.verdict, 'dropped');
  t.same(miss.hops[0]!.tables, [{ table_id: 0, flow: null }], 'no flow and no table-miss flow');
  t.match(miss.hops[0]!.outputs[0]!.outcome, { kind: 'dropped', reason: 'no_match', table_id: 0 });
  const wide = tracePacket(net, at1, icmp('10.0.0.1', '10.0.0.77') as unknown as OxmBasic[]);
  t.same(ends(wide.hops[0]!), ['delivered:2'], 'the masked flow takes what the exact one does not');
});

t.test('goto_table, write_actions, apply set_field, write_metadata and the action set order', async (t) => {
  const net = network([sw(D1, ports(1, 2, 3), [
    flow(0, 1, [], [apply(setField({ field: 'eth_dst', value: '00:00:00:00:00:99' })), write(out(3)), { type: 'write_metadata', metadata: 0x10n, metadata_mask: 0xffn }, goto(2)]),
    flow(2, 5, [{ field: 'metadata', value: 0x10n, mask: 0xf0n }, { field: 'eth_dst', value: '00:00:00:00:00:99' }], [write(out(2), setField({ field: 'ipv4_dst', value: '10.0.0.200' })), goto(4)]),
    flow(4, 0, [], []),
  ])]);
  const r = tracePacket(net, at1, pkt);
  const hop = r.hops[0]!;
  t.same(hop.tables.map((s) => s.table_id), [0, 2, 4], 'tables 0 → 2 → 4');
  t.same(ends(hop), ['delivered:2'], 'the later write_actions output replaced the first');
  const h = hop.outputs[0]!.header;
  t.equal(field(h, 'eth_dst'), '00:00:00:00:00:99', 'apply set_field changed eth_dst before table 2 matched it');
  t.equal(field(h, 'ipv4_dst'), '10.0.0.200', 'the action set ran set_field before output');
  t.equal(hop.outputs[0]!.via, 'action_set');
  t.equal(field(hop.header, 'eth_dst'), '00:00:00:00:00:02', 'the hop shows the header as it came in');
});

t.test('clear_actions empties the action set: a flow that leaves nothing drops', async (t) => {
  const net = network([sw(D1, ports(1, 2), [
    flow(0, 1, [], [write(out(2)), goto(1)]),
    flow(1, 1, [], [{ type: 'clear_actions' }]),
  ])]);
  const r = tracePacket(net, at1, pkt);
  t.equal(r.verdict, 'dropped');
  t.match(r.hops[0]!.outputs[0]!.outcome, { kind: 'dropped', reason: 'no_actions', table_id: 1 });
});

t.test('groups: all, indirect, fast-failover, select, missing', async (t) => {
  const groups = [
    { group_id: 1, group_type: 'all' as const, buckets: [
      { weight: 0, watch_port: 'any' as const, watch_group: 'any' as const, actions: [out(2)] },
      { weight: 0, watch_port: 'any' as const, watch_group: 'any' as const, actions: [setField({ field: 'eth_dst', value: '00:00:00:00:00:33' }), out(3)] },
    ] },
    { group_id: 2, group_type: 'indirect' as const, buckets: [{ weight: 0, watch_port: 'any' as const, watch_group: 'any' as const, actions: [group(1)] }] },
    { group_id: 3, group_type: 'ff' as const, buckets: [
      { weight: 0, watch_port: 4, watch_group: 'any' as const, actions: [out(4)] },
      { weight: 0, watch_port: 3, watch_group: 'any' as const, actions: [out(3)] },
    ] },
    { group_id: 4, group_type: 'select' as const, buckets: [
      { weight: 0, watch_port: 'any' as const, watch_group: 'any' as const, actions: [out(2)] },
      { weight: 5, watch_port: 'any' as const, watch_group: 'any' as const, actions: [out(3)] },
    ] },
  ];
  const p = ports(1, 2, 3, 4);
  const down = [...p.slice(0, 3), { ...p[3]!, up: false }];
  const mk = (g: number) => network([sw(D1, down, [flow(0, 1, [], [apply(group(g))])], groups)]);
  const all = tracePacket(mk(2), at1, pkt).hops[0]!;
  t.same(ends(all), ['delivered:2', 'delivered:3'], 'indirect → all: one copy per bucket');
  t.equal(field(all.outputs[0]!.header, 'eth_dst'), '00:00:00:00:00:02', 'a bucket\'s set_field stays in its copy');
  t.equal(field(all.outputs[1]!.header, 'eth_dst'), '00:00:00:00:00:33');
  t.match(all.outputs[1]!.via, /group 1 bucket 1/);
  t.same(ends(tracePacket(mk(3), at1, pkt).hops[0]!), ['delivered:3'], 'ff skips the bucket whose watch port is down');
  const sel = tracePacket(mk(4), at1, pkt).hops[0]!;
  t.same(ends(sel), ['delivered:3'], 'select never takes a zero-weight bucket');
  t.match(sel.outputs[0]!.via, /of 2, chosen by the switch's hash/);
  t.match(tracePacket(mk(9), at1, pkt).hops[0]!.outputs[0]!.outcome, { kind: 'dropped', reason: 'no_such_group' });
});

t.test('across links to a host; flood; controller; in_port; loops', async (t) => {
  const h2 = host('00:00:00:00:00:02', '10.0.0.2', D3, 1);
  const net = network([
    sw(D1, ports(1, 2), [flow(0, 1, [], [apply(out(2))])]),
    sw(D2, ports(1, 2, 3), [flow(0, 1, [{ field: 'in_port', value: 1 }], [apply(out('flood'))])]),
    sw(D3, ports(1, 2), [flow(0, 1, [{ field: 'in_port', value: 2 }], [apply(setField({ field: 'vlan_vid', value: 0x1005 }), out(1), out('controller'), out(2))])]),
  ], [...cable(D1, 2, D2, 1), ...cable(D2, 2, D3, 2)], [h2]);
  const r = tracePacket(net, at1, pkt);
  t.same(r.hops.map((h) => [h.dpid, h.in_port, h.parent]), [[D1, 1, null], [D2, 1, 0], [D3, 2, 1]], 'the path, each hop entered at the far end of a link');
  t.same(ends(r.hops[1]!), ['forwarded:2', 'delivered:3'], 'flood: every port but the ingress; port 3 is an edge with nobody known there');
  t.match(r.hops[1]!.outputs[0]!.outcome, { kind: 'forwarded', to: { dpid: D3, port_no: 2 }, hop: 2 });
  t.same(ends(r.hops[2]!), ['delivered:1', 'controller:controller', 'dropped:2'], 'host, controller, and output:2 back out the ingress is skipped');
  t.same(r.hops[2]!.outputs[0]!.outcome, { kind: 'delivered', port_no: 1, host: h2 });
  t.equal(field(r.hops[2]!.outputs[0]!.header, 'vlan_vid'), 0x1005);
  t.equal(r.verdict, 'mixed');

  const loop = network([
    sw(D1, ports(1, 2), [flow(0, 1, [], [apply(out('in_port'))])]),
    sw(D2, ports(1, 2), [flow(0, 1, [{ field: 'in_port', value: 1 }], [apply(out('in_port'))])]),
  ], cable(D1, 2, D2, 1));
  const l = tracePacket(loop, { dpid: D1, port_no: 2 }, pkt);
  t.equal(l.verdict, 'looped');
  t.same(l.hops.map((h) => h.dpid), [D1, D2]);
  t.match(l.hops[1]!.outputs[0]!.outcome, { kind: 'looped', to: { dpid: D1, port_no: 2 }, first_hop: 0 }, 'back where it started, unchanged');
});

t.test('a storm stops at maxHops, marked truncated', async (t) => {
  // A triangle flooding everything: copies multiply, headers never repeat per path until they do; the cap bounds it.
  const fl = [flow(0, 1, [], [apply(out('flood'))])];
  const net = network([sw(D1, ports(1, 2, 3), fl), sw(D2, ports(1, 2), fl), sw(D3, ports(1, 2), fl)], [...cable(D1, 2, D2, 1), ...cable(D2, 2, D3, 1), ...cable(D3, 2, D1, 3)]);
  const r = tracePacket(net, at1, pkt, { maxHops: 5 });
  t.ok(r.hops.length <= 5);
  const kinds = new Set(r.hops.flatMap((h) => h.outputs.map((o) => o.outcome.kind)));
  t.ok(kinds.has('looped') || r.truncated, 'each copy either comes back round or is cut');
});
