// A cluster election the test decides: who masters which switch, with
// which generation id, and whether "etcd" answers.
import type { ClusterMember, Coordinator, MasterRecord } from '../../src/core/cluster/coordinator.js';

export class FakeCoordinator implements Coordinator {
  reachable = true;
  readonly joined = new Set<string>();
  private readonly masterOf = new Map<string, MasterRecord>();
  private readonly listeners = new Set<(dpid: string | undefined) => void>();
  private readonly others: ClusterMember[] = [];

  constructor(readonly nodeId: string) {}

  /** Elect `node` (this one when it is nodeId) for a switch, or nobody. */
  elect(dpid: string, node: string | undefined, generation = 1n): void {
    if (node === undefined) this.masterOf.delete(dpid);
    else this.masterOf.set(dpid, { node, generation, mine: node === this.nodeId });
    for (const fn of this.listeners) fn(dpid);
  }
  setReachable(r: boolean): void {
    this.reachable = r;
    for (const fn of this.listeners) fn(undefined);
  }
  addMember(node_id: string): void {
    this.others.push({ node_id, since: 1 });
    for (const fn of this.listeners) fn(undefined);
  }

  join(dpid: string): void {
    this.joined.add(dpid);
  }
  leave(dpid: string): void {
    this.joined.delete(dpid);
  }
  master(dpid: string): MasterRecord | undefined {
    return this.masterOf.get(dpid);
  }
  switches(): Map<string, { master: MasterRecord | undefined; candidates: string[] }> {
    const out = new Map<string, { master: MasterRecord | undefined; candidates: string[] }>();
    for (const d of new Set([...this.joined, ...this.masterOf.keys()])) out.set(d, { master: this.masterOf.get(d), candidates: this.joined.has(d) ? [this.nodeId] : [] });
    return out;
  }
  members(): ClusterMember[] {
    return [{ node_id: this.nodeId, since: 0 }, ...this.others];
  }
  onChange(fn: (dpid: string | undefined) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  advertise(): void {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}
