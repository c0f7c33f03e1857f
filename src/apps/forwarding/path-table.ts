// Which host pairs have paths installed, and along which ports: the
// forwarding app's memory. Pure bookkeeping (no I/O). Indexed by the ports
// a path crosses, so a failed link finds its paths without a scan, and by
// MAC, so a host that moves finds its own.

import { linkPorts, portRef, type Attachment, type Hop } from './path-flows.js';

/** 'ab' is the direction from `a` to `b`. */
export type DirName = 'ab' | 'ba';

export interface PairState {
  readonly id: string;
  /** The MAC attached at `aAt`; hops run from a to b. */
  readonly a: string;
  readonly b: string;
  readonly vlan: number | null;
  readonly aAt: Attachment;
  readonly bAt: Attachment;
  /** a → b. Empty while no path exists: the pair is kept so a link coming up can retry it. */
  readonly hops: readonly Hop[];
  /** Flow keys installed per switch (both directions). */
  readonly keys: ReadonlyMap<string, readonly string[]>;
  /** Directions that some switch reported idle-timed-out; both idle = the pair is over. */
  readonly idle: Set<DirName>;
}

/** The same id whichever host spoke first, so both directions share one record. */
export function pairId(x: string, y: string, vlan: number | null): string {
  const [lo, hi] = x < y ? [x, y] : [y, x];
  return `${lo}|${hi}|${vlan ?? '-'}`;
}

export class PathTable {
  private readonly pairs = new Map<string, PairState>();
  /** Inter-switch `dpid/port` → pairs whose path crosses it. */
  private readonly byLinkPort = new Map<string, Set<string>>();
  /** Host `dpid/port` → pairs ending there. */
  private readonly byEnd = new Map<string, Set<string>>();
  private readonly byMac = new Map<string, Set<string>>();

  get size(): number {
    return this.pairs.size;
  }

  get(id: string): PairState | undefined {
    return this.pairs.get(id);
  }

  /** Adds or replaces the pair with the same id. */
  put(p: PairState): void {
    this.delete(p.id);
    this.pairs.set(p.id, p);
    for (const k of linkPorts(p.hops)) add(this.byLinkPort, k, p.id);
    for (const at of [p.aAt, p.bAt]) add(this.byEnd, portRef(at.dpid, at.port), p.id);
    for (const mac of [p.a, p.b]) add(this.byMac, mac, p.id);
  }

  delete(id: string): PairState | undefined {
    const p = this.pairs.get(id);
    if (!p) return undefined;
    this.pairs.delete(id);
    for (const k of linkPorts(p.hops)) del(this.byLinkPort, k, id);
    for (const at of [p.aAt, p.bAt]) del(this.byEnd, portRef(at.dpid, at.port), id);
    for (const mac of [p.a, p.b]) del(this.byMac, mac, id);
    return p;
  }

  /** Pairs whose path crosses this switch port on the way between switches. */
  crossing(dpid: string, port: number): PairState[] {
    return this.lookup(this.byLinkPort, portRef(dpid, port));
  }

  /** Pairs with a host at this switch port. */
  endingAt(dpid: string, port: number): PairState[] {
    return this.lookup(this.byEnd, portRef(dpid, port));
  }

  withMac(mac: string): PairState[] {
    return this.lookup(this.byMac, mac);
  }

  /** Pairs that currently have no path. */
  stranded(): PairState[] {
    return [...this.pairs.values()].filter((p) => p.hops.length === 0).sort((x, y) => (x.id < y.id ? -1 : 1));
  }

  clear(): void {
    this.pairs.clear();
    this.byLinkPort.clear();
    this.byEnd.clear();
    this.byMac.clear();
  }

  /** Sorted by id, so reroutes run in the same order every time. */
  private lookup(index: Map<string, Set<string>>, k: string): PairState[] {
    return [...(index.get(k) ?? [])].sort().map((id) => this.pairs.get(id)!);
  }
}

function add(index: Map<string, Set<string>>, k: string, id: string): void {
  let s = index.get(k);
  if (!s) index.set(k, (s = new Set()));
  s.add(id);
}

function del(index: Map<string, Set<string>>, k: string, id: string): void {
  const s = index.get(k);
  s?.delete(id);
  if (s?.size === 0) index.delete(k);
}
