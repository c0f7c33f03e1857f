// What the role logic needs from the cluster's coordination service (etcd
// in production, a fake in unit tests): who is a member, and who masters
// which switch under which generation id.

/** An instance of the cluster as it registered itself. */
export interface ClusterMember {
  readonly node_id: string;
  /** Where its switches connect and its API listens, as host:port (absent while it starts). */
  readonly openflow?: string;
  readonly api?: string;
  /** The generation its flow cookies carry (bits 31..16): which instance installed a flow in a dump. */
  readonly flow_generation?: number;
  /** When it registered (ms since the epoch). */
  readonly since: number;
}

/** The elected master of one switch. */
export interface MasterRecord {
  readonly node: string;
  /**
   * OFPT_ROLE_REQUEST generation id: the etcd revision that created the
   * election key. A new master always gets a larger one (revisions only
   * grow), so a switch refuses a deposed master's request as stale.
   */
  readonly generation: bigint;
  /** Held by this very process (not merely by an earlier run with the same node id). */
  readonly mine: boolean;
}

export interface Coordinator {
  readonly nodeId: string;
  /** Whether the coordination service answers (false during an outage; the last view stays in force). */
  readonly reachable: boolean;
  /** This instance sees the switch (it is connected here): campaign for it when placement says so. */
  join(dpid: string): void;
  /** The switch left this instance: withdraw, and give up mastership if held. */
  leave(dpid: string): void;
  /** The current master of a switch, as last seen. */
  master(dpid: string): MasterRecord | undefined;
  /** Every switch some member sees, with its master (if any) and the members that see it. */
  switches(): Map<string, { master: MasterRecord | undefined; candidates: string[] }>;
  members(): ClusterMember[];
  /** Called with a dpid when its master changed, or with undefined when membership or reachability changed. */
  onChange(fn: (dpid: string | undefined) => void): () => void;
  /** Tell the others where this instance listens (the member record is updated). */
  advertise(addrs: Pick<ClusterMember, 'openflow' | 'api' | 'flow_generation'>): void;
  start(): Promise<void>;
  /** Leave the cluster: revoke the lease so the others take over at once. */
  stop(): Promise<void>;
}
