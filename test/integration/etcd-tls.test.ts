// The etcd store over TLS with etcd's --client-cert-auth, configured the way
// `switchyard start --cluster etcds://... --cluster-ca/-cert/-key` does: a
// client with a certificate from the CA gets in, one without does not.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStartArgs } from '../../src/config.js';
import { clusterStore } from '../../src/cluster-store.js';
import { StoreUnavailableError } from '../../src/core/store/types.js';
import { etcdAvailable, startEtcd } from '../helpers/etcd.js';
import { missingTool } from '../helpers/ovs.js';

const avail = await etcdAvailable();
const silent = { info: () => {}, warn: () => {} };

/** A CA, a server certificate for 127.0.0.1 (etcd's client port) and a client certificate, by openssl. */
function pki(dir: string): Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey', string> {
  const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=sy-etcd-ca');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  for (const who of ['server', 'client']) {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=sy-etcd-${who}`);
    run('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '2', '-extfile', 'san.ext');
  }
  const p = (f: string): string => join(dir, f);
  return { ca: p('ca.pem'), serverCert: p('server.pem'), serverKey: p('server.key'), clientCert: p('client.pem'), clientKey: p('client.key') };
}

t.test('etcds:// with a client certificate (etcd --client-cert-auth)', { skip: missingTool(avail) }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-etcd-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const f = pki(dir);
  const etcd = await startEtcd({ tls: { ca: f.ca, cert: f.serverCert, key: f.serverKey, client: { cert: f.clientCert, key: f.clientKey } } });
  t.teardown(() => etcd.stop());
  t.match(etcd.clusterUrl, /^etcds:\/\//);

  const cluster = parseStartArgs(['--cluster', etcd.clusterUrl, '--node-id', 'a', '--cluster-ca', f.ca, '--cluster-cert', f.clientCert, '--cluster-key', f.clientKey]).cluster!;
  t.same(cluster.endpoints, etcd.endpoints, 'https endpoints');
  const store = clusterStore(cluster, silent);
  await store.open();
  t.teardown(() => store.close());
  await store.namespace('api').put('k', { over: 'tls' });
  t.same(await store.etcd().get('switchyard/state/api/k').json(), { over: 'tls' }, 'written through TLS');

  const anonymous = clusterStore({ ...cluster, tls: { ca: readFileSync(f.ca, 'utf8') } }, silent);
  const err = await anonymous.open().then(() => undefined, (e: unknown) => e);
  await anonymous.close();
  t.type(err, StoreUnavailableError, 'without a client certificate etcd does not let it in');
});
