// Real etcd for tests: a private single member or a three-member cluster on
// this machine, each member with its own free ports and temp data dir.
//
//   const avail = await etcdAvailable();
//   t.test('...', { skip: missingTool(avail) }, async (t) => {
//     const etcd = await startEtcd({ members: 3 });
//     t.teardown(() => etcd.stop());
//     spawnController(['--cluster', etcd.clusterUrl, '--node-id', 'a']);
//     await etcd.killMember(1); await etcd.killMember(2);   // quorum lost
//     await etcd.restartMember(1);                         // quorum back
//   });
//
// Members are started with the same flags scripts/lib/etcd.sh uses; every
// process this module starts is SIGKILLed and every data dir removed by
// stop() and, as a last resort, when the test process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil, run, type Unavailable } from './ovs.js';

export const ETCD_BIN = process.env.SWITCHYARD_ETCD ?? 'etcd';

export interface EtcdOptions {
  /** 1 (default) or 3 members, all on 127.0.0.1. */
  readonly members?: 1 | 3;
  /** How long to wait for the cluster to answer /health (default 30 s). */
  readonly readyTimeoutMs?: number;
  /**
   * TLS on the client port (PEM file paths): https client URLs, and with
   * --client-cert-auth only clients with a certificate from `ca` get in
   * (`client` is what the health check presents).
   */
  readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string; readonly client: { readonly cert: string; readonly key: string } };
}

export interface EtcdCluster {
  /** Client URLs, one per member: `http://127.0.0.1:PORT` (https with tls; what the etcd3 client takes as `hosts`). */
  readonly endpoints: readonly string[];
  /** The same as one `--cluster` argument: `etcd://127.0.0.1:P1,127.0.0.1:P2,...`. */
  readonly clusterUrl: string;
  /** Data dirs and logs live under here (`m0/`, `m0.log`, ...). */
  readonly dir: string;
  /** Whether member i runs (not killed or stopped). */
  running(i: number): boolean;
  /** SIGKILL member i and wait until it is gone (its data dir stays, for restartMember). */
  killMember(i: number): Promise<void>;
  /** SIGTERM member i (a clean stop) and wait until it is gone. */
  stopMember(i: number): Promise<void>;
  /** Start member i again on its old ports and data; resolves when it answers /health (needs quorum). */
  restartMember(i: number): Promise<void>;
  /** Wait until every running member reports healthy (a quorum exists). */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** Kill every member and remove the data dirs. Idempotent. */
  stop(): Promise<void>;
}

