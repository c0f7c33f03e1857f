// The page's connection logic without a browser: snapshot then stream from
// its seq, a gap refetches, a lost socket shows "reconnecting" and comes back
// resuming from the last applied seq.
import t from 'tap';
import { LiveTopology, type LiveStatus, type SocketLike } from '../../ui/src/live.js';
import type { TopologySnapshot } from '../../ui/src/model.js';

class FakeSocket implements SocketLike {
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly since: number) {}
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
  send(seq: number, type: string, data: unknown): void {
    this.onmessage?.({ data: JSON.stringify({ seq, type, time: 0, data }) });
  }
}

function harness() {
  let seq = 5;
  let hosts: TopologySnapshot['hosts'] = [];
  let failFetch = false;
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const statuses: [LiveStatus, string][] = [];
  let fetches = 0;
  const live = new LiveTopology({
    fetchSnapshot: async () => {
      fetches++;
      if (failFetch) throw new Error('connection refused');
      return { seq, switches: [{ dpid: '0000000000000001', dp_desc: 's1', ports: [] }], links: [], hosts };
    },
    openSocket: (since) => {
      const s = new FakeSocket(since);
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
    onChange: () => {},
    onStatus: (s, d) => statuses.push([s, d]),
  });
  return {
    live, sockets, timers, statuses,
    setSeq: (n: number) => (seq = n),
    setHosts: (h: TopologySnapshot['hosts']) => (hosts = h),
    failFetch: (v: boolean) => (failFetch = v),
    fetches: () => fetches,
    runTimers: async () => {
      const due = timers.splice(0);
      for (const x of due) x.fn();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const host = (mac: string) => ({ mac, vlan: null, ipv4: [], ipv6: [], dpid: '0000000000000001', port_no: 1 });

t.test('snapshot, then the stream from its seq', async (t) => {
  const x = harness();
  await x.live.start();
  t.equal(x.sockets.length, 1);
  t.equal(x.sockets[0]!.since, 5, 'resume right after the snapshot');
  x.sockets[0]!.onopen?.();
  t.equal(x.live.status, 'live');
  x.sockets[0]!.send(6, 'host.added', host('02:00:00:00:00:01'));
  t.equal(x.live.model.hosts.size, 1);
});

t.test('a gap refetches the snapshot and carries on', async (t) => {
  const x = harness();
  await x.live.start();
  x.sockets[0]!.onopen?.();
  x.setSeq(9);
  x.setHosts([host('02:00:00:00:00:01'), host('02:00:00:00:00:02')]);
  x.sockets[0]!.send(8, 'host.added', host('02:00:00:00:00:02')); // 6 and 7 missing
  await new Promise((r) => setImmediate(r));
  t.equal(x.fetches(), 2, 'one more snapshot');
  t.equal(x.live.model.seq, 9);
  t.equal(x.live.model.hosts.size, 2);
  x.sockets[0]!.send(10, 'host.removed', host('02:00:00:00:00:01'));
  t.equal(x.live.model.hosts.size, 1, 'the stream after the new snapshot applies');
  t.equal(x.sockets.length, 1, 'the same socket');
});

t.test('a lost connection shows reconnecting, backs off, and resumes', async (t) => {
  const x = harness();
  await x.live.start();
  x.sockets[0]!.onopen?.();
  x.sockets[0]!.send(6, 'host.added', host('02:00:00:00:00:01'));
  x.failFetch(true);
  x.sockets[0]!.close();
  t.equal(x.live.status, 'reconnecting');
  t.match(x.statuses.at(-1)![1], /lost the connection/);
  t.equal(x.timers[0]!.ms, 500);
  await x.runTimers(); // fetch fails: another wait, longer
  t.equal(x.live.status, 'reconnecting');
  t.match(x.statuses.at(-1)![1], /could not load the topology/);
  t.equal(x.timers[0]!.ms, 1000, 'backoff grows');
  x.failFetch(false);
  x.setSeq(6);
  await x.runTimers();
  t.equal(x.sockets.length, 2, 'a new socket');
  t.equal(x.sockets[1]!.since, 6, 'from the fresh snapshot\'s seq');
  x.sockets[1]!.onopen?.();
  t.equal(x.live.status, 'live');
  x.live.stop();
  t.ok(x.sockets[1]!.closed);
  t.equal(x.timers.length, 0, 'stopping schedules nothing');
});

t.test('while live, the snapshot is refreshed now and then (addresses change without events)', async (t) => {
  let fetches = 0;
  const timers: { fn: () => void; ms: number }[] = [];
  const sockets: FakeSocket[] = [];
  const live = new LiveTopology({
    fetchSnapshot: async () => {
      fetches++;
      return { seq: 5, switches: [], links: [], hosts: [{ ...host('02:00:00:00:00:01'), ipv4: fetches > 1 ? ['10.0.0.1'] : [] }] };
    },
    openSocket: (since) => (sockets.push(new FakeSocket(since)), sockets.at(-1)!),
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
    onChange: () => {},
    onStatus: () => {},
    refreshMs: 15_000,
  });
  await live.start();
  t.equal(timers.length, 0, 'not before the stream is open');
  sockets[0]!.onopen?.();
  t.same(timers.map((x) => x.ms), [15_000]);
  timers.shift()!.fn();
  await new Promise((r) => setImmediate(r));
  t.equal(fetches, 2);
  t.same(live.model.hosts.get('host:02:00:00:00:00:01')?.ipv4, ['10.0.0.1'], 'the address the snapshot now has');
  t.same(timers.map((x) => x.ms), [15_000], 'and again later');
  live.stop();
});
