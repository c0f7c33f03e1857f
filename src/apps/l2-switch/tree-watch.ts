import type { Link } from '../../core/topology/link-table.js';

/** What the watch needs of the topology (the app context's topology fits). */
export interface TreeSource {
  links(): Link[];
  spanningTree(): Map<string, ReadonlySet<number>>;
}

interface TreeHop {
  readonly port: number;
  readonly peer: string;
  readonly peerPort: number;
}

const end = (dpid: string, port: number): string => `${dpid}/${port}`;

/**
 * The spanning tree as the l2-switch sees it: which ports lead where, and
 * when what was learned may have become wrong.
 *
 * Learned ports are tree or edge ports, so they stay right while (a) the
 * tree's edge set is the same and (b) no port turned into an inter-switch
 * port. (b) matters even when the tree does not move: a new cable off the
 * tree means a loop existed unseen, and floods may have gone round it and
 * taught wrong ports anywhere. The second direction of a cable, a refresh,
 * or a link off the tree going away change neither, so they keep what was
 * learned (throwing it away costs a flood and a flow-mod per MAC and switch).
 */
export class TreeWatch {
  private edges = '';
  private ports = new Set<string>();
  private adj = new Map<string, TreeHop[]>();
  /** Per destination switch: each other switch's port towards it (cached until the tree changes). */
  private readonly towards = new Map<string, Map<string, number>>();

  /** Takes in the current topology; true when learned state must be thrown away. */
  update(topo: TreeSource): boolean {
    const tree = topo.spanningTree();
    const onTree = (dpid: string, port: number): boolean => tree.get(dpid)?.has(port) ?? false;
    const edges = new Map<string, Link>();
    const ports = new Set<string>();
    for (const l of topo.links()) {
      const a = end(l.src.dpid, l.src.port_no);
      const b = end(l.dst.dpid, l.dst.port_no);
      ports.add(a).add(b);
      // A port has one peer, so a link with both ends on the tree is a tree edge.
      if (onTree(l.src.dpid, l.src.port_no) && onTree(l.dst.dpid, l.dst.port_no)) edges.set(a < b ? `${a}-${b}` : `${b}-${a}`, l);
    }
    const sig = [...edges.keys()].sort().join(' ');
    let grew = false;
    for (const p of ports) if (!this.ports.has(p)) grew = true;
    this.ports = ports;
    if (sig === this.edges) return grew;
    this.edges = sig;
    this.adj = new Map();
    this.towards.clear();
    for (const l of edges.values()) {
      this.hop(l.src.dpid, { port: l.src.port_no, peer: l.dst.dpid, peerPort: l.dst.port_no });
      this.hop(l.dst.dpid, { port: l.dst.port_no, peer: l.src.dpid, peerPort: l.src.port_no });
    }
    return true;
  }

  /**
   * The port of `from` on the tree path to `to`: where a flood from `to`
   * would have arrived, so what a learning switch at `from` would learn
   * for a host attached to `to`. Undefined when they are not connected
   * by the tree (or are the same switch).
   */
  portTowards(from: string, to: string): number | undefined {
    return this.reachableFrom(to).get(from);
  }

  /** Every switch the tree connects to `to`, with its port towards it. */
  reachableFrom(to: string): ReadonlyMap<string, number> {
    let m = this.towards.get(to);
    if (m === undefined) this.towards.set(to, (m = this.search(to)));
    return m;
  }

  private search(root: string): Map<string, number> {
    const out = new Map<string, number>();
    const seen = new Set([root]);
    const queue = [root];
    for (let i = 0; i < queue.length; i++) {
      for (const h of this.adj.get(queue[i]!) ?? []) {
        if (seen.has(h.peer)) continue;
        seen.add(h.peer);
        // The peer's way back towards the root is its end of this edge.
        out.set(h.peer, h.peerPort);
        queue.push(h.peer);
      }
    }
    return out;
  }

  private hop(dpid: string, h: TreeHop): void {
    let list = this.adj.get(dpid);
    if (!list) this.adj.set(dpid, (list = []));
    list.push(h);
  }
}
