import type { Link } from '../../core/topology/link-table.js';

/** What the watch needs of the topology (the app context's topology fits). */
export interface TreeSource {
  links(): Link[];
  spanningTree(): Map<string, ReadonlySet<number>>;
}

const end = (dpid: string, port: number): string => `${dpid}/${port}`;

/**
 * Tells the l2-switch when what it learned may be wrong. Learned ports are
 * tree or edge ports, so they stay right while (a) the spanning tree's edge
 * set is the same and (b) no port turned into an inter-switch port. (b)
 * matters even when the tree does not move: a new cable off the tree means
 * a loop existed unseen, and floods may have gone round it and taught
 * wrong ports anywhere. The second direction of a cable, a refresh, or a
 * link off the tree going away change neither, so they keep what was
 * learned (resetting then costs a flood and a flow-mod per MAC and switch).
 */
export class TreeWatch {
  private edges = '';
  private ports = new Set<string>();

  /** Takes in the current topology; true when learned state must be thrown away. */
  update(topo: TreeSource): boolean {
    const tree = topo.spanningTree();
    const onTree = (dpid: string, port: number): boolean => tree.get(dpid)?.has(port) ?? false;
    const edges = new Set<string>();
    const ports = new Set<string>();
    for (const l of topo.links()) {
      const a = end(l.src.dpid, l.src.port_no);
      const b = end(l.dst.dpid, l.dst.port_no);
      ports.add(a).add(b);
      // A port has one peer, so a link with both ends on the tree is a tree edge.
      if (onTree(l.src.dpid, l.src.port_no) && onTree(l.dst.dpid, l.dst.port_no)) edges.add(a < b ? `${a}-${b}` : `${b}-${a}`);
    }
    const sig = [...edges].sort().join(' ');
    let grew = false;
    for (const p of ports) if (!this.ports.has(p)) grew = true;
    const changed = sig !== this.edges || grew;
    this.edges = sig;
    this.ports = ports;
    return changed;
  }
}
