// What GET /api/v1/cluster shows: the same shape with and without a cluster.
import type { SwitchRegistry } from '../switches.js';
import type { ClusterMember } from './coordinator.js';

/** This instance's role for a switch: OpenFlow's, plus "pending" (connected, not yet told) and "none" (not connected here). */
export type LocalRole = 'master' | 'slave' | 'equal' | 'pending' | 'none';

export interface ClusterSwitch {
  readonly dpid: string;
  /** Node id of the elected master; null without a cluster or while none is elected. */
  readonly master: string | null;
  /** The master's OFPT_ROLE_REQUEST generation id (decimal); null when there is none. */
  readonly generation: string | null;
  readonly role: LocalRole;
  /** Instances the switch is connected to. */
  readonly candidates: readonly string[];
}

export interface ClusterSnapshot {
  /** "single": no --cluster, this instance controls every switch connected to it with OpenFlow's default role (equal), no role request is sent. */
  readonly mode: 'single' | 'etcd';
  readonly node_id: string | null;
  /** Whether etcd answers (null without a cluster). */
  readonly etcd_reachable: boolean | null;
  readonly members: readonly (ClusterMember & { readonly self: boolean })[];
  readonly switches: readonly ClusterSwitch[];
}

export interface ClusterView {
  snapshot(): ClusterSnapshot;
}

/** No cluster: every connected switch is ours, in the role a switch gives a controller that never asked (equal). */
export function singleNodeView(switches: Pick<SwitchRegistry, 'all'>): ClusterView {
  return {
    snapshot: () => ({
      mode: 'single',
      node_id: null,
      etcd_reachable: null,
      members: [],
      switches: switches.all().map((sw) => ({ dpid: sw.id, master: null, generation: null, role: 'equal' as const, candidates: [] })).sort((a, b) => (a.dpid < b.dpid ? -1 : 1)),
    }),
  };
}
