// npm run bench:flows: flow setup, cbench style (OpenFlow 1.3), against
// Switchyard (default apps, every core service), os-ken running
// simple_switch_13, and a plain-Node learning switch, in the same run.
// The emulated switches (bench/lib/gen-switch.ts) run in this process; each
// controller in its own, so its CPU time and memory come from /proc.
//
// Modes (--modes, comma list; default throughput,latency,rate,buffered,scale):
//   throughput  16 switches × 1,000 source MACs, 100 PACKET_INs in flight per switch
//   latency     1 switch, 1 in flight: the round trip of one answer
//   rate        open loop: --rate PACKET_INs/s over 16 switches, latency from when each was due
//   buffered    as throughput for 3 s with real buffer_ids: are answers using them?
//   scale       --scale-switches (1,000) connect; handshake time, one PACKET_IN each, then
//               --hold seconds of keepalives (ours and the controller's); RSS; Switchyard only
//               unless --scale-all
// Options: --only switchyard,os-ken,reference  --loops N (1 s each, after a warm-up: one lap of every MAC, then 1 s)
//   --switches --macs --window --rate --hold --scale-switches --quick (3 loops, hold 10 s)
// Profile Switchyard: --profile DIR (node --cpu-prof into DIR), --heap-profile DIR.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startController, osKenMissing, type ControllerKind, type RunningController } from './lib/controllers.js';
import { Fleet } from './lib/switch-fleet.js';

const { values: a } = parseArgs({
  options: {
    modes: { type: 'string', default: 'throughput,latency,rate,buffered,scale' },
    only: { type: 'string', default: 'reference,switchyard,os-ken' },
    loops: { type: 'string' },
    switches: { type: 'string', default: '16' },
    macs: { type: 'string', default: '1000' },
    window: { type: 'string', default: '100' },
    rate: { type: 'string', default: '4000' },
    hold: { type: 'string' },
    'scale-switches': { type: 'string', default: '1000' },
    'scale-all': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    profile: { type: 'string' },
    'heap-profile': { type: 'string' },
  },
});
const MODES = new Set(a.modes.split(','));
const QUICK = a.quick;
const LOOPS = Number(a.loops ?? (QUICK ? 3 : 10));
const SWITCHES = Number(a.switches);
const MACS = Number(a.macs);
const WINDOW = Number(a.window);
const RATE = Number(a.rate);
const HOLD_S = Number(a.hold ?? (QUICK ? 10 : 60));
const SCALE_N = Number(a['scale-switches']);
const TARGETS = { throughputVsReference: 0.9, p50Us: 50, p99Us: 150, p50VsOsKen: 1 / 5, handshakeMs: 1000, rssMb: 150 };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n));
const us = (ns: number): string => (ns / 1000).toFixed(ns < 100_000 ? 1 : 0);
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const load = (): string => `load ${loadavg().map((l) => l.toFixed(1)).join('/')} on ${cpus().length} CPUs`;
const pass = (ok: boolean): string => (ok ? 'PASS' : 'MISS');

function nodeFlags(kind: ControllerKind): string[] {
  if (kind !== 'switchyard') return [];
  const f: string[] = [];
  if (a.profile) f.push('--cpu-prof', `--cpu-prof-dir=${a.profile}`);
  if (a['heap-profile']) f.push('--heap-prof', `--heap-prof-dir=${a['heap-profile']}`);
  return f;
}

interface LoopResult {
  readonly kind: ControllerKind;
  readonly perLoop: number[];
  readonly median: number;
  readonly answered: number;
  readonly p: { p50: number; p90: number; p99: number; p999: number; max: number };
  readonly lost: number;
  readonly unmatched: number;
  readonly flowMods: number;
  readonly packetOuts: number;
  readonly byBuffer: number;
  readonly cpuS: number;
  readonly genCpuS: number;
  readonly perCpuS: number;
  readonly load: string;
}

