// Soak: the packet-in storm (one port, 65,536 source MACs, at
// STORM_RATE packet-ins/s, or as fast as this machine can send without it)
// for STORM_SECONDS (default 30), then STORM_REST_SECONDS
// quiet (default 60: "memory back a minute after"). Prints the figures that
// docs/reliability.md records. `npm run build && node dist/bench/storm.bench.js`
// (extra controller flags after `--`).
import { runStorm } from './lib/storm-run.js';
import { childHeapAfterGc } from './lib/child-heap.js';

const dash = process.argv.indexOf('--');
const args = dash >= 0 ? process.argv.slice(dash + 1) : [];
const report = await runStorm({
  macs: Number(process.env.STORM_MACS ?? 65536),
  ...(process.env.STORM_RATE ? { rate: Number(process.env.STORM_RATE) } : {}),
  stormMs: Number(process.env.STORM_SECONDS ?? 30) * 1000,
  restMs: Number(process.env.STORM_REST_SECONDS ?? 60) * 1000,
  args,
  // STORM_GC=0: RSS as it is, garbage included.
  ...(process.env.STORM_GC === '0' ? {} : { afterGc: childHeapAfterGc }),
});
console.log(JSON.stringify(report, null, 2));
