// One packet-in storm against a controller child process, measured: REST p99
// before, during and after; RSS before, at its peak and after the rest
// period; hosts and pending flow installs; log lines by message; drops and
// evictions from /metrics. The storm test and the soak script both run this.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

/** The checkout: the first directory above this file with bin/switchyard.js (this file runs from bench/, dist/ or dist-test/). */
const REPO = ((): string => {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'bin', 'switchyard.js')) && dirname(d) !== d) d = dirname(d);
  return d;
})();

export interface StormRunOptions {
  readonly macs: number;
  /** Offered packet-ins/s; absent: as fast as a worker thread writes. */
  readonly rate?: number;
  readonly stormMs: number;
  /** Quiet time after the storm before RSS is read again (the minute; shorter in CI). */
  readonly restMs: number;
  readonly baselineMs?: number;
  /** Extra `switchyard start` flags. */
  readonly args?: readonly string[];
  /** Sample /metrics and RSS this often while the storm runs. */
  readonly sampleMs?: number;
  /**
   * A full GC in the controller through its inspector (the child then runs
   * with --inspect on loopback), returning its memory: before and after are
   * then read after a GC, so garbage not yet collected does not count as
   * memory kept.
   */
  readonly afterGc?: (inspectorUrl: string) => Promise<{ heapUsed: number; rss: number }>;
}