/** One controller, one fleet, one closed- or open-loop run: warm-up loop, then `loops` measured seconds. */
async function loadRun(kind: ControllerKind, how: { switches: number; window?: number; rate?: number; buffered: boolean; loops: number }): Promise<LoopResult> {
  const ctl = await startController(kind, nodeFlags(kind));
  const fleet = new Fleet({ switches: how.switches, macs: MACS, buffered: how.buffered });
  try {
    await fleet.connect(ctl.port);
    await fleet.teach();
    await sleep(300); // the controller's own start-up work (reconcile, first LLDP round) out of the way
    const stop = how.rate !== undefined ? fleet.startOpenLoop(how.rate) : fleet.startClosedLoop(how.window ?? 1);
    // Warm-up: the first lap (every source MAC once: the learning, a flow per MAC) and a second more for the JIT.
    // What is measured is the steady state, as cbench's loops after its warm-up.
    const c = fleet.counters;
    const lap = how.switches * MACS;
    const warmUntil = performance.now() + 60_000;
    while (c.matched < lap && performance.now() < warmUntil) await sleep(20);
    await sleep(1000);
    const base = { ...c };
    fleet.hist.reset();
    const cpu0 = ctl.cpu();
    const gen0 = process.cpuUsage();
    const perLoop: number[] = [];
    let last = c.matched;
    let t = performance.now();
    for (let i = 0; i < how.loops; i++) {
      await sleep(1000);
      const now = performance.now();
      perLoop.push(((c.matched - last) * 1000) / (now - t));
      last = c.matched;
      t = now;
    }
    const cpuS = ctl.cpu() - cpu0;
    const g = process.cpuUsage(gen0);
    const answered = c.matched - base.matched;
    const byBuffer = c.byBuffer - base.byBuffer;
    stop();
    await fleet.drain(1500);
    const h = fleet.hist;
    return {
      kind, perLoop, median: median(perLoop), answered,
      p: { p50: h.quantile(0.5), p90: h.quantile(0.9), p99: h.quantile(0.99), p999: h.quantile(0.999), max: h.max },
      lost: c.lost - base.lost, unmatched: c.unmatched - base.unmatched, flowMods: c.flowMods - base.flowMods, packetOuts: c.packetOuts - base.packetOuts,
      byBuffer, cpuS, genCpuS: (g.user + g.system) / 1e6, perCpuS: answered / Math.max(cpuS, 0.01), load: load(),
    };
  } finally {
    fleet.close();
    await ctl.stop();
  }
}

function printLoop(r: LoopResult): void {
  console.log(`  ${r.kind.padEnd(10)} ${fmt(r.median).padStart(9)}/s median  [${r.perLoop.map(fmt).join(' ')}]`);
  console.log(`             latency p50 ${us(r.p.p50)} µs  p90 ${us(r.p.p90)}  p99 ${us(r.p.p99)}  p99.9 ${us(r.p.p999)}  max ${us(r.p.max)} µs`);
  console.log(`             answered ${fmt(r.answered)}, lost ${fmt(r.lost)}, unmatched ${fmt(r.unmatched)}; flow_mods ${fmt(r.flowMods)}, packet_outs ${fmt(r.packetOuts)}`);
  console.log(`             controller CPU ${r.cpuS.toFixed(2)} s → ${fmt(r.perCpuS)} answers per CPU-second; generator CPU ${r.genCpuS.toFixed(2)} s; ${r.load}`);
}

function kinds(): ControllerKind[] {
  const want = a.only.split(',') as ControllerKind[];
  const missing = osKenMissing();
  if (want.includes('os-ken') && missing) console.log(`(os-ken skipped: ${missing})`);
  return want.filter((k) => k !== 'os-ken' || missing === undefined);
}

