import t from 'tap';
import { Writable } from 'node:stream';
import type { Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startApi } from '../helpers/api.js';
import { openEvents } from '../helpers/event-client.js';
import { pollUntil } from '../helpers/ovs.js';
import { createController } from '../../src/controller.js';
import type { EventBus } from '../../src/core/events.js';
import { knownEventTypes, parseEventFilter } from '../../src/northbound/event-filter.js';

const end = (dpid: string, port_no: number) => ({ dpid, port_no });
function linkUp(bus: EventBus, port: number) {
  return bus.emit('link.up', { src: end('0000000000000001', port), dst: end('0000000000000002', port) });
}
function portAdded(bus: EventBus, port: number, name = `p${port}`) {
  return bus.emit('port.added', { dpid: '0000000000000001', port_no: port, name, hw_addr: '0a:00:00:00:00:01', up: true });
}

t.test('the type filter: names, prefixes, *, and stats opt-in', async (t) => {
  const set = (types: string | undefined, stats = false) => {
    const f = parseEventFilter(types, stats, knownEventTypes([]));
    return 'error' in f ? f.error : [...f].sort();
  };
  t.same(set('link.up,link.down'), ['link.down', 'link.up']);
  t.same(set('link.*'), ['link.down', 'link.up']);
  t.notOk((set(undefined) as string[]).includes('stats.ports'), 'stats are opt-in');
  t.ok((set(undefined) as string[]).includes('flow.error'));
  t.ok((set(undefined, true) as string[]).includes('stats.ports'), 'stats=1 adds them');
  t.same(set('stats.*'), ['stats.ports'], 'or name them');
  t.match(set('link.upp'), /"link.upp" is not an event type \(known: switch.up/);
  t.match(set('nope.*'), /no event type starts with "nope\."/);
  t.match(set(' , '), /types is empty/);
});

t.test('live events arrive as {seq, time, type, data}, filtered by type', async (t) => {
  const started = Date.now();
  const api = await startApi(t);
  const c = await openEvents(api.url, '?types=link.*,switch.up');
  t.teardown(() => c.close());
  await api.addSwitch({ dpid: 7n });
  const up = await c.next((m) => m.type === 'switch.up', 'switch.up');
  t.equal(up.data.dpid, '0000000000000007');
  t.type(up.seq, 'number');
  t.ok(up.time >= started && up.time <= Date.now(), 'time is epoch ms, taken while the test ran');
  t.same(Object.keys(up).sort(), ['data', 'seq', 'time', 'type']);
  portAdded(api.c.events, 9);
  const lu = linkUp(api.c.events, 3);
  const got = await c.next((m) => m.type === 'link.up', 'link.up');
  t.equal(got.seq, lu.seq);
  t.same(got.data, { src: end('0000000000000001', 3), dst: end('0000000000000002', 3) });
  t.notOk(c.messages.some((m) => m.type.startsWith('port.')), 'port events filtered out');
});

t.test('since: the events after that seq are replayed in order, then the live ones, none twice', async (t) => {
  const api = await startApi(t);
  const bus = api.c.events;
  const before = linkUp(bus, 1).seq;
  for (let p = 2; p <= 6; p++) linkUp(bus, p);
  portAdded(bus, 40);
  const c = await openEvents(api.url, `?since=${before}&types=link.up`);
  t.teardown(() => c.close());
  linkUp(bus, 7);
  const msgs = await c.count(6);
  t.same(msgs.map((m) => m.data.src.port_no), [2, 3, 4, 5, 6, 7]);
  const seqs = msgs.map((m) => m.seq);
  t.same(seqs, [...seqs].sort((a, b) => a - b), 'in sequence order');
  t.equal(new Set(seqs).size, seqs.length, 'no duplicates');
  t.notOk(c.messages.some((m) => m.type === 'stream.gap'), 'no gap: the ring held them');
});

t.test('since older than the replay buffer: a stream.gap message first, then what the buffer holds', async (t) => {
  const api = await startApi(t);
  const bus = api.c.events;
  const first = linkUp(bus, 1).seq;
  for (let i = 0; i < 10_000; i++) portAdded(bus, 100 + (i % 50));
  const kept = linkUp(bus, 2).seq;
  const c = await openEvents(api.url, `?since=${first}&types=link.*`);
  t.teardown(() => c.close());
  const [gap, replayed] = await c.count(2);
  t.equal(gap!.type, 'stream.gap');
  t.same(gap!.data, { from: first, oldest: bus.oldest, latest: kept, reason: 'evicted' });
  t.equal(gap!.seq, bus.oldest - 1, 'the gap carries the seq just before the oldest replayed event');
  t.equal(replayed!.seq, kept);
});

t.test('since beyond the latest seq (an earlier run of the controller): a gap with reason "ahead"', async (t) => {
  const api = await startApi(t);
  linkUp(api.c.events, 1);
  const c = await openEvents(api.url, '?since=999999&types=link.*');
  t.teardown(() => c.close());
  const [gap, replayed] = await c.count(2);
  t.equal(gap!.type, 'stream.gap');
  t.equal(gap!.data.reason, 'ahead');
  t.equal(gap!.data.latest, api.c.events.seq);
  t.equal(replayed!.type, 'link.up', 'then everything the buffer holds');
});

t.test('stats.ports only with stats=1', async (t) => {
  const api = await startApi(t);
  const plain = await openEvents(api.url);
  const withStats = await openEvents(api.url, '?stats=1');
  t.teardown(() => {
    plain.close();
    withStats.close();
  });
  api.c.events.emit('stats.ports', { dpid: '0000000000000001', ports: [{ port_no: 1, rx_bps: 8, tx_bps: 0, rx_pps: 1, tx_pps: 0 }] });
  const marker = linkUp(api.c.events, 5);
  await withStats.next((m) => m.seq === marker.seq, 'marker');
  await plain.next((m) => m.seq === marker.seq, 'marker');
  t.ok(withStats.messages.some((m) => m.type === 'stats.ports'), 'stats=1 gets stats.ports');
  t.notOk(plain.messages.some((m) => m.type === 'stats.ports'), 'the default does not');
});

t.test('a bad query is a 400 before the upgrade; a plain GET is a 426', async (t) => {
  const api = await startApi(t);
  const bad = async (q: string) => (await api.json('GET', `/api/v1/events${q}`)).body;
  t.match((await bad('?types=link.upp')).message, /"link.upp" is not an event type/);
  t.match((await bad('?since=abc')).message, /querystring.since must be integer/);
  t.match((await bad('?since=-1')).message, /querystring.since must be >= 0/);
  t.match((await bad('?stats=maybe')).message, /querystring.stats must be one of "0", "1", "true", "false"/);
  t.match((await bad('?colour=red')).message, /unknown field "colour"/);
  for (const q of ['?types=link.upp', '?since=abc', '?colour=red']) t.equal((await api.json('GET', `/api/v1/events${q}`)).status, 400, q);
  const plain = await api.json('GET', '/api/v1/events?types=link.*');
  t.equal(plain.status, 426);
  t.equal(plain.body.error, 'upgrade_required');
  const refused = await openEvents(api.url, '?types=nope').catch((e: { status: number; body: string }) => e);
  t.match(refused, { status: 400 }, 'a WebSocket client sees the 400');
  t.match(JSON.parse((refused as { body: string }).body).message, /"nope" is not an event type/);
  t.equal(api.c.api!.app.websocketServer.clients.size, 0, 'no socket was upgraded');
});

t.test('a client that stops reading is closed with 1008 "too slow"; the others keep going', async (t) => {
  const api = await startApi(t);
  const slow = await openEvents(api.url);
  const fast = await openEvents(api.url);
  t.teardown(() => fast.close());
  (slow.ws as unknown as { _socket: Socket })._socket.pause();
  const stream = () => (api.c.api!.app.websocketServer.clients.size);
  t.equal(stream(), 2);
  const big = 'x'.repeat(1000);
  let emitted = 0;
  // Emit in bursts with a turn of the event loop between, as a busy network would; stop once the server gave up on it.
  while (emitted < 100_000) {
    for (let i = 0; i < 200; i++, emitted++) portAdded(api.c.events, 1 + (emitted % 1000), big);
    await new Promise((r) => setImmediate(r));
    const m = (await api.json('GET', '/api/v1/metrics')).body as string;
    if (/^switchyard_event_stream_dropped_total 1$/m.test(m)) break;
  }
  t.ok(emitted < 100_000, `dropped after ${emitted} events of ~1 kB`);
  const last = portAdded(api.c.events, 1, 'last');
  await fast.next((m) => m.seq === last.seq, 'the last event on the fast client', 20_000);
  t.equal(fast.messages.filter((m) => m.type === 'port.added').length, emitted + 1, 'the fast client got every event');
  (slow.ws as unknown as { _socket: Socket })._socket.resume();
  const closed = await slow.closed;
  t.same(closed, { code: 1008, reason: 'too slow' });
  t.ok(slow.messages.length < emitted, `the slow client got ${slow.messages.length} before being cut off`);
  const metrics = (await api.json('GET', '/api/v1/metrics')).body as string;
  t.match(metrics, /^switchyard_event_stream_clients 1$/m, 'one client left');
});

t.test('with tokens the stream needs one: header or ?access_token=, and the token never reaches the log', async (t) => {
  const token = 'tok-3f9a61c2-stream-secret';
  let logged = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logged += String(chunk);
      cb();
    },
  });
  const c = createController({
    config: { of: { port: 0, address: '127.0.0.1' }, http: { port: 0, address: '127.0.0.1', tokens: [token], openReads: true }, apps: [], stateDir: mkdtempSync(join(tmpdir(), 'switchyard-state-')) },
    log: pino({ level: 'trace' }, sink),
  });
  await c.start();
  t.teardown(() => c.stop());
  const url = `http://127.0.0.1:${c.httpAddress!.port}`;
  const none = await openEvents(url).catch((e: { status: number; body: string }) => e);
  t.match(none, { status: 401 }, 'no token: 401 even with open reads');
  t.match((none as { body: string }).body, /access_token/);
  const wrong = await openEvents(url, '?access_token=wrong-token-wrong-token').catch((e: { status: number; socketClosed: Promise<true> }) => e);
  t.match(wrong, { status: 403 });
  const invalid = await openEvents(url, `?types=bad.*&access_token=${token}`).catch((e: { status: number; socketClosed: Promise<true> }) => e);
  t.match(invalid, { status: 400 }, 'authorised, then validated');
  const within = (p: Promise<true>) => Promise.race([p, new Promise<false>((r) => setTimeout(() => r(false), 3000))]);
  for (const [what, refused] of [['401', none], ['403', wrong], ['400', invalid]] as const) {
    t.equal(await within((refused as { socketClosed: Promise<true> }).socketClosed), true, `the server closed the socket of the refused upgrade (${what})`);
  }
  const byQuery = await openEvents(url, `?types=link.*&access_token=${token}`);
  const byHeader = await openEvents(url, '?types=link.*', { authorization: `Bearer ${token}` });
  const l = c.events.emit('link.up', { src: end('0000000000000001', 1), dst: end('0000000000000002', 1) });
  await byQuery.next((m) => m.seq === l.seq, 'link.up by query token');
  await byHeader.next((m) => m.seq === l.seq, 'link.up by header token');
  byQuery.close();
  byHeader.close();
  await byQuery.closed;
  t.match(logged, /event stream client connected/, 'the connections were logged');
  t.notOk(logged.includes(token), 'but not the token');
  t.notOk(logged.includes('access_token'), 'nor the query that carried it');
});

t.test('the clients gauge follows connections', async (t) => {
  const api = await startApi(t);
  const gauge = async () => Number(/^switchyard_event_stream_clients (\d+)$/m.exec((await api.json('GET', '/api/v1/metrics')).body as string)?.[1]);
  t.equal(await gauge(), 0);
  const a = await openEvents(api.url);
  const b = await openEvents(api.url, '?types=host.*');
  t.equal(await gauge(), 2);
  a.close();
  await a.closed;
  await pollUntil('gauge to drop to 1', async () => (await gauge()) === 1, 5000);
  b.close();
  await b.closed;
  await pollUntil('gauge to drop to 0', async () => (await gauge()) === 0, 5000);
  t.pass('gauge back to 0');
});
