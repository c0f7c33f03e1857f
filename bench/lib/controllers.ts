// The three controllers `npm run bench:flows` compares, each in its own
// process so its CPU time and memory can be read from /proc:
//   switchyard  bench/lib/switchyard-proc.ts (default apps, all core services)
//   os-ken      osken-manager running bench/reference/simple_switch_13.py
//   reference   bench/reference/plain-switch.ts (plain Node)
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export type ControllerKind = 'switchyard' | 'os-ken' | 'reference';

export interface RunningController {
  readonly kind: ControllerKind;
  readonly pid: number;
  readonly port: number;
  /** user + system CPU seconds so far. */
  cpu(): number;
  /** Resident memory, MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

const LIB = new URL('./', import.meta.url);
/** The repository root (dist/bench/lib/ → ../../../). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OSKEN_APP = join(ROOT, 'bench/reference/simple_switch_13.py');
const CLK_TCK = 100;

export function cpuSeconds(pid: number): number {
  // /proc/PID/stat: fields after the ")" of the command name; utime and stime are the 14th and 15th fields.
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Why os-ken cannot run here, or undefined. */
export function osKenMissing(): string | undefined {
  if (spawnSync('sh', ['-c', 'command -v osken-manager']).status !== 0) return 'os-ken is not installed (no osken-manager; Debian: python3-os-ken)';
  if (!existsSync(OSKEN_APP)) return `missing ${OSKEN_APP}`;
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

function handle(kind: ControllerKind, child: ChildProcess, port: number, stop: () => void, cleanup = (): void => {}): RunningController {
  const pid = child.pid!;
  return {
    kind, pid, port,
    cpu: () => cpuSeconds(pid),
    rssMb: () => rssMb(pid),
    async stop() {
      const done = exited(child);
      stop();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(t);
      cleanup();
    },
  };
}

/** Node flags for the controller (a --cpu-prof to profile it). */
export async function startController(kind: ControllerKind, nodeFlags: readonly string[] = []): Promise<RunningController> {
  if (kind === 'switchyard') {
    const child = fork(new URL('switchyard-proc.js', LIB), [], { execArgv: [...nodeFlags], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (c) => reject(new Error(`Switchyard exited (${c}) before listening`)));
      child.on('message', (m: { port?: number }) => m.port !== undefined && resolve(m.port));
    });
    return handle(kind, child, port, () => child.send({ cmd: 'stop' }));
  }
  if (kind === 'reference') {
    const child = spawn(process.execPath, [...nodeFlags, fileURLToPath(new URL('../reference/plain-switch.js', LIB))], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (c) => reject(new Error(`reference switch exited (${c}) before listening`)));
      createInterface({ input: child.stdout! }).on('line', (l) => {
        const m = /^listening (\d+)/.exec(l);
        if (m) resolve(Number(m[1]));
      });
    });
    return handle(kind, child, port, () => child.kill('SIGTERM'));
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'osken-flows-'));
  // --pdeathsig: os-ken dies with the benchmark even if that is SIGKILLed. Its counters go to a file, not stdout.
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'osken-manager', '--ofp-listen-host', '127.0.0.1', '--ofp-tcp-listen-port', String(port), OSKEN_APP], {
    env: { ...process.env, SIMPLE_SWITCH_STATS: join(dir, 'stats.json') }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const tail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => {
    tail.push(l);
    if (tail.length > 20) tail.shift();
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`osken-manager exited:\n${tail.join('\n')}`);
    if (spawnSync('ss', ['-Hltn', `sport = :${port}`]).stdout.toString().trim() !== '') break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('os-ken did not listen within 30 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return handle('os-ken', child, port, () => child.kill('SIGTERM'), () => rmSync(dir, { recursive: true, force: true }));
}
