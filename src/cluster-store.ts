import type { ClusterConfig } from './cluster-config.js';
import { EtcdStore, type EtcdStoreLog } from './core/store/etcd-store.js';

/** The state store of a cluster instance: etcd, at the endpoints and under the prefix --cluster named. */
export function clusterStore(c: ClusterConfig, log: EtcdStoreLog): EtcdStore {
  return new EtcdStore({
    endpoints: c.endpoints,
    prefix: c.prefix,
    log,
    ...(c.tls
      ? { credentials: { rootCertificate: Buffer.from(c.tls.ca), ...(c.tls.key ? { privateKey: Buffer.from(c.tls.key) } : {}), ...(c.tls.cert ? { certChain: Buffer.from(c.tls.cert) } : {}) } }
      : {}),
  });
}
