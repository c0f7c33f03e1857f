import t from 'tap';
import { adjacency, shortestPath, spanningTree } from '../../../src/core/topology/graph.js';
import type { Link } from '../../../src/core/topology/link-table.js';

const d = (n: number): string => n.toString(16).padStart(16, '0');
/** Both directions of a cable a/pa <-> b/pb. */
const cable = (a: number, pa: number, b: number, pb: number): Link[] => [
  { src: { dpid: d(a), port_no: pa }, dst: { dpid: d(b), port_no: pb } },
  { src: { dpid: d(b), port_no: pb }, dst: { dpid: d(a), port_no: pa } },
];
const treeOf = (links: Link[]): Record<number, number[]> =>
  Object.fromEntries([...spanningTree(adjacency(links))].map(([k, v]) => [parseInt(k, 16), [...v].sort((a, b) => a - b)]));

// Ring s1-s2-s3-s4-s1: port 1 towards the next switch, port 2 towards the previous.
const ring = [...cable(1, 1, 2, 2), ...cable(2, 1, 3, 2), ...cable(3, 1, 4, 2), ...cable(4, 1, 1, 2)];

t.test('ring: shortest path takes the lower port at a tie, whatever the link order', async (t) => {
  const expected = [{ dpid: d(1), outPort: 1 }, { dpid: d(2), inPort: 2, outPort: 1 }, { dpid: d(3), inPort: 2 }];
  t.same(shortestPath(adjacency(ring), d(1), d(3)), expected);
  t.same(shortestPath(adjacency([...ring].reverse()), d(1), d(3)), expected, 'same answer from reversed input');
  t.same(shortestPath(adjacency(ring), d(1), d(4)), [{ dpid: d(1), outPort: 2 }, { dpid: d(4), inPort: 1 }], 'one hop the short way round');
  t.same(shortestPath(adjacency(ring), d(1), d(3), { inPort: 9, outPort: 7 })?.map((h) => [h.inPort, h.outPort]), [[9, 1], [2, 1], [2, 7]], 'ends filled in');
  t.same(shortestPath(adjacency(ring), d(2), d(2), { inPort: 3, outPort: 4 }), [{ dpid: d(2), inPort: 3, outPort: 4 }], 'same switch');
  t.equal(shortestPath(adjacency(ring), d(1), d(9)), undefined, 'unreachable');
});

t.test('ring: the BFS tree from the lowest dpid leaves out exactly one link', async (t) => {
  const tree = treeOf(ring);
  t.same(tree, { 1: [1, 2], 2: [1, 2], 3: [2], 4: [1] });
  const treeEnds = Object.values(tree).reduce((n, ports) => n + ports.length, 0);
  t.equal(treeEnds, 2 * 3, '3 edges for 4 switches');
  t.same(treeOf([...ring].reverse()), tree, 'independent of input order');
});

t.test('tree topology: every link is on the spanning tree, paths go through the root', async (t) => {
  // s1 at the root (ports 1, 2), s2 and s3 below it (uplink port 3), s4 below s2 (port 3 to s2 port 1).
  const links = [...cable(1, 1, 2, 3), ...cable(1, 2, 3, 3), ...cable(2, 1, 4, 3)];
  t.same(treeOf(links), { 1: [1, 2], 2: [1, 3], 3: [3], 4: [3] });
  t.same(shortestPath(adjacency(links), d(4), d(3)), [
    { dpid: d(4), outPort: 3 },
    { dpid: d(2), inPort: 1, outPort: 3 },
    { dpid: d(1), inPort: 1, outPort: 2 },
    { dpid: d(3), inPort: 3 },
  ]);
});

t.test('parallel links and self-loops stay off the tree', async (t) => {
  const links = [...cable(1, 1, 2, 1), ...cable(1, 2, 2, 2), ...cable(2, 5, 2, 6)];
  t.same(treeOf(links), { 1: [1], 2: [1] });
});

t.test('one direction known is enough for a path (cables are bidirectional)', async (t) => {
  const oneWay: Link[] = [{ src: { dpid: d(1), port_no: 1 }, dst: { dpid: d(2), port_no: 3 } }];
  t.same(shortestPath(adjacency(oneWay), d(2), d(1)), [{ dpid: d(2), outPort: 3 }, { dpid: d(1), inPort: 1 }]);
});

t.test('disconnected islands get one tree each, rooted at their lowest dpid', async (t) => {
  const links = [...cable(5, 1, 6, 1), ...cable(1, 1, 2, 1)];
  t.same(treeOf(links), { 1: [1], 2: [1], 5: [1], 6: [1] });
});