function ratios(rs: LoopResult[], what: 'median' | 'p50'): void {
  const by = new Map(rs.map((r) => [r.kind, r]));
  const sy = by.get('switchyard');
  if (!sy) return;
  for (const other of ['reference', 'os-ken'] as const) {
    const o = by.get(other);
    if (!o) continue;
    if (what === 'median') {
      console.log(`  switchyard / ${other}: ${(sy.median / o.median).toFixed(2)}× answers/s, ${(sy.perCpuS / o.perCpuS).toFixed(2)}× answers per controller CPU-second`);
    } else {
      console.log(`  switchyard / ${other}: p50 ${(sy.p.p50 / o.p.p50).toFixed(2)}×, p99 ${(sy.p.p99 / o.p.p99).toFixed(2)}×`);
    }
  }
}

async function throughput(ks: ControllerKind[]): Promise<void> {
  console.log(`\nthroughput: ${SWITCHES} switches × ${fmt(MACS)} MACs, window ${WINDOW}, ${LOOPS} loops of 1 s (NO_BUFFER, answers matched by source MAC)`);
  const rs: LoopResult[] = [];
  for (const k of ks) {
    const r = await loadRun(k, { switches: SWITCHES, window: WINDOW, buffered: false, loops: LOOPS });
    printLoop(r);
    rs.push(r);
  }
  ratios(rs, 'median');
  const sy = rs.find((r) => r.kind === 'switchyard');
  const ref = rs.find((r) => r.kind === 'reference');
  // Both must hold: answers/s alone flatters whichever process the scheduler favoured on a shared machine.
  if (sy && ref) {
    const t = TARGETS.throughputVsReference;
    console.log(`  target switchyard ≥ ${t}× reference, in answers/s and in answers per controller CPU-second: ${pass(sy.median >= t * ref.median && sy.perCpuS >= t * ref.perCpuS)}`);
  }
}

async function latency(ks: ControllerKind[]): Promise<void> {
  console.log(`\nlatency: 1 switch × ${fmt(MACS)} MACs, 1 in flight, ${LOOPS} loops of 1 s`);
  const rs: LoopResult[] = [];
  for (const k of ks) {
    const r = await loadRun(k, { switches: 1, window: 1, buffered: false, loops: LOOPS });
    printLoop(r);
    rs.push(r);
  }
  ratios(rs, 'p50');
  const sy = rs.find((r) => r.kind === 'switchyard');
  const ok = rs.find((r) => r.kind === 'os-ken');
  const ref = rs.find((r) => r.kind === 'reference');
  if (sy) {
    console.log(`  target p50 ≤ ${TARGETS.p50Us} µs: ${pass(sy.p.p50 <= TARGETS.p50Us * 1000)}; p99 ≤ ${TARGETS.p99Us} µs: ${pass(sy.p.p99 <= TARGETS.p99Us * 1000)}` +
      (ok ? `; p50 ≤ 1/5 of os-ken's: ${pass(sy.p.p50 <= TARGETS.p50VsOsKen * ok.p.p50)}` : '') +
      (ref ? ` (the machine's floor here: the plain-Node reference's p50 ${us(ref.p.p50)} µs, p99 ${us(ref.p.p99)} µs)` : ''));
  }
}

async function rate(ks: ControllerKind[]): Promise<void> {
  console.log(`\nrate: open loop, ${fmt(RATE)} PACKET_INs/s offered over ${SWITCHES} switches, ${LOOPS} loops of 1 s (latency from when each was due)`);
  for (const k of ks) printLoop(await loadRun(k, { switches: SWITCHES, rate: RATE, buffered: false, loops: LOOPS }));
}

async function buffered(ks: ControllerKind[]): Promise<void> {
  console.log(`\nbuffered: ${SWITCHES} switches × ${fmt(MACS)} MACs, window ${WINDOW}, real buffer_ids, 3 loops of 1 s: answered with the buffer_id (FLOW_MOD or PACKET_OUT naming it)?`);
  for (const k of ks) {
    const r = await loadRun(k, { switches: SWITCHES, window: WINDOW, buffered: true, loops: 3 });
    printLoop(r);
    console.log(`             ${fmt(r.byBuffer)} of ${fmt(r.answered)} answers used the buffer_id (${((100 * r.byBuffer) / Math.max(1, r.answered)).toFixed(1)} %)`);
  }
}

