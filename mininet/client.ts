// A Mininet network driven through mininet/driver.py (JSON lines): the one
// client the tests (through test/helpers/mininet.ts) and the benchmarks use.
// It imports nothing of the project, so it runs from the tree (tap) and
// compiled (dist/mininet/client.js) alike.
//
// Protocol: the spec as argv[1]; the first stdout line is {"ready": true|false,
// ...}; then one {"id", "cmd", ...} per stdin line and one {"id", "ok",
// "result"|"error"} per stdout line. stdin EOF and SIGTERM make the driver
// tear its network down.
//
//   const ok = await mininetAvailable();   // test/helpers/mininet.ts
//   if (ok !== true) { t.skip(ok.unavailable); return; }
//   const net = await startMininet('linear,3', { controllerPort: port });
//   t.teardown(() => net.stop());
//   const { dropped_pct } = await net.pingAll();
//
// Names get a prefix unique to the run (switch s1 -> `${prefix}s1`); methods
// take node names with or without it. Commands go one at a time (a queue),
// each with its own timeout. stop() always tears down, and also runs if the
// process exits first; the driver itself also cleans up on stdin EOF/SIGTERM.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The checkout this file belongs to, with a trailing separator: the first folder up that holds mininet/driver.py (from mininet/ or dist/mininet/). */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'mininet', 'driver.py'))) return dir.endsWith(sep) ? dir : dir + sep;
    const up = dirname(dir);
    if (up === dir) throw new Error(`mininet/client: no mininet/driver.py above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export const REPO_ROOT = findRoot();
export const MININET_PYTHON = process.env.MININET_PYTHON ?? '/usr/bin/python3';
export const DRIVER = `${REPO_ROOT}mininet/driver.py`;

export interface Unavailable {
  readonly unavailable: string;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a program (no shell); never rejects: look at `code`. */
export function run(cmd: string, args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
      const code = e === null ? 0 : typeof e.code === 'number' ? e.code : null;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (e && e.code === 'ENOENT' ? `${cmd}: not found` : '')) });
    });
  });
}

export interface SslFiles {
  /** file paths, as `ovs-vsctl set-ssl` takes them */
  readonly key: string;
  readonly cert: string;
  readonly ca: string;
}

export type NodeRef = string | { readonly name: string };
export interface CustomTopo {
  readonly switches: readonly (string | { readonly name: string; readonly dpid?: string | number })[];
  readonly hosts?: readonly (string | { readonly name: string; readonly ip?: string; readonly mac?: string })[];
  readonly links: readonly (readonly [string, string] | { readonly a: string; readonly b: string; readonly aPort?: number; readonly bPort?: number })[];
}
/** 'single,N' | 'linear,N' | 'tree,DEPTH,FANOUT' (numbered as `mn --topo`), or custom (loops allowed). */
export type TopoSpec = string | CustomTopo;

export interface ControllerSpec {
  readonly ip?: string;
  readonly port: number;
  readonly protocol?: 'tcp' | 'ssl';
}

export interface MininetOptions {
  readonly controllerPort: number;
  readonly controllerHost?: string;
  /** more controllers (or ssl ones); replaces controllerPort/controllerHost when given */
  readonly controllers?: readonly ControllerSpec[];
  /** for ssl controllers: files for `ovs-vsctl set-ssl` (machine-wide, restored on stop) */
  readonly ssl?: SslFiles;
  /** at most 8 lowercase letters/digits; default: 'm' + 3 random characters */
  readonly prefix?: string;
  readonly ipBase?: string;
  /** host MACs 00:00:00:00:00:0N (default true) */
  readonly autoSetMacs?: boolean;
  readonly startTimeoutMs?: number;
  /** default timeout per command (pingall computes its own from its size) */
  readonly commandTimeoutMs?: number;
}

export interface PortRef {
  readonly switch: string;
  /** 16 lowercase hex digits */
  readonly dpid: string;
  /** the OpenFlow port number (ofport) */
  readonly port: number;
  readonly name: string;
}
export interface LinkInfo {
  readonly a: PortRef;
  readonly b: PortRef;
  readonly up: boolean;
}
export interface HostInfo {
  readonly name: string;
  readonly mac: string;
  readonly ip: string;
  readonly dpid: string | null;
  readonly port: number | null;
  readonly switch?: string;
}
export interface SwitchSummary {
  readonly name: string;
  readonly dpid: string;
}
export interface PairResult {
  readonly src: string;
  readonly dst: string;
  readonly sent: number;
  readonly received: number;
  readonly rtt_ms: number | null;
}
export interface PingAllResult {
  readonly dropped_pct: number;
  readonly sent: number;
  readonly received: number;
  readonly results: readonly PairResult[];
}
export interface PingResult {
  readonly sent: number;
  readonly received: number;
  readonly dropped_pct: number;
  readonly rtt_ms: { min: number; avg: number; max: number; mdev: number } | null;
  readonly output: string;
}
export interface CmdResult {
  readonly output: string;
  readonly status: number;
}
export interface ReadyInfo {
  readonly prefix: string;
  readonly switches: readonly SwitchSummary[];
  readonly hosts: readonly HostInfo[];
  readonly links: readonly LinkInfo[];
  /** every veth end the network made */
  readonly interfaces: readonly string[];
  readonly elapsed_ms: number;
}
export interface StopReport {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** what the driver left behind and stop() then removed itself (empty when the driver cleaned up) */
  readonly leftovers: readonly string[];
}

const live = new Set<Mininet>();
let exitHook = false;

function randomPrefix(): string {
  // fixed length, so one run's prefix is never the start of another's
  return `m${randomBytes(3).readUIntBE(0, 3).toString(36).padStart(3, '0').slice(-3)}`;
}

const nameOf = (n: NodeRef): string => (typeof n === 'string' ? n : n.name);

export class Mininet {
  readonly prefix: string;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly errTail: string[] = [];
  private readonly waiting = new Map<number, (m: { ok: boolean; result?: unknown; error?: string }) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private stopping: Promise<StopReport> | undefined;
  private readyInfo: ReadyInfo | undefined;

  private constructor(spec: object, prefix: string, private readonly opts: MininetOptions) {
    this.prefix = prefix;
    this.child = spawn(MININET_PYTHON, [DRIVER, JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        for (const [, settle] of this.waiting) settle({ ok: false, error: `the Mininet driver exited (${code ?? signal})` });
        this.waiting.clear();
        live.delete(this);
        resolve(this.exitInfo);
      });
    });
    this.child.once('error', (err) => this.keepErr(`spawn: ${err.message}`));
    this.child.stdin.on('error', () => undefined); // EPIPE after the driver exited
    createInterface({ input: this.child.stderr }).on('line', (l) => this.keepErr(l));
    createInterface({ input: this.child.stdout }).on('line', (l) => this.onLine(l));
    // A forgotten network must not keep the test process alive: at exit the hook below signals it.
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { unref?: () => void }).unref?.();
    live.add(this);
    if (!exitHook) {
      exitHook = true;
      // A sync hook can only signal: the driver then cleans up by itself.
      process.once('exit', () => {
        for (const m of live) m.child.kill('SIGTERM');
      });
    }
  }

  /** Start a network; resolves once the driver says ready (switches may still be connecting). */
  static async start(topo: TopoSpec, opts: MininetOptions): Promise<Mininet> {
    const prefix = opts.prefix ?? randomPrefix();
    const controllers = opts.controllers ?? [{ ip: opts.controllerHost ?? '127.0.0.1', port: opts.controllerPort }];
    const spec = { topo, prefix, controllers, ssl: opts.ssl, ipBase: opts.ipBase, autoSetMacs: opts.autoSetMacs ?? true };
    const net = new Mininet(JSON.parse(JSON.stringify(spec)) as object, prefix, opts);
    const timeoutMs = opts.startTimeoutMs ?? 60_000;
    const ready = new Promise<ReadyInfo>((resolve, reject) => {
      net.waiting.set(0, (m) => (m.ok ? resolve(m.result as ReadyInfo) : reject(new Error(m.error))));
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      net.readyInfo = await Promise.race([
        ready,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return net;
    } catch (e) {
      await net.stop();
      throw new Error(`Mininet ${JSON.stringify(topo)} did not start: ${(e as Error).message}\n${net.stderr}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** What the driver reported when the network came up. */
  get ready(): ReadyInfo {
    if (!this.readyInfo) throw new Error('not started');
    return this.readyInfo;
  }

  /** The last lines the driver wrote to stderr. */
  get stderr(): string {
    return this.errTail.join('\n');
  }

  get running(): boolean {
    return this.exitInfo === undefined && this.stopping === undefined;
  }

  pingAll(opts: { timeout?: number; parallel?: number; timeoutMs?: number } = {}): Promise<PingAllResult> {
    const n = this.readyInfo?.hosts.length ?? 2;
    const perPing = ((opts.timeout ?? 1) + 1) * 1000;
    const budget = opts.timeoutMs ?? Math.ceil((n * (n - 1) * perPing) / (opts.parallel ?? 1)) + 15_000;
    return this.call<PingAllResult>('pingall', { timeout: opts.timeout ?? 1, parallel: opts.parallel ?? 1 }, budget);
  }

  /** `dst` is a host name or an address. */
  ping(src: NodeRef, dst: NodeRef, opts: { count?: number; timeout?: number; interval?: number } = {}): Promise<PingResult> {
    const count = opts.count ?? 1;
    const budget = count * ((opts.interval ?? 1) + (opts.timeout ?? 1)) * 1000 + 15_000;
    return this.call<PingResult>('ping', { src: nameOf(src), dst: nameOf(dst), count, timeout: opts.timeout ?? 1, interval: opts.interval }, budget);
  }

  /** Inter-switch links with real OpenFlow port numbers. */
  links(): Promise<LinkInfo[]> {
    return this.call('links');
  }

  hosts(): Promise<HostInfo[]> {
    return this.call('hosts');
  }

  switches(): Promise<SwitchSummary[]> {
    return this.call('switches');
  }

  /** Both ends of the link(s) between two nodes, up or down (Mininet's configLinkStatus). */
  async setLink(a: NodeRef, b: NodeRef, state: 'up' | 'down'): Promise<void> {
    await this.call('link', { a: nameOf(a), b: nameOf(b), state });
  }

  /** `ovs-ofctl mod-port SWITCH PORT STATE` (port: number or interface name). */
  async setPort(sw: NodeRef, port: number | string, state: 'up' | 'down' | 'flood' | 'no-flood' | 'receive' | 'no-receive' | 'forward' | 'no-forward' | 'packet-in' | 'no-packet-in'): Promise<void> {
    await this.call('port', { switch: nameOf(sw), port, state });
  }

  /** Run in a host: a string goes through `sh -c`, an array is exec'd. */
  cmd(host: NodeRef, args: string | readonly string[], opts: { timeout?: number } = {}): Promise<CmdResult> {
    const timeout = opts.timeout ?? 30;
    return this.call('cmd', { host: nameOf(host), args, timeout }, timeout * 1000 + 10_000);
  }

  /** Start in a host and return at once; the process is killed when the network stops. */
  async background(host: NodeRef, args: string | readonly string[]): Promise<number> {
    const r = await this.call<{ pid: number }>('cmd', { host: nameOf(host), args, background: true });
    return r.pid;
  }

  dumpFlows(sw: NodeRef, table?: number): Promise<string[]> {
    return this.call('dump_flows', { switch: nameOf(sw), table });
  }

  /**
   * Tear down (idempotent). Sends "stop", or SIGTERM at once with `abort` (a
   * command is still running); waits for the driver, kills it if it hangs;
   * then removes anything it left.
   */
  stop(abort = false): Promise<StopReport> {
    this.stopping ??= this.doStop(abort);
    return this.stopping;
  }

  /** SIGTERM now (the driver cleans up by itself); for exit hooks. */
  kill(): void {
    if (this.exitInfo === undefined) this.child.kill('SIGTERM');
  }

  private async doStop(abort: boolean): Promise<StopReport> {
    if (this.exitInfo === undefined) {
      if (abort) this.child.kill('SIGTERM');
      else this.child.stdin.end(`${JSON.stringify({ id: this.nextId++, cmd: 'stop' })}\n`);
      const waitExit = (ms: number): Promise<boolean> => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
        return Promise.race([this.exited.then(() => true), late]).finally(() => clearTimeout(timer));
      };
      if (!(await waitExit(30_000))) {
        this.keepErr('helper: driver did not exit within 30 s of stop; sending SIGTERM');
        this.child.kill('SIGTERM');
        if (!(await waitExit(15_000))) this.child.kill('SIGKILL');
      }
    }
    const { code, signal } = await this.exited;
    const leftovers = await this.removeLeftovers();
    if (leftovers.length) this.keepErr(`helper: removed what the driver left: ${leftovers.join(' ')}`);
    return { code, signal, leftovers };
  }

  /** Bridges and links that carry our prefix (or our known names) and still exist: delete them. */
  private async removeLeftovers(): Promise<string[]> {
    const known = new Set([...(this.readyInfo?.switches.map((s) => s.name) ?? []), ...(this.readyInfo?.interfaces ?? [])]);
    const ours = (n: string): boolean => known.has(n) || n.startsWith(this.prefix);
    const [br, ln] = await Promise.all([run('ovs-vsctl', ['--timeout=5', 'list-br']), run('ip', ['-o', 'link'])]);
    const bridges = br.stdout.split('\n').map((l) => l.trim()).filter((n) => n && ours(n));
    for (const b of bridges) await run('ovs-vsctl', ['--if-exists', 'del-br', b]);
    const links = ln.stdout.split('\n').map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter((n) => n && ours(n));
    for (const l of links) await run('ip', ['link', 'del', l]);
    return [...new Set([...bridges, ...links])];
  }

  private keepErr(line: string): void {
    this.errTail.push(line);
    if (this.errTail.length > 200) this.errTail.shift();
  }

  private onLine(line: string): void {
    let m: { id?: number; ready?: boolean; ok?: boolean; result?: unknown; error?: string };
    try {
      m = JSON.parse(line) as typeof m;
    } catch {
      this.keepErr(`stdout (not JSON): ${line}`);
      return;
    }
    const id = m.ready !== undefined ? 0 : m.id;
    const settle = id === undefined ? undefined : this.waiting.get(id);
    if (!settle) return; // an answer after its timeout
    this.waiting.delete(id!);
    settle(m.ready !== undefined ? { ok: m.ready, result: m, error: m.error } : { ok: m.ok === true, result: m.result, error: m.error });
  }

  /** Queue one command (any the driver knows); its timeout starts when it is sent. */
  call<T>(cmd: string, args: object = {}, timeoutMs = this.opts.commandTimeoutMs ?? 30_000): Promise<T> {
    const task = this.queue.then(() => this.send<T>(cmd, args, timeoutMs));
    this.queue = task.catch(() => undefined);
    return task;
  }

  private send<T>(cmd: string, args: object, timeoutMs: number): Promise<T> {
    if (!this.running) return Promise.reject(new Error(`Mininet ${this.prefix} is stopped (${cmd})`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`Mininet ${cmd} got no answer within ${timeoutMs} ms\n${this.stderr}`));
      }, timeoutMs);
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        if (m.ok) resolve(m.result as T);
        else reject(new Error(`Mininet ${cmd}: ${m.error ?? 'failed'}${this.exitInfo ? `\n${this.stderr}` : ''}`));
      });
      this.child.stdin.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }
}

export function startMininet(topo: TopoSpec, opts: MininetOptions): Promise<Mininet> {
  return Mininet.start(topo, opts);
}

/** Root, Mininet under Debian's python, the driver, mnexec and ping (Open vSwitch is the caller's to check). */
export async function mininetUsable(): Promise<true | Unavailable> {
  if (process.getuid?.() !== 0) return { unavailable: 'Mininet needs root' };
  if (!existsSync('/usr/bin/mn')) return { unavailable: 'Mininet is not installed (no /usr/bin/mn)' };
  const py = await run(MININET_PYTHON, ['-c', 'import mininet.net'], 20_000);
  if (py.code !== 0) return { unavailable: `${MININET_PYTHON} cannot import mininet: ${py.stderr.trim().split('\n').pop() ?? ''}` };
  if (!existsSync(DRIVER)) return { unavailable: `missing ${DRIVER}` };
  for (const tool of ['mnexec', 'ping']) {
    if ((await run('sh', ['-c', `command -v ${tool}`])).code !== 0) return { unavailable: `Mininet needs ${tool}, which is not installed` };
  }
  return true;
}
