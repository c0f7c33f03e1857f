import t from 'tap';
import { placeMasters } from '../../../src/core/cluster/placement.js';

const dpid = (i: number): string => i.toString(16).padStart(16, '0');
const all = (n: number, nodes: string[]): Map<string, Set<string>> => new Map(Array.from({ length: n }, (_, i) => [dpid(i + 1), new Set(nodes)]));
const loads = (m: Map<string, string>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const n of m.values()) out[n] = (out[n] ?? 0) + 1;
  return out;
};

t.test('three instances seeing every switch: each masters about a third', async (t) => {
  for (const n of [3, 4, 7, 30]) {
    const l = loads(placeMasters(all(n, ['a', 'b', 'c']), new Map()));
    t.ok(Object.values(l).every((x) => x <= Math.ceil(n / 3) && x >= Math.floor(n / 3)), `${n} switches: ${JSON.stringify(l)}`);
  }
});

t.test('sticky: current masters keep their switches while within their share; an overloaded one gives the excess to the newcomer', async (t) => {
  const cands = all(3, ['a', 'b', 'c']);
  const first = placeMasters(cands, new Map());
  t.same(placeMasters(cands, first), first, 'stable');
  // a died: b and c took its switch; a is back: exactly one switch moves, to a.
  const without = placeMasters(all(3, ['b', 'c']), first);
  t.same(Object.values(loads(without)).sort(), [1, 2], 'the survivors share the three');
  t.notOk([...without.values()].includes('a'));
  const back = placeMasters(cands, without);
  t.same(loads(back), { a: 1, b: 1, c: 1 });
  t.equal([...back].filter(([d, n]) => without.get(d) !== n).length, 1, 'one switch moves');
});

t.test('only candidates are placed; every instance computes the same answer', async (t) => {
  const cands = new Map([[dpid(1), new Set(['a'])], [dpid(2), new Set(['a', 'b'])], [dpid(3), new Set<string>()]]);
  const p = placeMasters(cands, new Map());
  t.equal(p.get(dpid(1)), 'a');
  t.equal(p.get(dpid(2)), 'b', 'b has room, a already has one');
  t.notOk(p.has(dpid(3)), 'a switch nobody sees has no master');
  const reordered = new Map([...cands].reverse());
  t.same([...placeMasters(reordered, new Map())].sort(), [...p].sort(), 'independent of map order');
});
