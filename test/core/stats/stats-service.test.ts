import t from 'tap';
import { StatsService, PollTimeoutError } from '../../../src/core/stats/stats-service.js';
import { FlowService } from '../../../src/core/flows/flow-service.js';
import { cookieFor } from '../../../src/core/flows/cookie.js';
import type { MultipartReplyBody, MultipartRequestBody } from '../../../src/openflow/messages/multipart.js';
import type { PortStats } from '../../../src/openflow/multipart/port-stats.js';
import type { FlowStats } from '../../../src/openflow/multipart/flow-stats.js';
import { harness, settle, type FakeLink } from '../flows/fake-link.js';

function port(port_no: number | 'local', rxBytes: bigint, txBytes: bigint, packets: bigint): PortStats {
  return {
    port_no, rx_packets: packets, tx_packets: packets, rx_bytes: rxBytes, tx_bytes: txBytes, rx_dropped: 0n, tx_dropped: 0n, rx_errors: 0n,
    tx_errors: 0n, rx_frame_err: 0n, rx_over_err: 0n, rx_crc_err: 0n, collisions: 0n, duration_sec: 100, duration_nsec: 0,
  };
}
const flow = (table_id: number, cookie: bigint): FlowStats => ({
  table_id, duration_sec: 1, duration_nsec: 0, priority: 1, idle_timeout: 0, hard_timeout: 0, flags: [], cookie, packet_count: 0n, byte_count: 0n, match: [], instructions: [],
});

/** A switch whose port counters grow by `step` bytes per poll. */
function scripted(link: FakeLink, counters: { bytes: bigint; packets: bigint }, flows: FlowStats[] = []): void {
  link.replies = (b: MultipartRequestBody): MultipartReplyBody[] => {
    if (b.type === 'port_stats') return [{ type: 'port_stats', stats: [port(1, counters.bytes, counters.bytes / 2n, counters.packets), port('local', 1n, 1n, 1n)] }];
    if (b.type === 'flow') return [{ type: 'flow', flows }];
    if (b.type === 'table') return [{ type: 'table', tables: [{ table_id: 0, active_count: flows.length, lookup_count: 10n, matched_count: 5n }] }];
    return [];
  };
}

t.test('periodic polls: counters, rates from the last two samples, bounded history, stats.ports events', async (t) => {
  const h = harness();
  const stats = new StatsService({ switches: h.switches, events: h.events, clock: h.clock, intervalMs: 10_000, historySize: 2 });
  const counters = { bytes: 0n, packets: 0n };
  const link = h.up(1n, (l) => scripted(l, counters));
  stats.start();
  h.clock.advance(10_000);
  await settle();
  t.same(link.requests.map((r) => r.type), ['port_stats', 'flow', 'table'], 'one poll asks for ports, flows and tables');
  t.equal(stats.port(1n, 1)?.rates, undefined, 'one sample: no rate yet');
  t.same(stats.ports(1n).map((p) => p.port_no), [1], 'reserved ports (LOCAL) are not listed');
  for (let i = 1; i <= 3; i++) {
    counters.bytes += 12_500n * BigInt(i); // 100 kbit/s, then 200, then 300 over 10 s
    counters.packets += 100n;
    h.clock.advance(10_000);
    await settle();
  }
  t.match(stats.port(1n, 1), { counters: { rx_bytes: 75_000n }, rates: { rx_bps: 30_000, tx_bps: 15_000, rx_pps: 10 } });
  t.same(stats.history(1n, 1).map((r) => r.rx_bps), [20_000, 30_000], 'history keeps the newest historySize samples');
  const ev = h.eventsOf('stats.ports');
  t.equal(ev.length, 3, 'one event per poll that produced rates');
  t.same(ev.at(-1)!.data, { dpid: '0000000000000001', ports: [{ port_no: 1, rx_bps: 30_000, tx_bps: 15_000, rx_pps: 10, tx_pps: 10 }] });
  t.same(stats.tables(1n), [{ table_id: 0, active_count: 0, lookup_count: 10n, matched_count: 5n }]);
  stats.stop();
  const before = link.requests.length;
  h.clock.advance(30_000);
  t.equal(link.requests.length, before, 'stopped: no more polls');
});

t.test('a switch that has not answered is skipped, and a poll gives up after its timeout', async (t) => {
  const h = harness();
  const warnings: string[] = [];
  const stats = new StatsService({ switches: h.switches, events: h.events, clock: h.clock, intervalMs: 1_000, timeoutMs: 2_500, log: { warn: (_o, m) => warnings.push(m) } });
  const link = h.up(1n);
  link.replies = () => new Promise<MultipartReplyBody[]>(() => {}); // a hung switch
  stats.start();
  h.clock.advance(1_000);
  t.equal(link.requests.length, 3, 'first poll sent');
  h.clock.advance(1_000);
  t.equal(link.requests.length, 3, 'second tick: still waiting, nothing new sent');
  t.match(stats.status(1n), { polls: 1, skipped: 1 });
  const joined = stats.pollNow(1n);
  t.equal(link.requests.length, 3, 'pollNow joins the poll in flight instead of piling up');
  h.clock.advance(1_500); // t = 3.5 s: the first poll times out at 3.5 s; the 3 s tick was skipped
  await t.rejects(joined, PollTimeoutError);
  await settle();
  t.match(stats.status(1n), { polls: 1, skipped: 2, failures: 1 });
  t.equal(warnings.length, 1, 'the failed poll is logged once');
  h.clock.advance(500); // t = 4 s: free again
  t.equal(link.requests.length, 6, 'the next tick polls again');
});

t.test('flow summary: count per table and per owner, foreign and stale-generation flows told apart', async (t) => {
  const h = harness();
  const flows = new FlowService({ switches: h.switches, events: h.events, clock: h.clock, generation: 3, tables: [{ name: 'acl', miss: { goto: 'main' } }, { name: 'main', miss: 'controller' }] });
  const l2 = flows.forOwner('l2').id;
  const stats = new StatsService({ switches: h.switches, events: h.events, clock: h.clock, naming: flows });
  h.up(1n, (l) =>
    scripted(l, { bytes: 0n, packets: 0n }, [flow(0, cookieFor(l2, 3, 1)), flow(1, cookieFor(l2, 3, 2)), flow(1, cookieFor(l2, 2, 3)), flow(1, 0n), flow(1, cookieFor(0x7777, 3, 1))]),
  );
  await stats.pollNow();
  t.match(stats.flowSummary(1n), { total: 5, byTable: { acl: 1, main: 4 }, byOwner: { l2: 3, 'owner:0x7777': 1 }, foreign: 1, staleGeneration: 1 });
  h.down(h.switches.get(1n)!.link as FakeLink);
  t.equal(stats.flowSummary(1n), undefined, 'a switch that went down is forgotten');
  t.same(stats.ports(1n), []);
});
