import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  readonly dir: string;
  readonly caCert: string;
  readonly serverKey: string;
  readonly serverCert: string;
  readonly clientKey: string;
  readonly clientCert: string;
  /** Paths, for tools like ovs-vsctl set-ssl. */
  readonly paths: { ca: string; serverKey: string; serverCert: string; clientKey: string; clientCert: string };
  cleanup(): void;
}

/** A throwaway CA with a controller and a switch certificate, made by openssl; `name` tells two PKIs apart (subjects). */
export function makePki(name = 'switchyard-test'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'sy-pki-'));
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${name}-ca`);
  for (const who of ['server', 'client']) {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${name}-${who}`);
    run('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '2');
  }
  const p = (f: string): string => join(dir, f);
  const r = (f: string): string => readFileSync(p(f), 'utf8');
  return {
    dir,
    caCert: r('ca.pem'),
    serverKey: r('server.key'),
    serverCert: r('server.pem'),
    clientKey: r('client.key'),
    clientCert: r('client.pem'),
    paths: { ca: p('ca.pem'), serverKey: p('server.key'), serverCert: p('server.pem'), clientKey: p('client.key'), clientCert: p('client.pem') },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
