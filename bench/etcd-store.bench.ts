// npm run bench:etcd: how many of the state store's own operations etcd
// carries here. The etcd store (src/core/store/etcd-store.ts) against
// Debian's etcd started by scripts/lib/etcd.sh on free ports and a temp
// dir: one member, then three members on this one machine (every write is
// fsynced by a quorum: two of three data dirs on the same disk here).
// Figures per phase: operations per second, latency p50/p99, and CPU
// milliseconds per operation of this process (the client) and of the etcd
// members, which say what an operation costs however busy the machine is.
//
//   put          one static flow entry (~400 bytes of JSON), one at a time
//   put x64      the same, 64 in flight (REST calls from many users at once)
//   ipam x64     batch + ifAbsent (an address reservation: txn with a compare), 64 in flight
//   watch        put on one instance -> another instance's watcher called (latency)
//   get          read from the watch-fed mirror (no round trip)
//
// Options: --seconds S (per phase, default 3) --members 1,3 --endpoints URL,... (an etcd of yours instead)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EtcdStore } from '../src/core/store/etcd-store.js';
import type { JsonValue, KvStore } from '../src/core/store/types.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    members: { type: 'string', default: '1,3' },
    endpoints: { type: 'string' },
  },
});
const SECONDS = Number(args.seconds);
const ETCD_SH = new URL('../../scripts/lib/etcd.sh', import.meta.url).pathname;

/** A stored static flow as the API keeps it (JSON of an OFPFC_ADD), for a realistic value size. */
const FLOW: JsonValue = {
  type: 'flow_mod', cookie: '0x00000000000000ab', cookie_mask: '0x0', table_id: 0, command: 'add', idle_timeout: 0, hard_timeout: 0, priority: 1234,
  buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: [],
  match: [{ field: 'in_port', value: 1 }, { field: 'eth_type', value: 2048 }, { field: 'ipv4_dst', value: '10.1.2.0', mask: '255.255.255.0' }],
  instructions: [{ type: 'apply_actions', actions: [{ type: 'set_field', field: 'eth_dst', value: '0a:58:00:00:00:02' }, { type: 'output', port: 2, max_len: 'no_buffer' }] }],
};

async function freeBase(): Promise<number> {
  // etcd.sh uses base, base+1, ... base+5: probe a run of six free ports.
  for (;;) {
    const base = 20000 + 2 * Math.floor(Math.random() * 20000);
    const ok = await Promise.all(Array.from({ length: 6 }, (_, i) => new Promise<boolean>((r) => {
      const s = createServer().once('error', () => r(false)).listen(base + i, '127.0.0.1', () => s.close(() => r(true)));
    })));
    if (ok.every(Boolean)) return base;
  }
}

/** CPU ms (user+system) of a process, from /proc/PID/stat. */
function cpuMsOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks (USER_HZ = 100 on Linux)
}

interface Phase {
  name: string;
  ops: number;
  seconds: number;
  p50?: number;
  p99?: number;
  clientCpuMs: number;
  etcdCpuMs: number;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function phase(name: string, pids: number[], concurrency: number, op: (i: number) => Promise<unknown>): Promise<Phase> {
  const lat: number[] = [];
  const etcd0 = pids.reduce((s, p) => s + cpuMsOf(p), 0);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  let n = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const i = n++;
      const s = performance.now();
      await op(i);
      lat.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  lat.sort((a, b) => a - b);
  return { name, ops: lat.length, seconds, p50: pct(lat, 50), p99: pct(lat, 99), clientCpuMs: (cpu.user + cpu.system) / 1000, etcdCpuMs: pids.reduce((s, p) => s + cpuMsOf(p), 0) - etcd0 };
}

async function watchPhase(a: KvStore, b: KvStore, pids: number[]): Promise<Phase> {
  const waiting = new Map<string, () => void>();
  const stop = b.watch('w/', (c) => waiting.get(c.key)?.());
  try {
    return await phase('watch', pids, 1, async (i) => {
      const key = `w/${i}`;
      const seen = new Promise<void>((r) => waiting.set(key, r));
      await a.put(key, FLOW);
      await seen;
      waiting.delete(key);
    });
  } finally {
    stop();
  }
}

async function run(endpoints: string[], pids: number[], label: string): Promise<Phase[]> {
  const prefix = `bench-${process.pid}`;
  const one = new EtcdStore({ endpoints, prefix, timeoutMs: 10_000 });
  const two = new EtcdStore({ endpoints, prefix, timeoutMs: 10_000 });
  await Promise.all([one.open(), two.open()]);
  try {
    const a = one.namespace('api');
    const b = two.namespace('api');
    const ipam = one.namespace('container-net');
    const out: Phase[] = [];
    out.push(await phase('put', pids, 1, (i) => a.put(`flow/0000000000000001/p${i % 2000}`, FLOW)));
    out.push(await phase('put x64', pids, 64, (i) => a.put(`flow/0000000000000002/p${i % 2000}`, FLOW)));
    out.push(await phase('ipam x64', pids, 64, (i) => ipam.batch([{ op: 'put', key: `addr/${i}`, value: { ip: String(i), use: 'endpoint' } }, { op: 'put', key: `ep/${i}`, value: { ip: String(i) } }], [`addr/${i}`])));
    out.push(await watchPhase(a, b, pids));
    out.push(await phase('get', [], 1, (i) => a.get(`flow/0000000000000001/p${i % 2000}`)));
    for (const p of out) report(label, p);
    // Leave the etcd as it was: our keys go.
    await one.etcd().delete().prefix(`${prefix}/`).exec();
    return out;
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
}

function report(label: string, p: Phase): void {
  const rate = p.ops / p.seconds;
  const cpu = (ms: number): string => (p.ops ? (ms / p.ops).toFixed(3) : '-');
  console.log(
    `${label.padEnd(10)} ${p.name.padEnd(9)} ${rate.toFixed(0).padStart(8)} ops/s   p50 ${p.p50!.toFixed(2).padStart(7)} ms   p99 ${p.p99!.toFixed(2).padStart(7)} ms   ` +
      `client ${cpu(p.clientCpuMs)} ms CPU/op   etcd ${cpu(p.etcdCpuMs)} ms CPU/op`,
  );
}

async function main(): Promise<void> {
  console.log(`etcd store benchmark: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${SECONDS} s per phase`);
  if (args.endpoints) {
    await run(args.endpoints.split(','), [], 'yours');
    return;
  }
  const version = execFileSync('etcd', ['--version']).toString().split('\n')[0];
  console.log(version);
  for (const m of args.members.split(',').map(Number)) {
    const dir = mkdtempSync(join(tmpdir(), 'sy-etcd-bench-'));
    try {
      const base = await freeBase();
      const url = execFileSync('bash', [ETCD_SH, 'start', dir, String(m), String(base)], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();
      const endpoints = url.replace('etcd://', '').split(',').map((h) => `http://${h}`);
      const pids = Array.from({ length: m }, (_, i) => Number(readFileSync(join(dir, `m${i}.pid`), 'utf8')));
      await run(endpoints, pids, `${m} member${m > 1 ? 's' : ''}`);
    } finally {
      execFileSync('bash', [ETCD_SH, 'stop', dir], { stdio: 'inherit' });
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
