// The REST benchmark's load generator, a child process so it does not share
// the controller's event loop: fork(rest-load.js, [JSON LoadSpec]) → one
// LoadResult message, then exit.
import autocannon from 'autocannon';

export interface LoadSpec {
  readonly url: string;
  readonly kind: 'get' | 'flows';
  /** For get: the path. */
  readonly path: string;
  readonly connections: number;
  readonly seconds: number;
  /** For flows: datapath ids 1..switches get adds in turn. */
  readonly switches: number;
}

export interface LoadResult {
  readonly perSec: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly avg: number };
  readonly seconds: number;
  readonly statuses: Record<string, number>;
  /** This process's CPU per successful request, in µs: the load generator's own cost. */
  readonly loaderCpuUs: number;
}

/** Every add is a new flow: its own eth_dst, on switch n % switches, so no add replaces another. */
function flowRequests(switches: number): { setupRequest: (req: { path?: string; body?: string | Buffer }) => { path?: string; body?: string | Buffer } }[] {
  let n = 0;
  return [{
    setupRequest: (req) => {
      const i = n++;
      const dpid = (i % switches) + 1;
      const mac = (0x020000000000 + i).toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
      req.path = `/api/v1/switches/${dpid.toString(16).padStart(16, '0')}/flows`;
      req.body = JSON.stringify({ priority: 1000, match: { in_port: 3, eth_dst: mac }, actions: [{ type: 'output', port: 1 }] });
      return req;
    },
  }];
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  const cpu0 = process.cpuUsage();
  const r = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 10,
    ...(spec.kind === 'get'
      // What browsers (the web view) and Python requests (Ryu-era scripts) send: a route may answer compressed.
      ? { method: 'GET', headers: { 'accept-encoding': 'gzip, deflate' }, requests: [{ path: spec.path }] }
      : { method: 'POST', headers: { 'content-type': 'application/json' }, requests: flowRequests(spec.switches) }),
  });
  const statuses: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = Number(s.count);
  const ok = Object.entries(statuses).filter(([c]) => c.startsWith('2')).reduce((a, [, v]) => a + v, 0);
  const result: LoadResult = {
    perSec: ok / r.duration,
    ok,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, avg: r.latency.average },
    seconds: r.duration,
    statuses,
    loaderCpuUs: ((c) => (c.user + c.system) / Math.max(1, ok))(process.cpuUsage(cpu0)),
  };
  process.send?.(result);
  process.disconnect?.();
}

main().catch((e: unknown) => {
  process.stderr.write(`load generator failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
