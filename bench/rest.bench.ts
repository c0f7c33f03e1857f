// npm run bench:rest: the REST API under load with 100 emulated switches.
// The controller runs here (apps off); the switches (a line, LLDP between
// them, one host each) run in one child process and the load generator
// (autocannon) in another, so neither shares the controller's event loop.
// Figures: GET /api/v1/topology req/s with 50 connections, and flow adds
// through POST /api/v1/switches/:dpid/flows per second, each confirmed by a
// barrier before its 201. Each figure comes with the controller's own CPU
// time per request, which says what a request costs however busy the
// machine is (2 cores shared by three processes: quote both).
// Options: --switches N --seconds S --connections C --only health,topology,flows
// Profile: node --cpu-prof --cpu-prof-dir=DIR dist/bench/rest.bench.js --only flows
// (the children inherit the flag; the controller's profile is the first file).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createController, type Controller } from '../src/controller.js';
import type { FarmCounters, FarmReply, FarmRequest } from './lib/switch-farm.js';
import type { LoadResult, LoadSpec } from './lib/rest-load.js';

const { values: args } = parseArgs({
  options: {
    switches: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string', default: 'health,topology,flows' },
  },
});
const ONLY = new Set(args.only.split(','));
const SWITCHES = Number(args.switches);
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const TARGET_TOPOLOGY = 5_000;
const TARGET_FLOWS = 2_000;
const LIB = new URL('./lib/', import.meta.url);

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The switch farm child and a request/answer helper over IPC. */
class Farm {
  private readonly child: ChildProcess;
  private readonly replies: FarmReply[] = [];
  private waiter: (() => void) | undefined;

  constructor(ofPort: number, n: number) {
    this.child = fork(new URL('switch-farm.js', LIB), [String(ofPort), String(n)], { stdio: 'inherit' });
    this.child.on('message', (m: FarmReply) => {
      if ('error' in m) throw new Error(`switch farm: ${m.error}`);
      this.replies.push(m);
      this.waiter?.();
    });
  }

  async next<K extends 'ready' | 'hosts' | 'counters'>(key: K, timeoutMs = 60_000): Promise<Extract<FarmReply, Record<K, unknown>>> {
    const take = (): Extract<FarmReply, Record<K, unknown>> | undefined => {
      const i = this.replies.findIndex((r) => key in r);
      return i < 0 ? undefined : (this.replies.splice(i, 1)[0] as Extract<FarmReply, Record<K, unknown>>);
    };
    const got = take();
    if (got) return got;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`switch farm: no ${key} within ${timeoutMs} ms`)), timeoutMs);
      this.waiter = () => {
        const r = take();
        if (!r) return;
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(r);
      };
    });
  }

  send(m: FarmRequest): void {
    this.child.send(m);
  }

  async counters(): Promise<FarmCounters> {
    this.send({ cmd: 'counters' });
    return (await this.next('counters')).counters;
  }

  stop(): void {
    if (this.child.connected) this.send({ cmd: 'stop' });
    else this.child.kill();
  }
}

interface Measured extends LoadResult {
  /** Controller CPU (this process, user + system) per successful request, in µs: what a request costs whatever else the machine runs. */
  readonly cpuUs: number;
  /** The kernel's share of it (system time), in µs: socket writes and reads. */
  readonly sysUs: number;
}

function load(spec: LoadSpec): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const cpu0 = process.cpuUsage();
    const child = fork(new URL('rest-load.js', LIB), [JSON.stringify(spec)], { stdio: 'inherit' });
    let result: LoadResult | undefined;
    child.on('message', (m: LoadResult) => (result = m));
    child.on('exit', (code) => {
      const cpu = process.cpuUsage(cpu0);
      if (!result) reject(new Error(`load generator exited with ${code} and no result`));
      else resolve({ ...result, cpuUs: (cpu.user + cpu.system) / Math.max(1, result.ok), sysUs: cpu.system / Math.max(1, result.ok) });
    });
  });
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const verdict = (v: number, target: number): string => `${v >= target ? 'PASS' : 'MISS'} (target ≥ ${fmt(target)})`;
const lat = (r: Measured): string =>
  `latency p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms; controller CPU ${r.cpuUs.toFixed(0)} µs/request, ${r.sysUs.toFixed(0)} of them in the kernel (${fmt(1e6 / r.cpuUs)}/s on one free core); load generator ${r.loaderCpuUs.toFixed(0)} µs/request`;