interface Member {
  readonly name: string;
  readonly clientPort: number;
  readonly peerPort: number;
  child: ChildProcess | undefined;
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
let exitHook = false;

/** true when the etcd binary runs here (Debian's etcd-server, installed by scripts/test.sh as root). */
export async function etcdAvailable(): Promise<true | Unavailable> {
  const r = await run(ETCD_BIN, ['--version'], 20_000);
  if (r.code !== 0) return { unavailable: `etcd is not installed (${ETCD_BIN} --version: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? 'failed'}; package etcd-server)` };
  return true;
}

/** Free TCP ports on 127.0.0.1, held open together so the same one is not handed out twice. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, async () => {
      const s = createServer();
      s.listen(0, '127.0.0.1');
      await once(s, 'listening');
      return s;
    }),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function healthy(port: number, tls?: EtcdOptions['tls']): Promise<boolean> {
  try {
    if (tls === undefined) {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
      return ((await res.json()) as { health?: string }).health === 'true';
    }
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsGet(
        { host: '127.0.0.1', port, path: '/health', ca: readFileSync(tls.ca), cert: readFileSync(tls.client.cert), key: readFileSync(tls.client.key), timeout: 2000 },
        (res) => {
          let b = '';
          res.on('data', (d: Buffer) => (b += d.toString()));
          res.on('end', () => resolve(b));
        },
      );
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('timeout')));
    });
    return (JSON.parse(body) as { health?: string }).health === 'true';
  } catch {
    return false;
  }
}

function installExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
}

/** Start a private etcd (1 or 3 members) and resolve once it has a leader and answers /health. */
export async function startEtcd(opts: EtcdOptions = {}): Promise<EtcdCluster> {
  const n = opts.members ?? 1;
  const readyMs = opts.readyTimeoutMs ?? 30_000;
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), 'sy-etcd-'));
  dirs.add(dir);
  const ports = await freePorts(2 * n);
  const members: Member[] = Array.from({ length: n }, (_, i) => ({ name: `m${i}`, clientPort: ports[2 * i]!, peerPort: ports[2 * i + 1]!, child: undefined }));
  const initialCluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(',');
  const token = `sy-${process.pid}-${Date.now().toString(36)}`;
  const tls = opts.tls;
  const scheme = tls ? 'https' : 'http';
  const tlsArgs = tls ? ['--cert-file', tls.cert, '--key-file', tls.key, '--trusted-ca-file', tls.ca, '--client-cert-auth'] : [];

  const launch = (m: Member): void => {
    const log = openSync(join(dir, `${m.name}.log`), 'a');
    const child = spawn(
      ETCD_BIN,
      [
        '--name', m.name,
        '--data-dir', join(dir, m.name),
        '--listen-client-urls', `${scheme}://127.0.0.1:${m.clientPort}`,
        '--advertise-client-urls', `${scheme}://127.0.0.1:${m.clientPort}`,
        ...tlsArgs,
        '--listen-peer-urls', `http://127.0.0.1:${m.peerPort}`,
        '--initial-advertise-peer-urls', `http://127.0.0.1:${m.peerPort}`,
        '--initial-cluster', initialCluster,
        '--initial-cluster-token', token,
        '--initial-cluster-state', 'new',
        // No metrics/pprof listeners beyond the client port; keep logs short.
        '--log-level', 'warn',
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    live.add(child);
    child.once('exit', () => live.delete(child));
    m.child = child;
  };

  const member = (i: number): Member => {
    const m = members[i];
    if (m === undefined) throw new Error(`etcd member ${i} does not exist (0..${n - 1})`);
    return m;
  };
  const isRunning = (m: Member): boolean => m.child !== undefined && m.child.exitCode === null && m.child.signalCode === null;
  const logTail = (m: Member): string => {
    try {
      return readFileSync(join(dir, `${m.name}.log`), 'utf8').slice(-1500);
    } catch {
      return '';
    }
  };
  const end = async (i: number, signal: NodeJS.Signals): Promise<void> => {
    const m = member(i);
    const c = m.child;
    if (c === undefined || !isRunning(m)) return;
    const gone = once(c, 'exit');
    c.kill(signal);
    await gone;
  };
  const waitHealthy = async (timeoutMs = readyMs): Promise<void> => {
    const up = members.filter(isRunning);
    try {
      await Promise.all(up.map((m) => pollUntil(`etcd ${m.name} on 127.0.0.1:${m.clientPort} to be healthy`, () => healthy(m.clientPort, tls), timeoutMs, 100)));
    } catch (e) {
      const dead = members.filter((m) => m.child !== undefined && !isRunning(m) && m.child.exitCode !== null);
      throw new Error(`${(e as Error).message}${dead.length ? `; exited: ${dead.map((m) => `${m.name}: ${logTail(m)}`).join('\n')}` : `; log: ${logTail(up[0]!)}`}`);
    }
  };

  let stopped = false;
  const cluster: EtcdCluster = {
    endpoints: members.map((m) => `${scheme}://127.0.0.1:${m.clientPort}`),
    clusterUrl: `${tls ? 'etcds' : 'etcd'}://${members.map((m) => `127.0.0.1:${m.clientPort}`).join(',')}`,
    dir,
    running: (i) => isRunning(member(i)),
    killMember: (i) => end(i, 'SIGKILL'),
    stopMember: (i) => end(i, 'SIGTERM'),
    async restartMember(i) {
      const m = member(i);
      if (isRunning(m)) return;
      launch(m);
      await pollUntil(`etcd ${m.name} to be healthy again`, () => healthy(m.clientPort, tls), readyMs, 100);
    },
    waitHealthy,
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(members.map((_, i) => end(i, 'SIGKILL')));
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
  };

  members.forEach(launch);
  try {
    await waitHealthy();
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}