async function scale(ks: ControllerKind[]): Promise<void> {
  const which = a['scale-all'] ? ks : ks.filter((k) => k === 'switchyard');
  for (const k of which) {
    console.log(`\nscale (${k}): ${fmt(SCALE_N)} switches, handshakes ≤ 200 at a time, then one PACKET_IN each, then ${HOLD_S} s of keepalives`);
    const ctl: RunningController = await startController(k, nodeFlags(k));
    const fleet = new Fleet({ switches: SCALE_N, macs: 2, buffered: false });
    try {
      const rss0 = ctl.rssMb();
      const cpu0 = ctl.cpu();
      const handshakeMs = await fleet.connect(ctl.port, 120_000);
      const cpuHandshake = ctl.cpu() - cpu0;
      console.log(`  handshake: all ${fmt(SCALE_N)} programmed in ${fmt(handshakeMs)} ms (controller CPU ${cpuHandshake.toFixed(2)} s) — target < ${TARGETS.handshakeMs} ms: ${pass(handshakeMs < TARGETS.handshakeMs)}; ${load()}`);
      await fleet.teach(10_000);
      for (const sw of fleet.switches) sw.sendNext();
      await fleet.drain(10_000);
      const c = fleet.counters;
      console.log(`  one PACKET_IN per switch: ${fmt(c.matched)} of ${fmt(c.sent)} answered, ${fmt(c.lost)} lost`);
      // Every switch sends an ECHO_REQUEST every 5 s (staggered); the controller's own echoes are answered by the switches.
      let peakRss = ctl.rssMb();
      const t0 = performance.now();
      let turn = 0;
      const cpuHold0 = ctl.cpu();
      while (performance.now() - t0 < HOLD_S * 1000) {
        const batch = Math.ceil(SCALE_N / 5);
        for (let i = 0; i < batch; i++) fleet.switches[(turn + i) % SCALE_N]!.echo();
        turn = (turn + batch) % SCALE_N;
        await sleep(1000);
        peakRss = Math.max(peakRss, ctl.rssMb());
      }
      await sleep(500);
      const cpuHold = ctl.cpu() - cpuHold0;
      const maxEcho = Math.max(...fleet.switches.map((s) => s.maxEchoMs));
      console.log(`  ${HOLD_S} s of keepalives: ${fmt(c.echoAnswered)} of ${fmt(c.echoSent)} echoes answered (slowest ${maxEcho.toFixed(1)} ms), ${fleet.closes} connections closed` +
        `${fleet.firstClose ? ` (first: ${fleet.firstClose})` : ''}; controller CPU ${cpuHold.toFixed(2)} s`);
      const rss = ctl.rssMb();
      console.log(`  controller resident memory: ${rss0.toFixed(0)} MB before, ${rss.toFixed(0)} MB with ${fmt(SCALE_N)} switches (peak ${peakRss.toFixed(0)} MB) — target < ${TARGETS.rssMb} MB: ${pass(peakRss < TARGETS.rssMb)}`);
      const ok = fleet.closes === 0 && c.echoAnswered === c.echoSent && c.matched === c.sent;
      console.log(`  ${fmt(SCALE_N)} switches work: ${pass(ok)}`);
    } finally {
      fleet.close();
      await ctl.stop();
    }
  }
}

async function main(): Promise<void> {
  const ks = kinds();
  console.log(`bench:flows — ${ks.join(', ')}; ${load()}`);
  if (MODES.has('throughput')) await throughput(ks);
  if (MODES.has('latency')) await latency(ks);
  if (MODES.has('rate')) await rate(ks);
  if (MODES.has('buffered')) await buffered(ks);
  if (MODES.has('scale')) await scale(ks);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
