// The path → flows computation as a pure function, and the path table's
// indexes. Expected flows are written out by hand from the path, not derived
// with the functions under test.
import t from 'tap';
import { completeHops, linkPorts, pairFlows, reverseHops, type Hop } from '../../../src/apps/forwarding/path-flows.js';
import { PathTable, pairId, type PairState } from '../../../src/apps/forwarding/path-table.js';
import type { FlowSpec } from '../../../src/core/flows/flow-spec.js';

const d = (n: number): string => n.toString(16).padStart(16, '0');
const A = '00:00:00:00:00:0a';
const B = '00:00:00:00:00:0b';
const opts = { priority: 20, idleTimeout: 60 };

/** s1 (host A on 1) -3-> s2 -2-> s3 (host B on 5). */
const hops: Hop[] = [
  { dpid: d(1), inPort: 1, outPort: 3 },
  { dpid: d(2), inPort: 4, outPort: 2 },
  { dpid: d(3), inPort: 7, outPort: 5 },
];

const flow = (src: string, dst: string, dpid: string, inPort: number, outPort: number, vlan?: number): FlowSpec => ({
  key: vlan === undefined ? `path:${src}:${dst}:${dpid}` : `path:${src}:${dst}:v${vlan}:${dpid}`,
  priority: 20,
  match: [
    { field: 'in_port', value: inPort },
    ...(vlan === undefined ? [] : [{ field: 'vlan_vid' as const, value: 0x1000 | vlan }]),
    { field: 'eth_src', value: src },
    { field: 'eth_dst', value: dst },
  ],
  actions: [{ type: 'output', port: outPort, max_len: 0 }],
  idleTimeout: 60,
});

t.test('a three-switch path gives one flow per switch per direction, ports mirrored on the way back', async (t) => {
  const flows = pairFlows({ src: A, dst: B, vlan: null }, hops, opts);
  t.same([...flows.keys()], [d(1), d(2), d(3)], 'every switch of the path, in path order');
  t.same(flows.get(d(1)), [flow(A, B, d(1), 1, 3), flow(B, A, d(1), 3, 1)]);
  t.same(flows.get(d(2)), [flow(A, B, d(2), 4, 2), flow(B, A, d(2), 2, 4)]);
  t.same(flows.get(d(3)), [flow(A, B, d(3), 7, 5), flow(B, A, d(3), 5, 7)]);
});

t.test('a tagged pair matches vlan_vid with OFPVID_PRESENT and keys the VLAN', async (t) => {
  const flows = pairFlows({ src: A, dst: B, vlan: 10 }, hops.slice(0, 1), opts);
  t.same(flows.get(d(1)), [flow(A, B, d(1), 1, 3, 10), flow(B, A, d(1), 3, 1, 10)]);
});

t.test('both hosts on one switch: a single flow each way', async (t) => {
  const one = completeHops([{ dpid: d(4), inPort: 2, outPort: 6 }])!;
  const flows = pairFlows({ src: A, dst: B, vlan: null }, one, opts);
  t.same([...flows.entries()], [[d(4), [flow(A, B, d(4), 2, 6), flow(B, A, d(4), 6, 2)]]]);
  t.same(linkPorts(one), [], 'crosses no link');
});

t.test('completeHops refuses a path with a missing end or a hairpin; reverseHops mirrors', async (t) => {
  t.equal(completeHops([{ dpid: d(1), outPort: 3 }, { dpid: d(2), inPort: 4, outPort: 1 }]), undefined, 'first in_port missing');
  t.equal(completeHops([{ dpid: d(1), inPort: 3, outPort: 3 }]), undefined, 'in = out would drop the packet');
  t.equal(completeHops([]), undefined);
  t.same(reverseHops(hops), [
    { dpid: d(3), inPort: 5, outPort: 7 },
    { dpid: d(2), inPort: 2, outPort: 4 },
    { dpid: d(1), inPort: 3, outPort: 1 },
  ]);
  t.same(linkPorts(hops), [`${d(1)}/3`, `${d(2)}/4`, `${d(2)}/2`, `${d(3)}/7`], 'inter-switch ports only, not the host ports');
});

t.test('path table: one record per pair whichever host spoke first, found by link port, end and MAC', async (t) => {
  t.equal(pairId(A, B, null), pairId(B, A, null));
  t.not(pairId(A, B, null), pairId(A, B, 10), 'a VLAN is another pair');
  const table = new PathTable();
  const p: PairState = { id: pairId(A, B, null), a: A, b: B, vlan: null, aAt: { dpid: d(1), port: 1 }, bAt: { dpid: d(3), port: 5 }, hops, keys: new Map(), idle: new Set() };
  table.put(p);
  t.same(table.crossing(d(2), 4).map((x) => x.id), [p.id]);
  t.same(table.crossing(d(1), 1), [], 'a host port is not crossed');
  t.same(table.endingAt(d(3), 5).map((x) => x.id), [p.id]);
  t.same(table.withMac(B).map((x) => x.id), [p.id]);
  t.same(table.stranded(), []);
  // Rerouted: the old ports must no longer find it.
  table.put({ ...p, hops: [] });
  t.same(table.crossing(d(2), 4), [], 'old path ports forgotten on replace');
  t.same(table.stranded().map((x) => x.id), [p.id]);
  table.delete(p.id);
  t.equal(table.size, 0);
  t.same(table.withMac(A), []);
});
