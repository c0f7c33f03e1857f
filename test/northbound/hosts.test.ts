import t from 'tap';
import { startApi, type ApiHarness } from '../helpers/api.js';
import { pollUntil } from '../helpers/ovs.js';
import { FakeCables } from './fake-cables.js';

const d = (n: number): string => n.toString(16).padStart(16, '0');

/** Two switches, three hosts: h1 and h2 on s1 ports 3 and 4, h3 on s2 port 3. */
async function hosts(api: ApiHarness): Promise<void> {
  const cables = new FakeCables(api);
  await cables.add({ dpid: 1n, ports: 4 });
  await cables.add({ dpid: 2n, ports: 4 });
  cables.hostArp(1n, 3, '02:00:00:00:00:01', '10.0.0.1');
  cables.hostArp(1n, 4, '02:00:00:00:00:02', '10.0.0.2');
  cables.hostArp(2n, 3, '02:00:00:00:00:0c', '10.0.0.3');
  await pollUntil('three hosts', () => api.c.hosts.size === 3 || undefined, 5000);
}

const macs = (body: { mac: string }[]): string[] => body.map((h) => h.mac);

t.test('GET /hosts lists every host with where it is and when it was seen', async (t) => {
  const api = await startApi(t);
  t.same((await api.json('GET', '/api/v1/hosts')).body, [], 'none yet');
  await hosts(api);
  const r = await api.json('GET', '/api/v1/hosts');
  t.equal(r.status, 200);
  t.same(macs(r.body), ['02:00:00:00:00:01', '02:00:00:00:00:02', '02:00:00:00:00:0c']);
  t.match(r.body[2], { mac: '02:00:00:00:00:0c', vlan: null, ipv4: ['10.0.0.3'], ipv6: [], dpid: d(2), port_no: 3 });
  t.ok(Date.parse(r.body[0].first_seen) > 0 && Date.parse(r.body[0].last_seen) >= Date.parse(r.body[0].first_seen), 'ISO times');
});

t.test('GET /hosts filters by mac, ip, dpid and port, combined', async (t) => {
  const api = await startApi(t);
  await hosts(api);
  const q = async (s: string): Promise<string[]> => {
    const r = await api.json('GET', `/api/v1/hosts?${s}`);
    t.equal(r.status, 200, s);
    return macs(r.body);
  };
  t.same(await q('mac=02:00:00:00:00:02'), ['02:00:00:00:00:02']);
  t.same(await q('mac=02:00:00:00:00:0A'), [], 'unknown MAC: empty list, not 404');
  t.same(await q('ip=10.0.0.3'), ['02:00:00:00:00:0c']);
  t.same(await q('dpid=1'), ['02:00:00:00:00:01', '02:00:00:00:00:02']);
  t.same(await q('dpid=0000000000000001&port=4'), ['02:00:00:00:00:02']);
  t.same(await q('port=3'), ['02:00:00:00:00:01', '02:00:00:00:00:0c'], 'port alone: that port on any switch');
  t.same(await q('dpid=2&ip=10.0.0.1'), [], 'filters combine');
  t.same(await q('dpid=9'), [], 'a switch that is not connected has no hosts here, and is not an error');
});

t.test('a host whose switch left is listed with attached false and detached_at, and filtered by attached', async (t) => {
  const api = await startApi(t);
  const cables = new FakeCables(api);
  const s1 = await cables.add({ dpid: 1n, ports: 4 });
  await cables.add({ dpid: 2n, ports: 4 });
  cables.hostArp(1n, 3, '02:00:00:00:00:01', '10.0.0.1');
  cables.hostArp(2n, 3, '02:00:00:00:00:0c', '10.0.0.3');
  await pollUntil('two hosts', () => api.c.hosts.size === 2 || undefined, 5000);
  t.match((await api.json('GET', '/api/v1/hosts/02:00:00:00:00:01')).body, { attached: true, detached_at: null });
  s1.close();
  await pollUntil('h1 detached', () => api.c.hosts.byMac('02:00:00:00:00:01')?.attached === false || undefined, 5000);
  const all = (await api.json('GET', '/api/v1/hosts')).body as { mac: string; attached: boolean; detached_at: string | null }[];
  t.same(all.map((h) => [h.mac, h.attached]), [['02:00:00:00:00:01', false], ['02:00:00:00:00:0c', true]], 'still listed, as detached');
  t.ok(Date.parse(all[0]!.detached_at ?? '') > 0, 'detached_at is an ISO time');
  t.equal(all[1]!.detached_at, null);
  t.same(macs((await api.json('GET', '/api/v1/hosts?attached=true')).body), ['02:00:00:00:00:0c']);
  t.same(macs((await api.json('GET', '/api/v1/hosts?attached=false')).body), ['02:00:00:00:00:01']);
  t.same((await api.json('GET', '/api/v1/topology')).body.hosts.map((h: { mac: string }) => h.mac), ['02:00:00:00:00:0c'], 'the topology shows attached hosts only');
});

t.test('GET /hosts/:mac, in any case; 404 for an unknown one', async (t) => {
  const api = await startApi(t);
  await hosts(api);
  const r = await api.json('GET', '/api/v1/hosts/02:00:00:00:00:01');
  t.equal(r.status, 200);
  t.match(r.body, { mac: '02:00:00:00:00:01', ipv4: ['10.0.0.1'], dpid: d(1), port_no: 3 });
  t.equal((await api.json('GET', '/api/v1/hosts/02:00:00:00:00:0C')).body.mac, '02:00:00:00:00:0c', 'upper case');
  const missing = await api.json('GET', '/api/v1/hosts/02:00:00:00:00:99');
  t.equal(missing.status, 404);
  t.equal(missing.body.error, 'host_not_found');
  t.match(missing.body.message, /02:00:00:00:00:99.*3 hosts known/);
});

t.test('bad queries and MACs are 400 with what to fix', async (t) => {
  const api = await startApi(t);
  const cases: [string, RegExp][] = [
    ['/api/v1/hosts?ip=10.0.0.300', /not an IPv4 or IPv6 address/],
    ['/api/v1/hosts?mac=02-00', /querystring\.mac must match pattern/],
    ['/api/v1/hosts?dpid=switch1', /datapath id/],
    ['/api/v1/hosts?port=0', /port must be >= 1/],
    ['/api/v1/hosts?vlan=1', /unknown field "vlan"/],
    ['/api/v1/hosts/not-a-mac', /params\.mac must match pattern/],
  ];
  for (const [url, msg] of cases) {
    const r = await api.json('GET', url);
    t.equal(r.status, 400, url);
    t.match(r.body.message, msg, url);
  }
});
