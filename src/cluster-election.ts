import type { ClusterConfig } from './cluster-config.js';
import { EtcdCoordinator, type CoordinatorLog } from './core/cluster/etcd-coordinator.js';

/** The per-switch role election of a cluster instance: etcd, at the endpoints and under the prefix --cluster named. */
export function clusterElection(c: ClusterConfig, log: CoordinatorLog): EtcdCoordinator {
  return new EtcdCoordinator({
    endpoints: c.endpoints,
    nodeId: c.nodeId,
    prefix: `${c.prefix}/`,
    log,
    ...(c.tls
      ? { credentials: { rootCertificate: Buffer.from(c.tls.ca), ...(c.tls.key ? { privateKey: Buffer.from(c.tls.key) } : {}), ...(c.tls.cert ? { certChain: Buffer.from(c.tls.cert) } : {}) } }
      : {}),
  });
}