const problems = (r: LoadResult): string => {
  const bad = Object.entries(r.statuses).filter(([c]) => !c.startsWith('2'));
  return bad.length || r.errors || r.timeouts ? `; NOT OK: ${bad.map(([c, n]) => `${n}× ${c}`).join(', ')}${r.errors ? ` ${r.errors} errors` : ''}${r.timeouts ? ` ${r.timeouts} timeouts` : ''}` : '';
};

async function main(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  const ctl: Controller = createController({
    config: { of: { port: 0, address: '127.0.0.1' }, http: { port: 0, address: '127.0.0.1' }, apps: [], stateDir },
    log: pino({ level: process.env.SY_LOG ?? 'warn' }),
  });
  await ctl.start();
  const url = `http://127.0.0.1:${ctl.httpAddress!.port}`;
  const farm = new Farm(ctl.ofAddress!.port, SWITCHES);
  try {
    const t0 = Date.now();
    await farm.next('ready');
    await until(`${SWITCHES} switches up`, () => ctl.switches.size === SWITCHES, 60_000);
    await until(`${2 * (SWITCHES - 1)} links`, () => ctl.topology.links().length === 2 * (SWITCHES - 1), 60_000);
    farm.send({ cmd: 'hosts' });
    await until(`${SWITCHES} hosts`, () => ctl.hosts.size === SWITCHES, 30_000);
    const body = await (await fetch(`${url}/api/v1/topology`)).text();
    console.log(`${SWITCHES} emulated switches up, ${ctl.topology.links().length} links (one per direction), ${ctl.hosts.size} hosts, in ${Date.now() - t0} ms; ` +
      `GET /api/v1/topology is ${fmt(body.length / 1024)} kB; ${cpus().length} CPUs shared by controller, switches and load generator (load average ${loadavg()[0]!.toFixed(1)})`);

    const base = { url, connections: CONNECTIONS, switches: SWITCHES } as const;
    await load({ ...base, kind: 'get', path: '/api/v1/topology', seconds: 1 }); // warm-up (JIT, caches)
    if (ONLY.has('health')) {
      const health = await load({ ...base, kind: 'get', path: '/api/v1/health', seconds: Math.min(3, SECONDS) });
      console.log(`GET /api/v1/health (reference: the framework's ceiling here): ${fmt(health.perSec)} req/s, ${lat(health)}${problems(health)}`);
    }
    if (ONLY.has('topology')) {
      const topo = await load({ ...base, kind: 'get', path: '/api/v1/topology', seconds: SECONDS });
      console.log(`GET /api/v1/topology (Accept-Encoding: gzip, deflate): ${fmt(topo.perSec)} req/s with ${CONNECTIONS} connections over ${topo.seconds} s, ${lat(topo)}${problems(topo)} — ${verdict(topo.perSec, TARGET_TOPOLOGY)}`);
    }
    if (ONLY.has('flows')) {
      const before = await farm.counters();
      const flows = await load({ ...base, kind: 'flows', path: '', seconds: SECONDS });
      const after = await farm.counters();
      console.log(`POST /api/v1/switches/:dpid/flows: ${fmt(flows.perSec)} flows/s confirmed by barrier, over ${SWITCHES} switches, ${CONNECTIONS} connections, ${flows.seconds} s, ${lat(flows)}${problems(flows)} — ${verdict(flows.perSec, TARGET_FLOWS)}`);
      const installed = after.flows - before.flows;
      console.log(`  check: the switches received ${fmt(after.flowMods - before.flowMods)} flow_mods and hold ${fmt(installed)} new flows for ${fmt(flows.ok)} 201 answers (the difference was in flight when the run stopped); ` +
        `${fmt(after.barriers - before.barriers)} barriers, ${fmt(after.statsRequests - before.statsRequests)} flow/stats requests`);
      if (installed < flows.ok) console.log('  MISMATCH: fewer flows on the switches than 201 answers');
    }
  } finally {
    farm.stop();
    await ctl.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
