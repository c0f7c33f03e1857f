// A small client for mininet/driver.py (one network per driver process, JSON
// lines on stdin/stdout) for the benchmarks, which are compiled into dist/
// and so cannot use test/helpers. Protocol: the spec as argv[1]; the first
// stdout line is {"ready": true|false, ...}; then one {"id", "cmd", ...} per
// stdin line and one {"id", "ok", "result"|"error"} per stdout line. stdin EOF
// and SIGTERM make the driver tear its network down; stop() also removes
// whatever still carries the prefix afterwards.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is at dist/bench/lib/ once built). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MININET_PYTHON = process.env.MININET_PYTHON ?? '/usr/bin/python3';
export const DRIVER = `${REPO_ROOT}mininet/driver.py`;

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a program (no shell); never rejects. */
export function run(cmd: string, args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
      const code = e === null ? 0 : typeof e.code === 'number' ? e.code : null;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (e && e.code === 'ENOENT' ? `${cmd}: not found` : '')) });
    });
  });
}

export type Topo =
  | string
  | {
      readonly switches: readonly string[];
      readonly hosts: readonly string[];
      readonly links: readonly (readonly [string, string])[];
    };

export interface SwitchInfo {
  readonly name: string;
  readonly dpid: string;
}
export interface HostInfo {
  readonly name: string;
  readonly ip: string;
  readonly mac: string;
}
export interface Ready {
  readonly switches: readonly SwitchInfo[];
  readonly hosts: readonly HostInfo[];
  readonly links: readonly unknown[];
  readonly interfaces: readonly string[];
  readonly elapsed_ms: number;
}
export interface PingAll {
  readonly dropped_pct: number;
  readonly sent: number;
  readonly received: number;
}

interface Answer {
  ok: boolean;
  result?: unknown;
  error?: string;
}

const live = new Set<MininetClient>();
process.once('exit', () => {
  // Only signals are possible here; the driver then tears its network down by itself.
  for (const m of live) m.kill();
});

export class MininetClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, (a: Answer) => void>();
  private readonly errTail: string[] = [];
  private nextId = 1;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  private stopping: Promise<string[]> | undefined;
  private readyInfo: Ready | undefined;

  private constructor(
    readonly prefix: string,
    spec: object,
  ) {
    this.child = spawn(MININET_PYTHON, [DRIVER, JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        for (const [, settle] of this.waiting) settle({ ok: false, error: `the Mininet driver exited (${code ?? signal})` });
        this.waiting.clear();
        live.delete(this);
        resolve();
      });
    });
    this.child.once('error', (e) => this.keepErr(`spawn: ${e.message}`));
    this.child.stdin.on('error', () => undefined);
    createInterface({ input: this.child.stderr }).on('line', (l) => this.keepErr(l));
    createInterface({ input: this.child.stdout }).on('line', (l) => this.onLine(l));
    live.add(this);
  }

  /** Start a network whose switches connect to 127.0.0.1:controllerPort. */
  static async start(topo: Topo, opts: { prefix: string; controllerPort: number; timeoutMs?: number }): Promise<MininetClient> {
    const spec = { topo, prefix: opts.prefix, controllers: [{ ip: '127.0.0.1', port: opts.controllerPort }], autoSetMacs: true };
    const m = new MininetClient(opts.prefix, spec);
    const ready = new Promise<Answer>((resolve) => m.waiting.set(0, resolve));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Answer>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, error: `not ready within ${opts.timeoutMs ?? 90_000} ms` }), opts.timeoutMs ?? 90_000);
    });
    const a = await Promise.race([ready, late]).finally(() => clearTimeout(timer));
    if (!a.ok) {
      await m.stop();
      throw new Error(`Mininet ${JSON.stringify(topo)} did not start: ${a.error ?? ''}\n${m.stderr}`);
    }
    m.readyInfo = a.result as Ready;
    return m;
  }

  get ready(): Ready {
    if (!this.readyInfo) throw new Error('not started');
    return this.readyInfo;
  }

  get stderr(): string {
    return this.errTail.join('\n');
  }

  get running(): boolean {
    return this.exitInfo === undefined && this.stopping === undefined;
  }

  /** One ping (-c 1 -W timeout) per ordered host pair, one after the other, as Mininet's pingall. */
  pingAll(timeoutMs: number, timeout = 1): Promise<PingAll> {
    return this.call<PingAll>('pingall', { timeout, parallel: 1 }, timeoutMs);
  }

  /** One command at a time: the driver answers in order. */
  call<T>(cmd: string, args: object = {}, timeoutMs = 30_000): Promise<T> {
    if (!this.running) return Promise.reject(new Error(`Mininet ${this.prefix} is stopped (${cmd})`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`Mininet ${cmd} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, (a) => {
        clearTimeout(timer);
        if (a.ok) resolve(a.result as T);
        else reject(new Error(`Mininet ${cmd}: ${a.error ?? 'failed'}`));
      });
      this.child.stdin.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }

  /** SIGTERM now (the driver cleans up by itself); for exit hooks and aborts. */
  kill(): void {
    if (this.exitInfo === undefined) this.child.kill('SIGTERM');
  }

  /**
   * Tear down (idempotent): "stop", or SIGTERM at once when `abort` (a command
   * is still running); SIGKILL if the driver hangs; then delete every bridge and
   * link that is still ours. Returns what had to be removed that way.
   */
  stop(abort = false): Promise<string[]> {
    this.stopping ??= this.doStop(abort);
    return this.stopping;
  }

  private async doStop(abort: boolean): Promise<string[]> {
    const waitExit = (ms: number): Promise<boolean> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
      return Promise.race([this.exited.then(() => true), late]).finally(() => clearTimeout(timer));
    };
    if (this.exitInfo === undefined) {
      if (abort) this.child.kill('SIGTERM');
      else this.child.stdin.end(`${JSON.stringify({ id: this.nextId++, cmd: 'stop' })}\n`);
      if (!(await waitExit(45_000))) {
        this.child.kill('SIGTERM');
        if (!(await waitExit(15_000))) this.child.kill('SIGKILL');
      }
    }
    await this.exited;
    return this.removeLeftovers();
  }

  private async removeLeftovers(): Promise<string[]> {
    const known = new Set([...(this.readyInfo?.switches.map((s) => s.name) ?? []), ...(this.readyInfo?.interfaces ?? [])]);
    const ours = (n: string): boolean => known.has(n) || n.startsWith(this.prefix);
    const [br, ln] = await Promise.all([run('ovs-vsctl', ['--timeout=10', 'list-br']), run('ip', ['-o', 'link'])]);
    const bridges = br.stdout.split('\n').map((l) => l.trim()).filter((n) => n && ours(n));
    for (const b of bridges) await run('ovs-vsctl', ['--timeout=20', '--if-exists', 'del-br', b]);
    const links = ln.stdout.split('\n').map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter((n) => n && ours(n));
    for (const l of links) await run('ip', ['link', 'del', l]);
    return [...new Set([...bridges, ...links])];
  }

  private keepErr(line: string): void {
    this.errTail.push(line);
    if (this.errTail.length > 100) this.errTail.shift();
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
    if (!settle) return;
    this.waiting.delete(id!);
    const ans: Answer = { ok: m.ready !== undefined ? m.ready : m.ok === true, result: m.ready !== undefined ? m : m.result };
    if (m.error !== undefined) ans.error = m.error;
    settle(ans);
  }
}
