import t from 'tap';
import { startApi, type ApiHarness } from '../helpers/api.js';
import { pollUntil } from '../helpers/ovs.js';
import type { FakeSwitch } from '../helpers/fake-switch.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import { FakeCables } from './fake-cables.js';
import { ManualClock } from '../../src/core/clock.js';
import { EventBus } from '../../src/core/events.js';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, TopologyCache } from '../../src/northbound/topology-snapshot.js';
import type { Controller } from '../../src/controller.js';

const d = (n: number): string => n.toString(16).padStart(16, '0');
const dir = (a: number, pa: number, b: number, pb: number) => ({ src: { dpid: d(a), port_no: pa }, dst: { dpid: d(b), port_no: pb } });

/** s1 port 1 — port 2 s2 port 1 — port 2 s3; port 3 of each is an edge port. PORT_MODs are applied and reported. */
async function line(api: ApiHarness): Promise<{ cables: FakeCables; sw: Map<number, FakeSwitch> }> {
  const cables = new FakeCables(api);
  cables.cable(1n, 1, 2n, 2);
  cables.cable(2n, 1, 3n, 2);
  const sw = new Map<number, FakeSwitch>();
  for (const n of [1, 2, 3]) {
    const applyPortMod = (m: OfpMessage): OfpMessage[] | undefined => {
      if (m.type !== 'port_mod') return undefined;
      const s = sw.get(n)!;
      const i = s.ports.findIndex((p) => p.port_no === m.port_no);
      s.ports[i] = { ...s.ports[i]!, config: m.config };
      return [{ type: 'port_status', xid: 0, reason: 'modify', desc: s.ports[i]! }];
    };
    sw.set(n, await cables.add({ dpid: BigInt(n), ports: 3, reply: applyPortMod }));
  }
  await pollUntil('4 link directions', () => api.c.topology.links().length === 4 || undefined, 10_000);
  return { cables, sw };
}

t.test('GET /topology with nothing connected', async (t) => {
  const api = await startApi(t);
  const r = await api.inject({ method: 'GET', url: '/api/v1/topology' });
  t.equal(r.statusCode, 200);
  t.match(r.headers['content-type'], /^application\/json/);
  t.same(r.json(), { seq: api.c.events.seq, switches: [], links: [], hosts: [] });
});

t.test('GET /topology: switches with port roles, one link per direction, hosts, and the seq they reflect', async (t) => {
  const api = await startApi(t);
  const { cables } = await line(api);
  cables.hostArp(1n, 3, '02:00:00:00:00:01', '10.0.0.1');
  await pollUntil('host learned', () => api.c.hosts.size === 1 || undefined, 5000);
  const r = await api.json('GET', '/api/v1/topology');
  t.equal(r.status, 200);
  t.equal(r.body.seq, api.c.events.seq, 'seq is the last event (nothing happened since)');
  t.same(r.body.links, [dir(1, 1, 2, 2), dir(2, 1, 3, 2), dir(2, 2, 1, 1), dir(3, 2, 2, 1)], 'both directions of both cables');
  t.same(r.body.switches.map((s: { dpid: string }) => s.dpid), [d(1), d(2), d(3)]);
  t.equal(r.body.switches[0].dp_desc, 'fake 1');
  t.same(r.body.switches[1].ports.map((p: { port_no: number; inter_switch: boolean; on_tree: boolean; up: boolean }) => [p.port_no, p.inter_switch, p.on_tree, p.up]), [[1, true, true, true], [2, true, true, true], [3, false, false, true]]);
  t.match(r.body.switches[0].ports[0], { name: 's1-eth1', hw_addr: '0a:01:00:00:00:01' });
  t.same(r.body.hosts, [{ mac: '02:00:00:00:00:01', vlan: null, ipv4: ['10.0.0.1'], ipv6: [], dpid: d(1), port_no: 3 }]);
});

t.test('a new event is in the next snapshot', async (t) => {
  const api = await startApi(t);
  const { cables } = await line(api);
  const a = await api.inject({ method: 'GET', url: '/api/v1/topology' });
  const seq = a.json().seq;
  cables.hostArp(3n, 3, '02:00:00:00:00:03', '10.0.0.3');
  await pollUntil('host event', () => api.c.events.seq > seq || undefined, 5000);
  const c = (await api.json('GET', '/api/v1/topology')).body;
  t.ok(c.seq > seq, 'a newer seq');
  t.same(c.hosts.map((h: { mac: string }) => h.mac), ['02:00:00:00:00:03'], 'and the host it brought');
});

t.test('GET /links, all or by switch; PATCH a port down and its links are gone', async (t) => {
  const api = await startApi(t);
  await line(api);
  let r = await api.json('GET', '/api/v1/links');
  t.equal(r.status, 200);
  t.equal(r.body.length, 4);
  r = await api.json('GET', '/api/v1/links?dpid=0x3');
  t.same(r.body, [dir(2, 1, 3, 2), dir(3, 2, 2, 1)], 'only links with an end on s3');
  r = await api.json('GET', '/api/v1/links?dpid=1');
  t.same(r.body, [dir(1, 1, 2, 2), dir(2, 2, 1, 1)]);

  const down = await api.json('PATCH', '/api/v1/switches/2/ports/1', { admin: 'down' });
  t.equal(down.status, 200);
  t.match(down.body, { up: false, config: ['port_down'] });
  // The PORT_STATUS that answered the PATCH already removed the link: no waiting needed.
  r = await api.json('GET', '/api/v1/links');
  t.same(r.body, [dir(1, 1, 2, 2), dir(2, 2, 1, 1)], 's2-s3 is gone, both directions');
  t.same((await api.json('GET', '/api/v1/topology')).body.links, r.body, '/topology agrees');

  t.equal((await api.json('PATCH', '/api/v1/switches/2/ports/1', { admin: 'up' })).status, 200);
  await pollUntil('s2-s3 back', async () => (await api.json('GET', '/api/v1/links')).body.length === 4 || undefined, 10_000);
  t.pass('the link came back after admin up');
});

