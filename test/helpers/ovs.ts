// Real Open vSwitch for integration tests: bridges on the userspace datapath,
// veth ports, network namespaces as hosts, and ovs-ofctl.
//
//   const ok = await ovsAvailable();
//   if (ok !== true) { t.skip(ok.unavailable); return; }
//   const br = await createBridge('c', { controllerPort: port, ports: 3 });
//   t.teardown(cleanup);
//
// Every name this module creates (bridges, veths, namespaces) starts with
// `ovsPrefix`, four characters unique to this process, so `cleanup()` (also
// run at process exit) removes exactly what this process made and nothing
// else. Bridges are datapath_type=netdev (no kernel module here).
import { spawnSync } from 'node:child_process';
import type { Test } from 'tap';
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunResult, type SslFiles, type Unavailable } from '../../mininet/client.js';

export { run, type RunResult, type SslFiles, type Unavailable };

export interface BridgeOptions {
  readonly controllerPort: number;
  readonly controllerHost?: string;
  /** veth ports to add (numbered 1..n, named `${bridge}p${n}`); default 0 */
  readonly ports?: number;
  /** an ssl: controller target; with files, also `ovs-vsctl set-ssl` (machine-wide; restored by cleanup()) */
  readonly ssl?: boolean | SslFiles;
  /** other_config:datapath-id; default: OVS derives one from the bridge MAC */
  readonly dpid?: bigint;
  readonly failMode?: 'secure' | 'standalone';
}

export interface VethPort {
  /** the end attached to the bridge */
  readonly name: string;
  /** the other end (in the root namespace, or `eth0` inside a host's netns) */
  readonly peer: string;
  readonly ofport: number;
}

export interface Bridge {
  readonly name: string;
  /** 16 lowercase hex digits, as OVS reports it */
  readonly dpid: string;
  readonly ports: readonly VethPort[];
}

/**
 * The checkout, with a trailing separator: the first folder above this file
 * that holds scripts/lib/ovs.sh. Tests run from test/ (tap on the sources) or
 * from dist-test/test/ (compiled by scripts/lib/run-tests.mjs), and find repo
 * files through this either way.
 */
