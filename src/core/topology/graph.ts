// Graph queries over the link table: pure functions of a link list, so they
// are easy to test and to cache. Links are treated as undirected: a probe
// that crossed a cable in one direction proves the cable, and treating the
// graph the same way for paths and for the tree keeps them consistent while
// the reverse probe is still on its way.

import type { Link } from './link-table.js';

/** A neighbour reached out of `port`, arriving on `peerPort` of `peer`. */
export interface Adjacent {
  readonly port: number;
  readonly peer: string;
  readonly peerPort: number;
}

/** Neighbours per switch, each list sorted by (port, peer, peerPort): the tie-breaking order of every search below. */
export type Adjacency = ReadonlyMap<string, readonly Adjacent[]>;

export function adjacency(links: readonly Link[]): Adjacency {
  const seen = new Set<string>();
  const out = new Map<string, Adjacent[]>();
  const add = (from: string, a: Adjacent): void => {
    const k = `${from}/${a.port}>${a.peer}/${a.peerPort}`;
    if (seen.has(k)) return;
    seen.add(k);
    let list = out.get(from);
    if (!list) out.set(from, (list = []));
    list.push(a);
  };
  for (const l of links) {
    add(l.src.dpid, { port: l.src.port_no, peer: l.dst.dpid, peerPort: l.dst.port_no });
    add(l.dst.dpid, { port: l.dst.port_no, peer: l.src.dpid, peerPort: l.src.port_no });
  }
  for (const list of out.values()) list.sort((a, b) => a.port - b.port || (a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0) || a.peerPort - b.peerPort);
  return out;
}

/**
 * One switch on a path. `inPort` is where the packet enters this switch and
 * `outPort` where it leaves. The first hop's inPort and the last hop's
 * outPort are the caller's (`ends`), so they are absent when not given.
 */
export interface PathHop {
  readonly dpid: string;
  readonly inPort?: number;
  readonly outPort?: number;
}

export interface PathEnds {
  /** Where the packet enters the first switch (e.g. a host's port). */
  readonly inPort?: number;
  /** Where it leaves the last switch. */
  readonly outPort?: number;
}

/**
 * Fewest hops from `src` to `dst` (BFS). Ties go to the path found first when
 * every switch tries its ports in ascending order, so the answer is the same
 * on every run. Undefined when there is no path.
 */
export function shortestPath(adj: Adjacency, src: string, dst: string, ends: PathEnds = {}): PathHop[] | undefined {
  const parent = new Map<string, { from: string; outPort: number; inPort: number } | null>([[src, null]]);
  const queue = [src];
  for (let i = 0; i < queue.length && !parent.has(dst); i++) {
    const u = queue[i]!;
    for (const a of adj.get(u) ?? []) {
      if (parent.has(a.peer)) continue;
      parent.set(a.peer, { from: u, outPort: a.port, inPort: a.peerPort });
      queue.push(a.peer);
    }
  }
  if (!parent.has(dst)) return undefined;
  // Walk back from dst, then fill in each hop's ports from its neighbours' edges.
  const chain: { dpid: string; inPort?: number; outPort?: number }[] = [];
  let outPort = ends.outPort;
  for (let at: string | undefined = dst; at !== undefined; ) {
    const p = parent.get(at);
    chain.push(hop(at, p ? p.inPort : ends.inPort, outPort));
    outPort = p?.outPort;
    at = p?.from;
  }
  return chain.reverse();
}

function hop(dpid: string, inPort: number | undefined, outPort: number | undefined): PathHop {
  return { dpid, ...(inPort !== undefined && { inPort }), ...(outPort !== undefined && { outPort }) };
}

/**
 * A BFS spanning forest: rooted at the lowest dpid, then at the lowest dpid
 * not yet reached, and so on. Returns, per switch that has tree edges, the
 * ports on the tree. Parallel links and self-loops never join the tree.
 */
export function spanningTree(adj: Adjacency): Map<string, Set<number>> {
  const tree = new Map<string, Set<number>>();
  const mark = (dpid: string, port: number): void => {
    let s = tree.get(dpid);
    if (!s) tree.set(dpid, (s = new Set()));
    s.add(port);
  };
  const visited = new Set<string>();
  for (const root of [...adj.keys()].sort()) {
    if (visited.has(root)) continue;
    visited.add(root);
    const queue = [root];
    for (let i = 0; i < queue.length; i++) {
      const u = queue[i]!;
      for (const a of adj.get(u) ?? []) {
        if (visited.has(a.peer)) continue;
        visited.add(a.peer);
        mark(u, a.port);
        mark(a.peer, a.peerPort);
        queue.push(a.peer);
      }
    }
  }
  return tree;
}
