// Issue 15 item 2, the parts that bound a packet-in storm, one by one: host
// caps (least recently seen evicted), caps on flow batches waiting for a
// barrier (oldest given up), warnings summarised, and the packet-in budget,
// through the fake switch against an in-process controller.
import t from 'tap';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.js';
import { HostCaps } from '../../src/core/hosts/host-caps.js';
import { PendingCaps, PendingEvictedError } from '../../src/core/flows/pending-caps.js';
import { RateLimitedWarn, WarnSummariser } from '../../src/openflow/channel/rate-limited-warn.js';
import { createController } from '../../src/controller.js';
import { BUILTIN_APPS } from '../../src/apps/index.js';
import { FakeSwitch } from '../helpers/fake-switch.js';
import { pollUntil } from '../helpers/ovs.js';
import { memoryLog } from '../helpers/quiet-log.js';
import { stormFrames, stormMac } from '../../bench/lib/packet-in-storm.js';
import { parseMetrics } from '../../bench/lib/storm-run.js';

t.test('host caps: the least recently seen host on the switch, then anywhere, makes room', async (t) => {
  const caps = new HostCaps({ maxPerSwitch: 3, maxTotal: 4 });
  for (const m of ['a', 'b', 'c']) caps.touch(m, 's1');
  t.same(caps.overflow('s1'), [], 'at the cap, nothing to evict');
  caps.touch('a', 's1'); // a is the most recent now: b is the oldest
  caps.touch('d', 's1');
  const out = caps.overflow('s1');
  t.same(out, ['b'], 'the least recently seen of s1 goes, not the first learned');
  for (const m of out) caps.forget(m);
  caps.touch('x', 's2');
  caps.touch('y', 's2');
  const global = caps.overflow('s2');
  t.same(global, ['c'], 'over the total cap: the oldest anywhere');
  t.same(caps.evicted, { perSwitch: 1, total: 1 });
});

t.test('pending caps: the oldest waiting batch is given up, per switch and in all', async (t) => {
  const caps = new PendingCaps<string>({ maxPerSwitch: 2, maxTotal: 3 });
  const given: string[] = [];
  const batch = (name: string) => ({ abandon: (e: Error) => given.push(`${name}:${e instanceof PendingEvictedError}`) });
  const [a, b, c, d] = [batch('a'), batch('b'), batch('c'), batch('d')];
  caps.add('s1', a);
  caps.add('s1', b);
  caps.add('s1', c);
  t.same(given, ['a:true'], 'a third on s1 gives up the oldest of s1');
  t.equal(caps.done(a), false, 'an evicted batch answered later is ignored');
  caps.add('s2', d);
  caps.add('s2', batch('e'));
  t.same(given, ['a:true', 'b:true'], 'the fourth in all gives up the oldest anywhere');
  t.equal(caps.size, 3);
  t.equal(caps.done(c), true);
  t.equal(caps.evicted, 2);
});

t.test('a warning per packet becomes one line, then one line per interval with the count', async (t) => {
  const clock = new ManualClock(0);
  const log = memoryLog();
  const w = new RateLimitedWarn(log, clock, 10_000);
  for (let i = 0; i < 1000; i++) w.warn({ i }, 'barrier timeout');
  t.equal(log.lines.length, 1, 'the first at once');
  clock.advance(10_000);
  t.equal(log.lines.length, 2, 'the summary comes at the end of the interval, even with no later warning');
  t.match(log.lines[1]!.obj, { suppressed: 999 });
  t.match(log.lines[1]!.msg, /barrier timeout \(and 999 more/);
  clock.advance(60_000);
  t.equal(log.lines.length, 2, 'nothing more when nothing happened');

  const s = new WarnSummariser(log, clock, 10_000);
  for (let i = 0; i < 500; i++) {
    s.warn({}, 'flow install failed');
    s.warn({}, 'packet processor failed');
  }
  t.equal(log.lines.length, 4, 'one line per kind of message');
  clock.advance(10_000);
  t.equal(log.lines.length, 6, 'and one summary per kind');
  t.equal(s.suppressed, 998);
});

/** pino lines of an in-process controller, parsed. */
function lineLog(): { log: pino.Logger; lines: { msg: string; level: number }[] } {
  const lines: { msg: string; level: number }[] = [];
  const dest = new Writable({
    write(chunk: Buffer, _e, cb) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as { msg: string; level: number });
      cb();
    },
  });
  return { log: pino({ level: 'info' }, dest), lines };
}

