// npm run bench:mininet: Switchyard (in process, l2-switch) against os-ken
// running a plain simple_switch_13 (bench/reference/simple_switch_13.py), in
// the same run, on real Mininet networks (OVS userspace datapath):
//
//   tree,3,3            13 switches, 27 hosts (702 ordered pairs)
//   ring of 4 switches  2 hosts each (a loop: a plain learning switch storms)
//
// For each: the time from "every switch connected" to the end of the first
// pingall with 0% dropped (pingall repeated until then, or until a deadline),
// the attempts, the packet-ins the controller handled by then, and the flows
// on the switches (`ovs-ofctl -O OpenFlow13 dump-flows` lines, summed). The
// "floor" is OVS+Mininet alone: no controller, `priority=0 actions=NORMAL` on
// every switch (tree only: NORMAL has no STP here, so a ring would storm).
//
// Needs root, Mininet (Debian's /usr/bin/python3), os-ken (osken-manager) and
// Open vSwitch (started with scripts/lib/ovs.sh when not running); without
// them it prints one line and exits 0. Every network and process it starts is
// torn down, also on errors, SIGINT/SIGTERM and the overall time limit.
//
// Environment: BENCH_DEADLINE_S (per network, default 60), BENCH_ROUNDS
// (tree rounds, interleaved, medians reported; default 1, at most 3), BENCH_ONLY
// (comma list of floor,switchyard,os-ken), BENCH_TOPOS (tree,ring),
// SY_LOG (pino level for Switchyard, default silent; logs go to stderr).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { createController, type Controller } from '../src/controller.js';
import { MemoryStore } from '../src/core/store/memory-store.js';
import { BUILTIN_APPS } from '../src/apps/index.js';
import { DRIVER, MININET_PYTHON, Mininet as MininetClient, REPO_ROOT, run, type TopoSpec as Topo } from '../mininet/client.js';

const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_S ?? 60) * 1000;
const TOTAL_BUDGET_MS = 9.5 * 60_000;
const OSKEN_APP = `${REPO_ROOT}bench/reference/simple_switch_13.py`;
const ONLY = new Set((process.env.BENCH_ONLY ?? 'floor,switchyard,os-ken').split(',').map((s) => s.trim()));
const ROUNDS = Math.max(1, Math.min(3, Number(process.env.BENCH_ROUNDS ?? 1) || 1));
const TOPOS = new Set((process.env.BENCH_TOPOS ?? 'tree,ring').split(',').map((s) => s.trim()));

type Kind = 'floor' | 'switchyard' | 'os-ken';

interface Attempt {
  readonly droppedPct: number | undefined; // undefined: cut at the deadline
  readonly seconds: number;
  /** sum of the successful pings' round-trip times */
  readonly rttSumMs: number;
  readonly slowPings: number; // > 10 ms
}

interface Measure {
  readonly kind: Kind;
  /** seconds from all connected to the end of the first 0%-drop pingall */
  firstZeroS: number | undefined;
  attempts: Attempt[];
  packetIns: number | undefined;
  flows: number | undefined;
  flowMods: number | undefined;
  connectS: number | undefined;
  notes: string[];
}

// ------------------------------------------------------------------ cleanup

