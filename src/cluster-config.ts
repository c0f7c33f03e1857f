/**
 * How an instance joins a cluster (`switchyard start --cluster URL
 * --node-id NAME`): absent from the controller config when it runs alone.
 * The etcd state store and the per-switch role election both read it.
 */
export interface ClusterConfig {
  /** etcd client URLs as the etcd3 client takes them: `http://host:port` (`https://` with TLS). */
  readonly endpoints: readonly string[];
  /** This instance's name in the cluster: unique among the instances, stable across its restarts. */
  readonly nodeId: string;
  /** Every key of this cluster lives under `<prefix>/` (`<prefix>/state/...` for the store). */
  readonly prefix: string;
  /** TLS to etcd: PEM contents (a CA, and a client key and certificate when etcd runs --client-cert-auth). */
  readonly tls?: { readonly ca: string; readonly cert?: string; readonly key?: string };
}

export const DEFAULT_ETCD_PORT = 2379;
export const DEFAULT_CLUSTER_PREFIX = 'switchyard';
const NODE_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const PREFIX = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const HOST = /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9]([a-zA-Z0-9.-]{0,252}))$/;

/** What is wrong with a --cluster or --node-id value, worded for the command line. */
export class ClusterConfigError extends Error {
  override readonly name = 'ClusterConfigError';
}

/**
 * `etcd://host[:port][,host[:port]...][/prefix]` (`etcds://` for TLS) and
 * the node id into a ClusterConfig. The port defaults to 2379, the prefix to
 * "switchyard" (two clusters can share one etcd under different prefixes).
 */
export function parseCluster(url: string, nodeId: string | undefined, tls?: ClusterConfig['tls']): ClusterConfig {
  const example = 'e.g. --cluster etcd://10.0.0.1:2379,10.0.0.2:2379,10.0.0.3:2379';
  const m = /^(etcds?):\/\/([^/]*)(?:\/(.*))?$/.exec(url.trim());
  if (m === null) throw new ClusterConfigError(`--cluster must look like etcd://host:port[,host:port...] (or etcds:// for TLS), got ${JSON.stringify(url)}; ${example}`);
  const [, scheme, hostList, rawPrefix] = m as unknown as [string, string, string, string | undefined];
  const secure = scheme === 'etcds';
  const endpoints = hostList.split(',').map((h) => {
    const hp = h.trim();
    if (hp === '') throw new ClusterConfigError(`--cluster has an empty host in ${JSON.stringify(url)}; ${example}`);
    const pm = /^(.*?)(?::(\d+))?$/.exec(hp)!;
    const host = pm[1]!;
    const port = pm[2] === undefined ? DEFAULT_ETCD_PORT : Number(pm[2]);
    if (!HOST.test(host)) throw new ClusterConfigError(`--cluster: ${JSON.stringify(host)} is not a host name or address (IPv6 goes in brackets: [::1]:2379)`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ClusterConfigError(`--cluster: port ${pm[2]} of ${host} must be 1-65535`);
    return `${secure ? 'https' : 'http'}://${host}:${port}`;
  });
  if (new Set(endpoints).size !== endpoints.length) throw new ClusterConfigError(`--cluster names an etcd member twice: ${url}`);
  const prefix = rawPrefix === undefined || rawPrefix === '' ? DEFAULT_CLUSTER_PREFIX : rawPrefix;
  if (!PREFIX.test(prefix)) throw new ClusterConfigError(`--cluster: the key prefix ${JSON.stringify(prefix)} (after the hosts) must be 1-63 letters, digits, "_", "." or "-"`);
  if (nodeId === undefined || nodeId === '') throw new ClusterConfigError('--cluster needs --node-id NAME: a name for this instance, unique in the cluster and the same after a restart');
  if (!NODE_ID.test(nodeId)) throw new ClusterConfigError(`--node-id ${JSON.stringify(nodeId)} must be 1-63 letters, digits, "_", "." or "-", starting with a letter or digit`);
  if (secure && tls === undefined) throw new ClusterConfigError('etcds:// needs --cluster-ca FILE (the CA that signed the etcd members\' certificates)');
  if (!secure && tls !== undefined) throw new ClusterConfigError('--cluster-ca/--cluster-cert/--cluster-key are for TLS: use etcds:// in --cluster');
  if (tls !== undefined && (tls.cert === undefined) !== (tls.key === undefined)) throw new ClusterConfigError('a client certificate for etcd needs both --cluster-cert and --cluster-key');
  return { endpoints, nodeId, prefix, ...(tls ? { tls } : {}) };
}
