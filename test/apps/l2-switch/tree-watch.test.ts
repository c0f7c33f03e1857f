// TreeWatch on plain link lists: when the l2-switch must forget what it
// learned, and which port of each switch leads towards another.
import t from 'tap';
import { TreeWatch } from '../../../src/apps/l2-switch/tree-watch.js';
import { adjacency, spanningTree } from '../../../src/core/topology/graph.js';
import type { Link } from '../../../src/core/topology/link-table.js';

const id = (n: number): string => n.toString(16).padStart(16, '0');
const dir = (a: number, pa: number, b: number, pb: number): Link => ({ src: { dpid: id(a), port_no: pa }, dst: { dpid: id(b), port_no: pb } });
const cable = (a: number, pa: number, b: number, pb: number): Link[] => [dir(a, pa, b, pb), dir(b, pb, a, pa)];
/** The topology service's view of a link list (the same graph functions it uses). */
const topo = (links: Link[]) => ({ links: () => links, spanningTree: () => spanningTree(adjacency(links)) as Map<string, ReadonlySet<number>> });

// Ring s1-s2-s3-s4-s1 (ports 1 to the next switch, 2 to the previous): the tree from s1 leaves s3-s4 out.
const S1S2 = cable(1, 1, 2, 2);
const S2S3 = cable(2, 1, 3, 2);
const S3S4 = cable(3, 1, 4, 2);
const S4S1 = cable(4, 1, 1, 2);

t.test('only a new tree edge set or a new inter-switch port means starting over', async (t) => {
  const w = new TreeWatch();
  t.notOk(w.update(topo([])), 'nothing to nothing');
  t.ok(w.update(topo([S1S2[0]!])), 'a first direction: a new tree edge');
  t.notOk(w.update(topo([...S1S2])), 'the second direction of the same cable changes nothing');
  t.ok(w.update(topo([...S1S2, ...S2S3, ...S4S1])));
  t.ok(w.update(topo([...S1S2, ...S2S3, ...S4S1, S3S4[0]!])), 'a cable off the tree: the tree is the same, but a loop was there unseen');
  t.notOk(w.update(topo([...S1S2, ...S2S3, ...S4S1, ...S3S4])), 'its second direction');
  t.notOk(w.update(topo([...S1S2, ...S2S3, ...S4S1])), 'the cable off the tree goes: nothing learned used it');
  t.notOk(w.update(topo([S1S2[0]!, ...S2S3, ...S4S1])), 'one direction of a tree cable goes: the graph is undirected');
  t.ok(w.update(topo([...S2S3, ...S4S1, ...S3S4])), 'a tree cable goes: the tree moves');
});

t.test('the port of each switch towards another, along the tree', async (t) => {
  const w = new TreeWatch();
  w.update(topo([...S1S2, ...S2S3, ...S3S4, ...S4S1]));
  t.same([...w.reachableFrom(id(1))].sort(), [[id(2), 2], [id(3), 2], [id(4), 1]], 'towards s1: s3 goes through s2, not over the blocked s3-s4');
  t.equal(w.portTowards(id(4), id(3)), 1, 's4 reaches s3 through s1');
  t.equal(w.portTowards(id(3), id(4)), 2);
  t.equal(w.portTowards(id(1), id(1)), undefined, 'a switch is not on its own way');
  t.equal(w.portTowards(id(9), id(1)), undefined, 'a switch the tree does not reach');
  w.update(topo([...S2S3, ...S3S4, ...S4S1]));
  t.equal(w.portTowards(id(2), id(1)), 1, 'recomputed after the tree changed: s2 now goes round through s3 and s4');
});