const cleanups = new Set<() => Promise<unknown>>();
function onCleanup(fn: () => Promise<unknown>): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}
async function cleanupAll(): Promise<void> {
  const fns = [...cleanups].reverse();
  cleanups.clear();
  for (const fn of fns) await fn().catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
}
let exiting = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    if (exiting) return;
    exiting = true;
    console.error(`bench:mininet: ${sig}: cleaning up`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

// ------------------------------------------------------------------ helpers

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const now = (): number => performance.now();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, probe: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 10): Promise<void> {
  const end = now() + timeoutMs;
  while (!(await probe())) {
    if (now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

function prefix(): string {
  return `b${randomBytes(2).toString('hex').slice(0, 3)}`;
}

/** dump-flows lines (the flows), summed over the switches. */
async function countFlows(switches: readonly string[]): Promise<number | undefined> {
  const counts = await Promise.all(
    switches.map(async (s) => {
      const r = await run('ovs-ofctl', ['-O', 'OpenFlow13', 'dump-flows', s], 20_000);
      if (r.code !== 0) return undefined;
      return r.stdout.split('\n').filter((l) => l.trim() && !l.startsWith('OFPST_FLOW')).length;
    }),
  );
  return counts.some((c) => c === undefined) ? undefined : counts.reduce<number>((a, c) => a + (c ?? 0), 0);
}

// ------------------------------------------------------------------ availability

async function unavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root (Mininet and Open vSwitch)';
  if (!existsSync('/usr/bin/mn')) return 'Mininet is not installed (no /usr/bin/mn)';
  const py = await run(MININET_PYTHON, ['-c', 'import mininet.net'], 20_000);
  if (py.code !== 0) return `${MININET_PYTHON} cannot import mininet`;
  if (!existsSync(DRIVER)) return `missing ${DRIVER}`;
  for (const tool of ['mnexec', 'ping', 'ovs-ofctl', 'ovs-vsctl', 'ss', 'setpriv']) {
    if ((await run('sh', ['-c', `command -v ${tool}`])).code !== 0) return `${tool} is not installed`;
  }
  if ((await run('sh', ['-c', 'command -v osken-manager'])).code !== 0) return 'os-ken is not installed (no osken-manager; Debian: python3-os-ken)';
  if (!existsSync(OSKEN_APP)) return `missing ${OSKEN_APP}`;
  const ovs = await run('bash', [`${REPO_ROOT}scripts/lib/ovs.sh`, 'start'], 60_000);
  if (ovs.code !== 0) return `Open vSwitch did not start (${(ovs.stderr || ovs.stdout).trim().split('\n').pop() ?? ''})`;
  return undefined;
}

// ------------------------------------------------------------------ controllers

interface Side {
  readonly port: number;
  connected(dpids: readonly string[]): boolean;
  packetIns(): number | undefined;
  flowMods(): number | undefined;
  stop(): Promise<void>;
}

async function startSwitchyard(): Promise<Side & { readonly c: Controller }> {
  const level = process.env.SY_LOG ?? 'silent';
  const c = createController({
    config: { of: { port: 0, address: '127.0.0.1' }, apps: ['l2-switch'] },
    apps: BUILTIN_APPS,
    log: pino({ level }, pino.destination(2)),
    store: new MemoryStore(),
  });
  await c.start();
  const port = c.ofAddress?.port;
  if (port === undefined) throw new Error('Switchyard is not listening');
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await c.stop();
  };
  const off = onCleanup(stop);
  return {
    c,
    port,
    connected: (dpids) => dpids.every((d) => c.switches.get(BigInt('0x' + d)) !== undefined),
    packetIns: () => c.packets.counters.packetIns,
    flowMods: () => undefined,
    stop: async () => {
      off();
      await stop();
    },
  };
}

async function startOsKen(): Promise<Side> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-osken-'));
  const statsPath = join(dir, 'stats.json');
  // --pdeathsig: os-ken dies with this process even if it is SIGKILLed.
  const child: ChildProcess = spawn(
    'setpriv',
    ['--pdeathsig', 'KILL', '--', 'osken-manager', '--ofp-listen-host', '127.0.0.1', '--ofp-tcp-listen-port', String(port), OSKEN_APP],
    { env: { ...process.env, SIMPLE_SWITCH_STATS: statsPath }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tail: string[] = [];
  for (const s of [child.stdout, child.stderr]) {
    if (s) createInterface({ input: s }).on('line', (l) => {
      tail.push(l);
      if (tail.length > 50) tail.shift();
    });
  }
  let exited = false;
  const exit = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      await Promise.race([exit, sleep(5000)]);
      if (!exited) {
        child.kill('SIGKILL');
        await Promise.race([exit, sleep(5000)]);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const off = onCleanup(stop);
  const stats = (): { packet_in: number; flow_mod: number; switches: string[] } | undefined => {
    try {
      return JSON.parse(readFileSync(statsPath, 'utf8')) as { packet_in: number; flow_mod: number; switches: string[] };
    } catch {
      return undefined;
    }
  };
  try {
    await waitFor(
      `os-ken listening on 127.0.0.1:${port}`,
      async () => {
        if (exited) throw new Error(`osken-manager exited:\n${tail.join('\n')}`);
        return (await run('ss', ['-Hltn', `sport = :${port}`])).stdout.trim() !== '';
      },
      30_000,
      100,
    );
  } catch (e) {
    off();
    await stop();
    throw e;
  }
  return {
    port,
    connected: (dpids) => {
      const s = stats();
      return s !== undefined && dpids.every((d) => s.switches.includes(d));
    },
    packetIns: () => stats()?.packet_in,
    flowMods: () => stats()?.flow_mod,
    stop: async () => {
      off();
      await stop();
    },
  };
}

// ------------------------------------------------------------------ one measurement

interface TopoCase {
  readonly label: string;
  readonly short: 'tree' | 'ring';
  readonly topo: Topo;
  readonly interSwitchCables: number;
}

async function measure(kind: Kind, tc: TopoCase): Promise<Measure> {
  const m: Measure = { kind, firstZeroS: undefined, attempts: [], packetIns: undefined, flows: undefined, flowMods: undefined, connectS: undefined, notes: [] };
  let side: (Side & { c?: Controller }) | undefined;
  let net: MininetClient | undefined;
  let offNet: (() => void) | undefined;
  let abort = false;
  let sampler: NodeJS.Timeout | undefined;
  try {
    if (kind === 'switchyard') side = await startSwitchyard();
    else if (kind === 'os-ken') side = await startOsKen();
    // Switchyard: when links come up (discovery), reported relative to t0.
    const linkUps: number[] = [];
    const unsub = side && 'c' in side && side.c ? side.c.events.on('link.up', () => linkUps.push(now())) : undefined;
    // The floor's switches point at a port nobody listens on, then lose their controller.
    const port = side?.port ?? (await freePort());
    const started = now();
    const p = prefix();
    offNet = onCleanup(() => (net ? net.stop(true) : Promise.resolve()));
    net = await MininetClient.start(tc.topo, { prefix: p, controllerPort: port, startTimeoutMs: 90_000 });
    const switches = net.ready.switches.map((s) => s.name);
    const dpids = net.ready.switches.map((s) => s.dpid);

    if (kind === 'floor') {
      await Promise.all(
        switches.map(async (s) => {
          const a = await run('ovs-vsctl', ['--timeout=10', 'del-controller', s]);
          const b = await run('ovs-ofctl', ['-O', 'OpenFlow13', 'add-flow', s, 'priority=0,actions=NORMAL']);
          if (a.code !== 0 || b.code !== 0) throw new Error(`floor setup of ${s} failed: ${a.stderr}${b.stderr}`);
        }),
      );
    } else {
      await waitFor(`all ${dpids.length} switches connected to ${kind}`, () => side!.connected(dpids), 60_000, 5);
    }
    const t0 = now();
    m.connectS = (t0 - started) / 1000;
    // The machine (and its one userspace datapath) may be shared: every flow-mod on any bridge
    // makes OVS revalidate the flows of all of them. Say so next to the figures.
    const others = new Set<string>();
    const load: number[] = [];
    const sampleMachine = async (): Promise<void> => {
      load.push(loadavg()[0]!);
      const br = await run('ovs-vsctl', ['--timeout=5', 'list-br'], 10_000);
      for (const b of br.stdout.split('\n').map((l) => l.trim())) if (b && !b.startsWith(p)) others.add(b);
    };
    await sampleMachine();
    sampler = setInterval(() => void sampleMachine(), 3000);

    const deadline = t0 + DEADLINE_MS;
    for (;;) {
      const left = deadline - now();
      if (left <= 0) break;
      const a0 = now();
      try {
        const r = await net.call<{ dropped_pct: number; results: { rtt_ms: number | null }[] }>('pingall', { timeout: 1, parallel: 1 }, left);
        const rtts = r.results.map((x) => x.rtt_ms).filter((x): x is number => x !== null);
        m.attempts.push({ droppedPct: r.dropped_pct, seconds: (now() - a0) / 1000, rttSumMs: rtts.reduce((a, b) => a + b, 0), slowPings: rtts.filter((x) => x > 10).length });
        if (r.dropped_pct === 0) {
          m.firstZeroS = (now() - t0) / 1000;
          break;
        }
      } catch (e) {
        // Cut at the deadline (the driver is still pinging, so it gets SIGTERM below), or the driver failed.
        m.attempts.push({ droppedPct: undefined, seconds: (now() - a0) / 1000, rttSumMs: 0, slowPings: 0 });
        if (now() < deadline - 1000) m.notes.push(`pingall failed: ${(e as Error).message.split('\n')[0] ?? ''}`);
        abort = true;
        break;
      }
    }
    clearInterval(sampler);
    if (m.firstZeroS === undefined) m.notes.push(`no 0%-drop pingall within ${DEADLINE_MS / 1000} s`);
    if (others.size > 0) m.notes.push(`NOISY: ${others.size} other bridge(s) on this OVS during the measurement (someone else's network); load average up to ${Math.max(...load).toFixed(1)}`);

    if (side) {
      if (kind === 'os-ken') await sleep(300); // its counters are written every 100 ms
      m.packetIns = side.packetIns();
      m.flowMods = side.flowMods();
    }
    if (side && 'c' in side && side.c) {
      const c = side.c;
      const lldp = c.topology.counters.lldpReceived;
      const expect = tc.interSwitchCables * 2;
      const up = c.topology.links().length;
      const after = linkUps.filter((x) => x > t0);
      const lastUp = linkUps.length ? (Math.max(...linkUps) - t0) / 1000 : undefined;
      m.notes.push(
        `LLDP packet-ins ${lldp}; l2-switch handled ${c.packets.counters.handledBy.get('l2-switch') ?? 0}; packet-outs ${c.packets.counters.packetOuts}; ` +
          `links ${up}/${expect} directed; ${linkUps.length} link.up events (${after.length} after t0), last at ${lastUp === undefined ? '-' : `${lastUp.toFixed(2)} s`} from t0`,
      );
      unsub?.();
    }
    // A storm keeps the datapath busy: stop the controller first (its floods end), then count.
    if (kind === 'os-ken' && m.firstZeroS === undefined) {
      await side!.stop();
      side = undefined;
    }
    m.flows = await countFlows(switches);
    return m;
  } catch (e) {
    m.notes.push(`failed: ${(e as Error).message.split('\n')[0] ?? ''}`);
    abort = true;
    return m;
  } finally {
    clearInterval(sampler);
    if (side) await side.stop().catch(() => undefined);
    if (net) {
      const left = await net.stop(abort).then((r) => r.leftovers, (e: unknown) => [`stop failed: ${String(e)}`]);
      if (left.length) m.notes.push(`removed leftovers: ${left.join(' ')}`);
    }
    offNet?.();
  }
}

// ------------------------------------------------------------------ the table

function fmt(n: number | undefined, digits = 1): string {
  return n === undefined ? '-' : n.toFixed(digits);
}
function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return '-';
  const r = a / b;
  return r < 0.1 ? r.toPrecision(2) : r.toFixed(2);
}
/** Median; a failed round (undefined) counts as +Infinity. */
function median(xs: readonly (number | undefined)[]): number | undefined {
  if (xs.length === 0) return undefined;
  const v = xs.map((x) => x ?? Infinity).sort((a, b) => a - b);
  const mid = v.length >> 1;
  const r = v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return Number.isFinite(r) ? r : undefined;
}
function attemptsText(m: Measure): string {
  return m.attempts.map((a) => (a.droppedPct === undefined ? `cut@${a.seconds.toFixed(1)}s` : `${a.droppedPct}%/${a.seconds.toFixed(1)}s`)).join(' ');
}

function table(tc: TopoCase, ms: Map<Kind, Measure[]>): string {
  const cols: Kind[] = ['floor', 'switchyard', 'os-ken'];
  const rounds = Math.max(...[...ms.values()].map((l) => l.length), 0);
  const med = (k: Kind, f: (m: Measure) => number | undefined): number | undefined => median((ms.get(k) ?? []).map(f));
  const first = (m: Measure): number | undefined => m.firstZeroS;
  const pins = (m: Measure): number | undefined => m.packetIns;
  const flows = (m: Measure): number | undefined => m.flows;
  const rows: [string, (k: Kind) => string, string][] = [
    [
      'first 0%-drop pingall (s)',
      (k) => {
        const v = med(k, first);
        return v === undefined ? `none in ${DEADLINE_MS / 1000}s` : fmt(v, 2);
      },
      ratio(med('switchyard', first), med('os-ken', first)),
    ],
    ['pingall attempts', (k) => String(median((ms.get(k) ?? []).map((m) => m.attempts.length)) ?? '-'), ''],
    ['packet-ins handled', (k) => (k === 'floor' ? '-' : String(med(k, pins) ?? '?')), ratio(med('switchyard', pins), med('os-ken', pins))],
    ['flows (dump-flows)', (k) => String(med(k, flows) ?? '?'), ratio(med('switchyard', flows), med('os-ken', flows))],
    ['network up + connected (s)', (k) => fmt(med(k, (m) => m.connectS), 1), ''],
  ];
  const cell = (k: Kind, f: (k: Kind) => string): string => {
    if (!ms.get(k)?.length) return k === 'floor' && tc.short === 'ring' ? 'n/a (storms)' : 'not run';
    return f(k);
  };
  const head = [rounds > 1 ? `median of ${rounds} rounds` : '', 'floor (NORMAL)', 'Switchyard', 'os-ken', 'Switchyard/os-ken'];
  const body = rows.map(([name, f, r]) => [name, ...cols.map((k) => cell(k, f)), r]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (row: string[]): string => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [tc.label, line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  for (const k of cols) {
    (ms.get(k) ?? []).forEach((m, i) => {
      out.push(`  ${k}${rounds > 1 ? ` round ${i + 1}` : ''}: ${m.firstZeroS === undefined ? 'no 0% pingall' : `${m.firstZeroS.toFixed(2)} s`}; attempts ${attemptsText(m) || '-'}${m.flowMods !== undefined ? `; flow-mods sent ${m.flowMods}` : ''}`);
      const last = m.attempts.at(-1);
      if (last && last.droppedPct !== undefined) out.push(`    last pingall: ${last.seconds.toFixed(2)} s, ping RTTs sum ${(last.rttSumMs / 1000).toFixed(2)} s, ${last.slowPings} pings over 10 ms`);
      for (const n of m.notes) out.push(`    ${n}`);
    });
  }
  const fl = med('floor', first);
  const sy = med('switchyard', first);
  if (fl !== undefined && sy !== undefined) {
    const pct = (sy / fl - 1) * 100;
    out.push(`  Switchyard vs floor: ${pct >= 0 ? '+' : ''}${pct.toFixed(1)}% (target: within 10%): ${sy <= fl * 1.1 ? 'meets' : 'MISSES'}`);
  }
  return out.join('\n');
}

// ------------------------------------------------------------------ main

function ring(n: number, hostsPer: number): Topo {
  const switches = Array.from({ length: n }, (_, i) => `s${i + 1}`);
  const hosts: string[] = [];
  const links: [string, string][] = [];
  for (let i = 0; i < n; i++) links.push([switches[i]!, switches[(i + 1) % n]!]);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < hostsPer; j++) {
      const h = `h${i * hostsPer + j + 1}`;
      hosts.push(h);
      links.push([h, switches[i]!]);
    }
  }
  return { switches, hosts, links };
}

async function main(): Promise<number> {
  const why = await unavailable();
  if (why !== undefined) {
    console.log(`bench:mininet: skipped: ${why}`);
    return 0;
  }
  const budget = setTimeout(() => {
    console.error(`bench:mininet: over its ${TOTAL_BUDGET_MS / 60_000} min budget: cleaning up`);
    void cleanupAll().finally(() => process.exit(1));
  }, TOTAL_BUDGET_MS);
  budget.unref();

  const cases: TopoCase[] = [
    { label: 'tree,3,3 (13 switches, 27 hosts, 702 pings per pingall)', short: 'tree', topo: 'tree,3,3', interSwitchCables: 12 },
    { label: 'ring of 4 switches, 2 hosts each (a loop; 56 pings per pingall)', short: 'ring', topo: ring(4, 2), interSwitchCables: 4 },
  ];
  const t = now();
  console.log(`bench:mininet: deadline ${DEADLINE_MS / 1000} s per network; pingall = one ping -c1 -W1 per ordered pair, one at a time`);
  const tables: string[] = [];
  for (const tc of cases) {
    if (!TOPOS.has(tc.short)) continue;
    const ms = new Map<Kind, Measure[]>();
    const kinds: Kind[] = tc.short === 'tree' ? ['floor', 'switchyard', 'os-ken'] : ['switchyard', 'os-ken'];
    // Rounds interleave the controllers, so that a noisy minute on a shared machine hits all of them.
    const rounds = tc.short === 'tree' ? ROUNDS : 1;
    for (let r = 0; r < rounds; r++) {
      for (const k of kinds) {
        if (!ONLY.has(k)) continue;
        console.error(`bench:mininet: ${tc.short} / ${k}${rounds > 1 ? ` (round ${r + 1}/${rounds})` : ''} ...`);
        const m = await measure(k, tc);
        console.error(`bench:mininet: ${tc.short} / ${k}: ${m.firstZeroS === undefined ? 'no 0% pingall' : `${m.firstZeroS.toFixed(2)} s`} (${attemptsText(m)})`);
        ms.set(k, [...(ms.get(k) ?? []), m]);
      }
    }
    tables.push(table(tc, ms));
  }
  console.log(`\n${tables.join('\n\n')}\n\nwhole run: ${((now() - t) / 1000).toFixed(0)} s`);
  clearTimeout(budget);
  await cleanupAll();
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (e: unknown) => {
    console.error(`bench:mininet: ${(e as Error).stack ?? String(e)}`);
    await cleanupAll();
    process.exit(1);
  },
);
