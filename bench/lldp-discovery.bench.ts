// npm run bench:lldp (root): how long LLDP discovery takes as the network
// grows. Switchyard (in this process, default apps) against Mininet
// linear,100 and linear,200 (userspace OVS): the time from Mininet saying it
// has started to every switch connected and to all N-1 cables seen (one link
// per direction), with the controller's CPU over that time. Target: all links
// under 2 s after start. BENCH_LINEAR="100,200" picks the sizes.
// Needs root, Mininet and Open vSwitch; without them it prints one line and exits 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { createController } from '../src/controller.js';
import { BUILTIN_APPS } from '../src/apps/index.js';
import { Mininet, mininetUsable, run, REPO_ROOT } from '../mininet/client.js';

const SIZES = (process.env.BENCH_LINEAR ?? '100,200').split(',').map(Number);
const TARGET_MS = 2000;

async function until(probe: () => boolean, timeoutMs: number): Promise<number | undefined> {
  const t0 = performance.now();
  while (!probe()) {
    if (performance.now() - t0 > timeoutMs) return undefined;
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now();
}

async function measure(n: number): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-lldp-'));
  const ctl = createController({
    config: { of: { port: 0, address: '127.0.0.1' }, http: { port: -1, address: '127.0.0.1' }, stateDir },
    apps: BUILTIN_APPS,
    log: pino({ level: process.env.SY_LOG ?? 'error' }, pino.destination(2)),
  });
  await ctl.start();
  let net: Mininet | undefined;
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    net = await Mininet.start(`linear,${n}`, { controllerPort: ctl.ofAddress!.port, startTimeoutMs: 600_000 });
    const started = performance.now();
    const up = await until(() => ctl.switches.size === n, 120_000);
    const links = await until(() => ctl.topology.links().length === 2 * (n - 1), 120_000);
    const cpu = process.cpuUsage(cpu0);
    const ms = (t: number | undefined): string => (t === undefined ? 'not within 120 s' : `${Math.round(t - started)} ms`);
    // 0 ms: already true when Mininet's driver reported ready (it waits for its switches to connect).
    console.log(`linear,${n}: Mininet's start took ${Math.round(started - t0)} ms; all ${n} switches up ${ms(up)} after Mininet started, all ${n - 1} cables (${2 * (n - 1)} links) ${ms(links)} — ` +
      `target < ${TARGET_MS} ms: ${links !== undefined && links - started < TARGET_MS ? 'PASS' : 'MISS'}; controller CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s ` +
      `(with Mininet's start); load ${loadavg()[0]!.toFixed(1)} on 2 CPUs`);
  } finally {
    await net?.stop();
    await ctl.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const usable = await mininetUsable();
  if (usable !== true) {
    console.log(`bench:lldp skipped: ${usable.unavailable}`);
    return;
  }
  const ovs = await run('bash', [`${REPO_ROOT}scripts/lib/ovs.sh`, 'start'], 60_000);
  if (ovs.code !== 0) {
    console.log('bench:lldp skipped: Open vSwitch did not start');
    return;
  }
  for (const n of SIZES) await measure(n);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
