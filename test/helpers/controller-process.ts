// The controller as a child process (`switchyard start`), for tests that
// kill it with SIGKILL and start it again on the same state directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { REPO_ROOT } from './ovs.js';

export interface ControllerProcess {
  readonly child: ChildProcess;
  readonly rest: string;
  readonly ofPort: number;
  /** Every pino line it wrote to stdout, parsed. */
  readonly lines: { msg?: string; [k: string]: unknown }[];
  /** The inspector's WebSocket URL, when started with `inspect: true`. */
  readonly inspectorUrl: string | undefined;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start `bin/switchyard.js start ARGS` (free ports unless ARGS say otherwise) and resolve once it logs
 * that it runs. The bin builds dist/ first when it is older than src/ (the test command builds it anyway).
 */
export async function spawnController(args: readonly string[], timeoutMs = 180_000, opts: { inspect?: boolean } = {}): Promise<ControllerProcess> {
  const entry = join(REPO_ROOT, 'bin', 'switchyard.js');
  // The inspector lets a test run a full GC in the child before reading its heap (test/helpers/child-heap.ts).
  const child = spawn(process.execPath, [...(opts.inspect ? ['--inspect=127.0.0.1:0'] : []), entry, 'start', '--of-port', '0', '--of-address', '127.0.0.1', '--http-port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: { msg?: string; [k: string]: unknown }[] = [];
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<{ rest: string; openflow: { port: number } }>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const j = JSON.parse(line) as { msg?: string; rest: string; openflow: { port: number } };
          lines.push(j);
          if (j.msg === 'Switchyard is running') resolve(j);
        } catch {
          /* not a log line */
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`controller exited early with ${code}: ${err.slice(-2000)}`)));
    setTimeout(() => reject(new Error(`controller not running after ${timeoutMs} ms: ${err.slice(-2000)}`)), timeoutMs).unref();
  });
  const r = await ready;
  const exited = once(child, 'exit');
  return {
    child, lines, rest: r.rest, ofPort: r.openflow.port,
    inspectorUrl: /Debugger listening on (ws:\/\/\S+)/.exec(err)?.[1],
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // A controller that does not stop within its own deadline (15 s) is killed, so a teardown never hangs on it.
      const late = setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(late);
    },
  };
}
