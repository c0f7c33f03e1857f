// mininet/driver.py on a socket (--proto-fd 3): JSON lines both ways, while
// the driver's stdin/stdout stay the terminal's for its `cli` command.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';

export const MININET_PYTHON = process.env.MININET_PYTHON ?? '/usr/bin/python3';

export interface DriverReady {
  readonly switches: readonly { name: string; dpid: string }[];
  readonly hosts: readonly { name: string; ip: string; mac: string; switch?: string }[];
  readonly links: readonly unknown[];
  readonly interfaces: readonly string[];
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class DriverClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exited: Promise<number | null>;
  private readyWait: Promise<DriverReady>;

  private constructor(private readonly proc: ChildProcess, private readonly sock: Duplex) {
    this.exited = new Promise((r) => proc.once('exit', (code) => r(code)));
    let onReady: (r: DriverReady) => void = () => {};
    let onFail: (e: Error) => void = () => {};
    this.readyWait = new Promise((res, rej) => {
      onReady = res;
      onFail = rej;
    });
    // The driver's end goes away when it exits: that is reported through `exited`, not as an error.
    sock.on('error', () => {});
    const rl = createInterface({ input: sock });
    rl.on('error', () => {});
    rl.on('line', (line) => {
      let msg: { ready?: boolean; error?: string; id?: number; ok?: boolean; result?: unknown };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        return;
      }
      if (msg.ready !== undefined) {
        if (msg.ready) onReady(msg as unknown as DriverReady);
        else onFail(new Error(`Mininet could not build the network: ${msg.error ?? 'unknown error'}`));
        return;
      }
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p || msg.id === undefined) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error ?? 'driver error'));
    });
    void this.exited.then((code) => {
      onFail(new Error(`the Mininet driver exited (${String(code)}) before the network was up`));
      for (const [, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error('the Mininet driver exited'));
      }
      this.pending.clear();
    });
  }

  /**
   * Starts the driver. interactive: its stdin/stdout/stderr are the terminal
   * (for `cli`); otherwise Mininet's messages go to `<outDir>/mininet.log`.
   */
  static start(driverPath: string, spec: object, opts: { interactive: boolean; outDir: string }): DriverClient {
    const log = opts.interactive ? undefined : createWriteStream(join(opts.outDir, 'mininet.log'));
    const proc = spawn(MININET_PYTHON, [driverPath, '--proto-fd', '3', JSON.stringify(spec)], {
      stdio: opts.interactive ? ['inherit', 'inherit', 'inherit', 'pipe'] : ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    if (log) {
      proc.stdout?.pipe(log);
      proc.stderr?.pipe(log);
    }
    const sock = proc.stdio[3] as Duplex;
    return new DriverClient(proc, sock);
  }

  ready(): Promise<DriverReady> {
    return this.readyWait;
  }

  call<T>(cmd: string, args: object = {}, timeoutMs = 60_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`driver command ${cmd} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.sock.write(JSON.stringify({ id, cmd, ...args }) + '\n');
    });
  }

  /** Tears the network down (stop, then EOF, then SIGTERM if it lingers). */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    await this.call('stop', {}, 60_000).catch(() => {});
    this.sock.end();
    const t = setTimeout(() => this.proc.kill('SIGTERM'), 30_000);
    await this.exited;
    clearTimeout(t);
  }

  /** Ends the driver from a signal handler: SIGTERM makes it tear down before exiting. */
  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGTERM');
  }

  get done(): Promise<number | null> {
    return this.exited;
  }
}