export interface Phase {
  readonly requests: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface StormReport {
  readonly sent: number;
  readonly sentPerSec: number;
  readonly processedPerSec: number;
  readonly rest: { readonly before: Phase; readonly during: Phase; readonly after: Phase };
  readonly rssMb: { readonly before: number; readonly peak: number; readonly after: number };
  /** Heap used after a full GC, before and after (only with `afterGc`). */
  readonly heapAfterGcMb?: { readonly before: number; readonly after: number };
  /** Largest values seen in /metrics while it ran, and the final ones. */
  readonly peak: Readonly<Record<string, number>>;
  readonly final: Readonly<Record<string, number>>;
  /** Log lines written, all and by message (pino JSON on stdout). */
  readonly logLines: number;
  readonly logByMsg: Readonly<Record<string, number>>;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function phase(samples: number[]): Phase {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { requests: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? NaN };
}

/** Prometheus text → sum per metric name (labels summed). */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    out.set(m[1]!, (out.get(m[1]!) ?? 0) + Number(m[3]));
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sequential GETs (one in flight, 5 ms apart) until `until()` is true; latencies in ms. */
async function probe(url: string, until: () => boolean): Promise<number[]> {
  const out: number[] = [];
  while (!until()) {
    const t = performance.now();
    const r = await fetch(url);
    await r.arrayBuffer();
    out.push(performance.now() - t);
    await sleep(5);
  }
  return out;
}

export const WATCHED = [
  'switchyard_hosts', 'switchyard_flows_pending', 'switchyard_packet_ins_total', 'switchyard_packet_ins_dropped_total',
  'switchyard_hosts_evicted_total', 'switchyard_flow_batches_evicted_total', 'switchyard_log_lines_suppressed_total', 'nodejs_heap_size_used_bytes',
] as const;

export async function runStorm(o: StormRunOptions): Promise<StormReport> {
  const child = spawn(process.execPath, [...(process.env.STORM_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), ...(o.afterGc ? ['--inspect=127.0.0.1:0'] : []), join(REPO, 'bin', 'switchyard.js'), 'start', '--of-port', '0', '--of-address', '127.0.0.1', '--http-port', '0', '--apps', 'l2-switch', '--log-format', 'json', '--state-dir', `/tmp/storm-${process.pid}-${Date.now()}`, ...(o.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logByMsg: Record<string, number> = {};
  let logLines = 0;
  let buf = '';
  let stderr = '';
  let inspector: string | undefined;
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    inspector ??= /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
    if (stderr.length > 20000) stderr = stderr.slice(-10000);
  });
  const ready = new Promise<{ rest: string; openflow: { port: number } }>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        logLines++;
        try {
          const j = JSON.parse(line) as { msg?: string; rest: string; openflow: { port: number } };
          // Event lines name their subject ("host added 02:5e:..."): one key per kind of line.
          const key = (j.msg ?? '?').replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}.*$/, '*').replace(/\d+/g, 'N');
          logByMsg[key] = (logByMsg[key] ?? 0) + 1;
          if (j.msg === 'Switchyard is running') resolve(j);
        } catch {
          /* not JSON */
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`controller exited with ${code}: ${stderr.slice(-2000)}`)));
  });
  const exited = once(child, 'exit');
  try {
    const { rest, openflow } = await ready;
    const base = rest.replace(/\/$/, '');
    // The worker runs the compiled JavaScript in dist/ (the bin above has just built it if it was stale).
    const workerFile = join(REPO, 'dist', 'bench', 'lib', 'storm-worker.js');
    const worker = new Worker(workerFile, { workerData: { port: openflow.port, macs: o.macs, dpid: '0x5701', rate: o.rate } });
    const next = (kind: string): Promise<{ kind: string; sent?: number }> =>
      new Promise((resolve, reject) => {
        const on = (m: { kind: string; sent?: number }): void => {
          if (m.kind !== kind) return;
          worker.off('message', on);
          resolve(m);
        };
        worker.on('message', on);
        worker.once('error', reject);
      });
    await next('connected');
    for (let i = 0; i < 400; i++) {
      const r = (await (await fetch(`${base}/api/v1/switches`)).json()) as unknown[];
      if (r.length === 1) break;
      await sleep(25);
    }
    const metrics = async (): Promise<Map<string, number>> => parseMetrics(await (await fetch(`${base}/metrics`)).text());
    const url = `${base}/api/v1/switches`;
    await sleep(500);
    const pid = child.pid!;
    const baselineEnd = performance.now() + (o.baselineMs ?? 3000);
    const before = await probe(url, () => performance.now() > baselineEnd);
    if (o.afterGc && inspector === undefined) throw new Error(`no inspector URL from the controller: ${stderr.slice(-500)}`);
    const gcBefore = o.afterGc ? await o.afterGc(inspector!) : undefined;
    const rssBefore = gcBefore ? gcBefore.rss / 2 ** 20 : rssMb(pid);
    const m0 = await metrics();

    worker.postMessage({ kind: 'start' });
    const t0 = performance.now();
    const stormEnd = t0 + o.stormMs;
    let peakRss = rssBefore;
    const peak: Record<string, number> = {};
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakRss = Math.max(peakRss, rssMb(pid));
        try {
          const m = await metrics();
          for (const k of WATCHED) peak[k] = Math.max(peak[k] ?? 0, m.get(k) ?? 0);
        } catch {
          /* a scrape lost under load is not a figure */
        }
        await sleep(o.sampleMs ?? 500);
      }
    })();
    const during = await probe(url, () => performance.now() > stormEnd);
    const stopped = next('stopped');
    worker.postMessage({ kind: 'stop' });
    const sent = (await stopped).sent ?? 0;
    const elapsed = (performance.now() - t0) / 1000;
    sampling = false;
    await sampler;
    const m1 = await metrics();
    const restEnd = performance.now() + o.restMs;
    const after = await probe(url, () => performance.now() > restEnd);
    const gcAfter = o.afterGc ? await o.afterGc(inspector!) : undefined;
    const rssAfter = gcAfter ? gcAfter.rss / 2 ** 20 : rssMb(pid);
    const final = await metrics();
    const finalRec: Record<string, number> = {};
    for (const k of WATCHED) finalRec[k] = final.get(k) ?? 0;
    worker.postMessage({ kind: 'close' });
    await once(worker, 'exit');
    return {
      sent,
      sentPerSec: Math.round(sent / elapsed),
      processedPerSec: Math.round(((m1.get('switchyard_packet_ins_total') ?? 0) - (m0.get('switchyard_packet_ins_total') ?? 0)) / elapsed),
      rest: { before: phase(before), during: phase(during), after: phase(after) },
      rssMb: { before: rssBefore, peak: peakRss, after: rssAfter },
      ...(gcBefore && gcAfter ? { heapAfterGcMb: { before: gcBefore.heapUsed / 2 ** 20, after: gcAfter.heapUsed / 2 ** 20 } } : {}),
      peak, final: finalRec, logLines, logByMsg,
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    const t = setTimeout(() => child.kill("SIGKILL"), 30000);
    await exited;
    clearTimeout(t);
  }
}