export const REPO_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'scripts', 'lib', 'ovs.sh'))) return dir.endsWith(sep) ? dir : dir + sep;
    const up = dirname(dir);
    if (up === dir) throw new Error(`test/helpers/ovs: no scripts/lib/ovs.sh above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
})();
export const OVS_SCRIPT = `${REPO_ROOT}scripts/lib/ovs.sh`;
const RUN_DIR = '/var/run/openvswitch';

/** Four characters, unique to this process: the start of every name we create. */
export const ovsPrefix = `o${randomBytes(3).readUIntBE(0, 3).toString(36).padStart(3, '0').slice(-3)}`;

const created = { bridges: new Set<string>(), links: new Set<string>(), netns: new Set<string>() };
const nextPort = new Map<string, number>();
let sslRestore: string[] | undefined;
let exitHook = false;

export function isUnavailable(x: unknown): x is Unavailable {
  return typeof x === 'object' && x !== null && 'unavailable' in x;
}

/**
 * The `skip` option for a test that needs a tool (Open vSwitch, Mininet,
 * tshark, os-ken, Docker, Chromium...): false when it is there. Without root
 * nothing can be installed, so the test skips with this one-line reason. As
 * root the test command installs every tool first, so a missing one is a
 * failure: this throws, and the file fails with the reason.
 */
export function missingTool(avail: true | Unavailable | string | false): false | string;
/** Inside a running test: skip it (not root) or fail it (root) with the reason. */
export function missingTool(avail: Unavailable | string, t: Test): void;
export function missingTool(avail: true | Unavailable | string | false, t?: Test): false | string | void {
  if (avail === true || avail === false) return false;
  const why = typeof avail === 'string' ? avail : avail.unavailable;
  const asRoot = process.getuid?.() === 0;
  const failure = `${why}; as root scripts/test.sh installs every tool the tests need, so a missing one fails instead of skipping`;
  if (t) return asRoot ? void t.fail(failure) : void t.skip(why, async () => {});
  if (asRoot) throw new Error(failure);
  return why;
}

/** Run and return stdout; rejects with the command and its stderr when it fails. */
export async function must(cmd: string, args: readonly string[], timeoutMs?: number): Promise<string> {
  const r = await run(cmd, args, timeoutMs);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code ?? 'killed'}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** Poll `probe` until it returns something other than undefined/false; rejects after `timeoutMs`. */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Resolve with the arguments of the first `event` whose arguments satisfy
 * `accept`; rejects after `timeoutMs`, naming `what`. Call it before the
 * action that causes the event.
 */
export function waitForEvent<A extends unknown[]>(
  emitter: EventEmitter, event: string, accept: (...args: A) => boolean, what: string, timeoutMs = 20_000,
): Promise<A> {
  return new Promise<A>((resolve, reject) => {
    const onEvent = (...args: unknown[]): void => {
      if (!accept(...(args as A))) return;
      done();
      resolve(args as A);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      emitter.off(event, onEvent);
    };
    emitter.on(event, onEvent);
  });
}

let availability: Promise<true | Unavailable> | undefined;

/** Root, ovs-vsctl installed, and `scripts/lib/ovs.sh start` succeeds (cached per process). */
export function ovsAvailable(): Promise<true | Unavailable> {
  availability ??= (async (): Promise<true | Unavailable> => {
    if (process.getuid?.() !== 0) return { unavailable: 'Open vSwitch tests need root' };
    const v = await run('ovs-vsctl', ['--version'], 10_000);
    if (v.code !== 0) return { unavailable: 'Open vSwitch is not installed (no ovs-vsctl)' };
    const s = await run('bash', [OVS_SCRIPT, 'start'], 60_000);
    if (s.code !== 0) {
      const why = (s.stderr || s.stdout).trim().split('\n').pop() ?? '';
      return { unavailable: `Open vSwitch did not start (scripts/lib/ovs.sh start: ${why})` };
    }
    return true;
  })();
  return availability;
}

function own(name: string): string {
  const full = name.startsWith(ovsPrefix) ? name : `${ovsPrefix}${name}`;
  if (!/^[a-z0-9]+$/.test(full)) throw new Error(`name ${JSON.stringify(name)}: use lowercase letters and digits`);
  return full;
}

function hookExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', cleanupSync);
}

function vsctlValue(s: string): string {
  return s.trim().replace(/^"(.*)"$/, '$1');
}

async function ofportOf(iface: string): Promise<number> {
  return pollUntil(`an OpenFlow port number for ${iface}`, async () => {
    const n = Number(vsctlValue(await must('ovs-vsctl', ['get', 'Interface', iface, 'ofport'])));
    return Number.isInteger(n) && n > 0 ? n : undefined;
  }, 10_000);
}

/**
 * A bridge `${ovsPrefix}${name}` (at most 12 characters in all, so port names
 * fit in 15) on the userspace datapath, OpenFlow 1.3 only, fail-mode secure,
 * with one controller (max_backoff 1 s) and `ports` veth ports 1..n.
 */
export async function createBridge(name: string, opts: BridgeOptions): Promise<Bridge> {
  const br = own(name);
  if (br.length > 12) throw new Error(`bridge name ${br} is longer than 12 characters (ports are ${br}pNN, at most 15)`);
  hookExit();
  await reapOrphans();
  if (typeof opts.ssl === 'object') await setSsl(opts.ssl);
  const target = `${opts.ssl ? 'ssl' : 'tcp'}:${opts.controllerHost ?? '127.0.0.1'}:${opts.controllerPort}`;
  const bridgeOpts = [
    'datapath_type=netdev', 'protocols=OpenFlow13', `fail_mode=${opts.failMode ?? 'secure'}`,
    'other-config:disable-in-band=true', 'controller=[@c]', `external-ids:${OWNER_KEY}=${process.pid}`,
    ...(opts.dpid !== undefined ? [`other-config:datapath-id=${opts.dpid.toString(16).padStart(16, '0')}`] : []),
  ];
  // veths first, then one transaction: the switch's first handshake already lists every port
  const veths = [];
  for (let i = 0; i < (opts.ports ?? 0); i++) veths.push(await makeVeth(br));
  created.bridges.add(br);
  await must('ovs-vsctl', [
    '--', '--id=@c', 'create', 'Controller', `target="${target}"`, 'max_backoff=1000',
    '--', 'add-br', br, '--', 'set', 'Bridge', br, ...bridgeOpts,
    ...veths.flatMap((v) => v.attach),
  ]);
  const ports: VethPort[] = [];
  for (const { port } of veths) ports.push({ ...port, ofport: await ofportOf(port.name) });
  const dpid = await pollUntil(`the datapath id of ${br}`, async () => {
    const d = vsctlValue(await must('ovs-vsctl', ['get', 'Bridge', br, 'datapath_id']));
    return /^[0-9a-f]{16}$/.test(d) ? d : undefined;
  }, 10_000);
  return { name: br, dpid, ports };
}

function nextName(bridge: string): { name: string; n: number } {
  const n = (nextPort.get(bridge) ?? 0) + 1;
  nextPort.set(bridge, n);
  const name = `${bridge}p${n}`;
  if (name.length > 15) throw new Error(`interface name ${name} is longer than 15 characters`);
  return { name, n };
}

/** A veth pair `${bridge}pN` / `${bridge}qN`, both up; returns the ovs-vsctl args that attach pN as ofport N. */
async function makeVeth(bridge: string): Promise<{ port: VethPort; attach: string[] }> {
  const { name, n } = nextName(bridge);
  const peer = `${bridge}q${n}`;
  created.links.add(name).add(peer);
  await must('ip', ['link', 'add', name, 'type', 'veth', 'peer', 'name', peer]);
  await must('ip', ['link', 'set', name, 'up']);
  await must('ip', ['link', 'set', peer, 'up']);
  return { port: { name, peer, ofport: n }, attach: ['--', 'add-port', bridge, name, '--', 'set', 'Interface', name, `ofport_request=${n}`] };
}

/** A veth pair `${bridge}pN` (on the bridge, ofport N) / `${bridge}qN` (free end, up). */
export async function addPort(bridge: string): Promise<VethPort> {
  const { port, attach } = await makeVeth(bridge);
  await must('ovs-vsctl', attach);
  return { ...port, ofport: await ofportOf(port.name) };
}

/**
 * A host: network namespace `${ovsPrefix}${name}` whose `eth0` (address
 * `ip`, e.g. '10.0.0.1/24') is a veth to a new port on `bridge`. Returns the ofport.
 */
export async function addHost(bridge: string, name: string, ip: string): Promise<number> {
  const ns = own(name);
  created.netns.add(ns);
  await must('ip', ['netns', 'add', ns]);
  const { name: port, n } = nextName(bridge);
  created.links.add(port);
  await must('ip', ['link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
  await must('ip', ['link', 'set', port, 'up']);
  await must('ovs-vsctl', ['add-port', bridge, port, '--', 'set', 'Interface', port, `ofport_request=${n}`]);
  await must('ip', ['-n', ns, 'addr', 'add', ip.includes('/') ? ip : `${ip}/24`, 'dev', 'eth0']);
  await must('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
  await must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  return ofportOf(port);
}

/** Run a command inside a host made by addHost. */
export function inHost(name: string, cmd: string, ...args: string[]): Promise<RunResult> {
  return run('ip', ['netns', 'exec', own(name), cmd, ...args]);
}

/** `ovs-ofctl -O OpenFlow13 SUBCOMMAND BRIDGE ARGS...`; returns stdout, rejects with stderr. */
export function ofctl(bridge: string, subcommand: string, ...args: string[]): Promise<string> {
  return must('ovs-ofctl', ['-O', 'OpenFlow13', subcommand, bridge, ...args]);
}

/** Flow lines of `dump-flows`, without the reply header. */
export async function dumpFlows(bridge: string): Promise<string[]> {
  const out = await ofctl(bridge, 'dump-flows');
  return out.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('OFPST_FLOW'));
}

/** `ovs-ofctl mod-port`: administratively up or down (OFPPC_PORT_DOWN). */
export async function setPortState(bridge: string, port: number | string, state: 'up' | 'down'): Promise<void> {
  await ofctl(bridge, 'mod-port', String(port), state);
}

export async function deleteBridge(name: string): Promise<void> {
  await must('ovs-vsctl', ['--if-exists', 'del-br', name]);
  created.bridges.delete(name);
}

async function setSsl(files: SslFiles): Promise<void> {
  if (sslRestore === undefined) {
    const before = await must('ovs-vsctl', ['get-ssl']);
    const v = Object.fromEntries([...before.matchAll(/^(Private key|Certificate|CA Certificate): (.*)$/gm)].map((m) => [m[1], m[2]]));
    sslRestore = v['Private key'] && v['Certificate'] && v['CA Certificate'] ? [v['Private key'], v['Certificate'], v['CA Certificate']] : [];
  }
  await must('ovs-vsctl', ['set-ssl', files.key, files.cert, files.ca]);
}

/** Everything that exists now and carries our prefix (bridges, links, namespaces). */
function sweepCommands(listBr: string, links: string, netns: string): string[][] {
  const mine = (n: string): boolean => n.startsWith(ovsPrefix);
  const cmds: string[][] = [];
  const brs = new Set([...created.bridges, ...listBr.split('\n').map((l) => l.trim()).filter(mine)]);
  for (const b of brs) cmds.push(['ovs-vsctl', '--if-exists', 'del-br', b]);
  const ifs = new Set([...created.links, ...links.split('\n').map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter(mine)]);
  for (const i of ifs) cmds.push(['ip', 'link', 'del', i]);
  const nss = new Set([...created.netns, ...netns.split('\n').map((l) => l.split(' ')[0] ?? '').filter(mine)]);
  for (const n of nss) cmds.push(['ip', 'netns', 'del', n]);
  if (sslRestore !== undefined) cmds.push(sslRestore.length ? ['ovs-vsctl', 'set-ssl', ...sslRestore] : ['ovs-vsctl', 'del-ssl']);
  return cmds;
}

function forget(): void {
  created.bridges.clear();
  created.links.clear();
  created.netns.clear();
  nextPort.clear();
  sslRestore = undefined;
}

/** Delete every bridge, veth and namespace this process created (idempotent). */
export async function cleanup(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const [br, ln, ns] = await Promise.all([run('ovs-vsctl', ['--timeout=5', 'list-br']), run('ip', ['-o', 'link']), run('ip', ['netns', 'list'])]);
  // bridges first (that releases their ports), then veths, then namespaces
  for (const [cmd, ...args] of sweepCommands(br.stdout, ln.stdout, ns.stdout)) await run(cmd!, args);
  forget();
}

function cleanupSync(): void {
  if (created.bridges.size + created.links.size + created.netns.size === 0 && sslRestore === undefined) return;
  const out = (cmd: string, args: string[]): string => spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 }).stdout ?? '';
  for (const [cmd, ...args] of sweepCommands(out('ovs-vsctl', ['--timeout=5', 'list-br']), out('ip', ['-o', 'link']), out('ip', ['netns', 'list']))) {
    spawnSync(cmd!, args, { stdio: 'ignore', timeout: 10_000 });
  }
  forget();
}

const OWNER_KEY = 'switchyard-test-pid';
let reaped: Promise<void> | undefined;

/**
 * Bridges an earlier test process made and could not delete (it was
 * SIGKILLed, or died of a signal, which skips exit hooks) carry that
 * process's pid: delete them with their veths and that process's namespaces.
 * Once per process.
 */
function reapOrphans(): Promise<void> {
  reaped ??= (async () => {
    const r = await run('ovs-vsctl', ['--format=json', '--columns=name,external_ids', 'list', 'Bridge']);
    if (r.code !== 0) return;
    const rows = (JSON.parse(r.stdout) as { data: [string, ['map', [string, string][]]][] }).data;
    const dead = rows
      .filter(([, [, ids]]) => ids.some(([k, v]) => k === OWNER_KEY && Number(v) !== process.pid && !alive(Number(v))))
      .map(([name]) => name);
    if (dead.length === 0) return;
    const [links, netns] = await Promise.all([run('ip', ['-o', 'link']), run('ip', ['netns', 'list'])]);
    for (const br of dead) {
      await run('ovs-vsctl', ['--if-exists', 'del-br', br]);
      const veth = new RegExp(`^${br}[pq]\\d+$`);
      for (const l of links.stdout.split('\n').map((x) => x.split(': ')[1]?.split('@')[0] ?? '')) if (veth.test(l)) await run('ip', ['link', 'del', l]);
      for (const n of netns.stdout.split('\n').map((x) => x.split(' ')[0] ?? '')) if (n && n.startsWith(br.slice(0, ovsPrefix.length))) await run('ip', ['netns', 'del', n]);
    }
    process.stderr.write(`ovs helper: removed bridges left by dead test processes: ${dead.join(' ')}\n`);
  })();
  return reaped;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** true when ovsdb-server answers `ovs-vsctl show` and ovs-vswitchd answers `ovs-appctl version`. */
export async function ovsAnswers(): Promise<boolean> {
  const [db, vs] = await Promise.all([
    run('ovs-vsctl', ['--timeout=2', 'show'], 5_000),
    run('ovs-appctl', ['--timeout=2', '-t', 'ovs-vswitchd', 'version'], 5_000),
  ]);
  return db.code === 0 && vs.code === 0;
}

/**
 * Kill ovs-vswitchd (pid from its pidfile), start it again with
 * scripts/lib/ovs.sh, and wait until it and the database answer. Bridges
 * come back from the database; switches reconnect to their controllers.
 * Affects every bridge on the machine.
 */
export async function restartVswitchd(timeoutMs = 30_000): Promise<void> {
  const pidfile = `${RUN_DIR}/ovs-vswitchd.pid`;
  const pid = existsSync(pidfile) ? Number(readFileSync(pidfile, 'utf8').trim()) : NaN;
  if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
    process.kill(pid, 'SIGTERM');
    await pollUntil(`ovs-vswitchd (pid ${pid}) to exit`, () => !alive(pid), timeoutMs / 2).catch(async () => {
      process.kill(pid, 'SIGKILL');
      await pollUntil(`ovs-vswitchd (pid ${pid}) to die`, () => !alive(pid), 5_000);
    });
  }
  await must('bash', [OVS_SCRIPT, 'start'], timeoutMs);
  await pollUntil('ovs-vsctl show and ovs-appctl version to answer', ovsAnswers, timeoutMs);
}