t.test('a storm through the fake switch: hosts and pending batches stay under their caps, drops and evictions in /metrics, warnings summarised', async (t) => {
  const { log, lines } = lineLog();
  const c = createController({
    config: {
      of: { port: 0, address: '127.0.0.1' }, http: { port: 0, address: '127.0.0.1' }, apps: ['l2-switch'], stateDir: mkdtempSync(join(tmpdir(), 'sy-storm-')),
      packetInRate: 400, maxHostsPerSwitch: 50, maxHosts: 60, maxPendingFlowsPerSwitch: 20, maxPendingFlows: 30, statsIntervalMs: 3_600_000,
    },
    apps: BUILTIN_APPS, log,
  });
  await c.start();
  t.teardown(() => c.stop());
  let up = false;
  // After the handshake this switch never answers a barrier: every flow batch stays pending.
  const sw = new FakeSwitch({ dpid: 0x51n, ports: 3, reply: (m) => (up && m.type === 'barrier_request' ? [] : undefined) });
  await sw.connect(c.ofAddress!.port);
  t.teardown(() => sw.close());
  await pollUntil('switch up', () => c.switches.size === 1 || undefined, 10_000);
  await c.flows.reconciled(0x51n);
  up = true;

  const frames = stormFrames({ macs: 2000, inPort: 1 });
  for (let i = 0; i < frames.length; i += 100) sw.sendRaw(Buffer.concat(frames.slice(i, i + 100)));
  const metrics = async () => parseMetrics(await (await fetch(`http://127.0.0.1:${c.httpAddress!.port}/metrics`)).text());
  await pollUntil('packet-ins processed or dropped', async () => {
    const m = await metrics();
    return (m.get('switchyard_packet_ins_total') ?? 0) + (m.get('switchyard_packet_ins_dropped_total') ?? 0) >= 2000 || undefined;
  }, 20_000);
  const m = await metrics();
  t.ok((m.get('switchyard_packet_ins_dropped_total') ?? 0) > 0, `packet-ins over the budget dropped and counted (${m.get('switchyard_packet_ins_dropped_total')})`);
  t.ok(c.hosts.size <= 50, `hosts at most the per-switch cap (${c.hosts.size})`);
  t.ok((m.get('switchyard_hosts_evicted_total') ?? 0) > 0, `host evictions counted (${m.get('switchyard_hosts_evicted_total')})`);
  t.ok(c.flows.pending.size <= 20, `pending batches at most the per-switch cap (${c.flows.pending.size})`);
  t.ok((m.get('switchyard_flow_batches_evicted_total') ?? 0) > 0, `batches given up counted (${m.get('switchyard_flow_batches_evicted_total')})`);
  t.equal(m.get('switchyard_flows_pending'), c.flows.pending.size, 'pending batches in /metrics');
  t.equal(c.hosts.byMac(stormMac(0)), undefined, 'the first host learned was evicted (the least recently seen)');
  const failed = lines.filter((l) => /^flow install failed/.test(l.msg)).length;
  t.ok(failed >= 1 && failed <= 2, `given-up installs: ${failed} log line(s) for ${m.get('switchyard_flow_batches_evicted_total')}`);
  t.ok((m.get('switchyard_log_lines_suppressed_total') ?? 0) > 0, 'the rest counted as suppressed');
  t.ok(lines.filter((l) => /packet-in rate limit/.test(l.msg)).length <= 2, 'drops: one line, not one per packet');
});