t.test('GET /links with bad or unknown switches', async (t) => {
  const api = await startApi(t);
  let r = await api.json('GET', '/api/v1/links?dpid=zz');
  t.equal(r.status, 400);
  t.match(r.body.message, /datapath id/);
  r = await api.json('GET', '/api/v1/links?dpid=9');
  t.equal(r.status, 404);
  t.equal(r.body.error, 'switch_not_found');
  r = await api.json('GET', '/api/v1/links?src=1');
  t.equal(r.status, 400);
  t.match(r.body.message, /unknown field "src"/);
  t.same((await api.json('GET', '/api/v1/links')).body, []);
});

t.test('TopologyCache: one build per seq, and at most maxAgeMs stale', async (t) => {
  const clock = new ManualClock();
  const events = new EventBus(clock);
  let builds = 0;
  const ctl = {
    clock,
    events,
    topology: { snapshot: () => (builds++, { switches: [], links: [] }) },
    switches: { all: () => [] },
    hosts: { all: () => [] },
    apps: { topologySections: () => ({}) },
  } as unknown as Controller;
  const cache = new TopologyCache(ctl, 1000);
  const ser = (x: unknown): string => JSON.stringify(x);
  const first = cache.body(ser);
  t.equal(cache.body(ser), first);
  t.equal(builds, 1, 'the second request used the cached body');
  const gz = first.gzipped();
  t.equal(first.gzipped(), gz, 'gzipped once per body');
  t.same(gunzipSync(gz), first.plain);
  events.emit('switch.down', { dpid: d(1), reason: 'test' });
  const second = cache.body(ser);
  t.same(JSON.parse(second.plain.toString('utf8')).seq, 1, 'a new event: rebuilt with its seq');
  t.equal(second.seq, 1);
  t.same(JSON.parse(gunzipSync(second.gzipped()).toString('utf8')).seq, 1, 'and its gzip is the new body');
  t.equal(builds, 2);
  clock.advance(999);
  cache.body(ser);
  t.equal(builds, 2, 'still fresh');
  clock.advance(1);
  cache.body(ser);
  t.equal(builds, 3, 'rebuilt once maxAgeMs passed (host addresses change without events)');
});

t.test('GET /topology gzipped for a client that accepts gzip, plain otherwise', async (t) => {
  const api = await startApi(t);
  const { cables } = await line(api);
  cables.hostArp(2n, 3, '02:00:00:00:00:02', '10.0.0.2');
  await pollUntil('host learned', () => api.c.hosts.size === 1 || undefined, 5000);
  const plain = await api.inject({ method: 'GET', url: '/api/v1/topology' });
  t.equal(plain.statusCode, 200);
  t.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: not compressed');
  t.match(plain.headers['vary'], /accept-encoding/i);
  t.match(plain.headers['content-type'], /^application\/json/);
  const gz = await api.inject({ method: 'GET', url: '/api/v1/topology', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  t.equal(gz.statusCode, 200);
  t.equal(gz.headers['content-encoding'], 'gzip');
  t.match(gz.headers['vary'], /accept-encoding/i);
  t.match(gz.headers['content-type'], /^application\/json/);
  t.equal(Number(gz.headers['content-length']), gz.rawPayload.length);
  t.ok(gz.rawPayload.length < plain.rawPayload.length, 'smaller than the plain body');
  const unzipped = gunzipSync(gz.rawPayload);
  t.same(unzipped, plain.rawPayload, 'the same bytes once gunzipped');
  t.same(JSON.parse(unzipped.toString('utf8')), plain.json());
  t.equal(plain.json().hosts.length, 1);
  const refused = await api.inject({ method: 'GET', url: '/api/v1/topology', headers: { 'accept-encoding': 'gzip;q=0, identity' } });
  t.equal(refused.headers['content-encoding'], undefined, 'gzip;q=0 refuses gzip');
  t.same(refused.rawPayload, plain.rawPayload);
});

t.test('acceptsGzip reads Accept-Encoding as RFC 9110 says', async (t) => {
  t.equal(acceptsGzip(undefined), false);
  t.equal(acceptsGzip(''), false);
  t.equal(acceptsGzip('gzip'), true);
  t.equal(acceptsGzip('deflate, GZIP;q=0.5'), true);
  t.equal(acceptsGzip('gzip;q=0'), false);
  t.equal(acceptsGzip('br, deflate'), false);
  t.equal(acceptsGzip('*'), true);
  t.equal(acceptsGzip('*;q=0'), false);
  t.equal(acceptsGzip('gzip;q=0, *'), false, 'an explicit refusal wins over *');
  t.equal(acceptsGzip('identity'), false);
});
