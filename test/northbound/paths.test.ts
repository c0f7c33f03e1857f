import t from 'tap';
import { startApi, type ApiHarness } from '../helpers/api.js';
import { pollUntil } from '../helpers/ovs.js';
import { FakeCables } from './fake-cables.js';

const d = (n: number): string => n.toString(16).padStart(16, '0');

/** s1 —(1:2)— s2 —(1:2)— s3, h1 on s1 port 3, h3 on s3 port 3, and s4 alone with h4 on port 3. */
async function net(api: ApiHarness): Promise<void> {
  const cables = new FakeCables(api);
  cables.cable(1n, 1, 2n, 2);
  cables.cable(2n, 1, 3n, 2);
  for (const n of [1n, 2n, 3n, 4n]) await cables.add({ dpid: n, ports: 3 });
  await pollUntil('4 link directions', () => api.c.topology.links().length === 4 || undefined, 10_000);
  cables.hostArp(1n, 3, '02:00:00:00:00:01', '10.0.0.1');
  cables.hostArp(3n, 3, '02:00:00:00:00:03', '10.0.0.3');
  cables.hostArp(4n, 3, '02:00:00:00:00:04', '10.0.0.4');
  await pollUntil('three hosts', () => api.c.hosts.size === 3 || undefined, 5000);
}

t.test('host to host: every switch with the ports in and out, host ports at the ends', async (t) => {
  const api = await startApi(t);
  await net(api);
  const r = await api.json('GET', '/api/v1/paths?src=02:00:00:00:00:01&dst=02:00:00:00:00:03');
  t.equal(r.status, 200);
  t.same(r.body, {
    src: { kind: 'host', mac: '02:00:00:00:00:01', dpid: d(1), port_no: 3 },
    dst: { kind: 'host', mac: '02:00:00:00:00:03', dpid: d(3), port_no: 3 },
    hops: [{ dpid: d(1), in_port: 3, out_port: 1 }, { dpid: d(2), in_port: 2, out_port: 1 }, { dpid: d(3), in_port: 2, out_port: 3 }],
  });
  const back = await api.json('GET', '/api/v1/paths?src=10.0.0.3&dst=10.0.0.1');
  t.same(back.body.hops, [{ dpid: d(3), in_port: 3, out_port: 2 }, { dpid: d(2), in_port: 1, out_port: 2 }, { dpid: d(1), in_port: 1, out_port: 3 }], 'by IP, the other way');
});

t.test('switch ends: no port where the path starts or ends at a switch', async (t) => {
  const api = await startApi(t);
  await net(api);
  let r = await api.json('GET', '/api/v1/paths?src=1&dst=0x3');
  t.same(r.body.hops, [{ dpid: d(1), out_port: 1 }, { dpid: d(2), in_port: 2, out_port: 1 }, { dpid: d(3), in_port: 2 }]);
  t.same(r.body.src, { kind: 'switch', dpid: d(1) });
  r = await api.json('GET', '/api/v1/paths?src=10.0.0.1&dst=0000000000000002');
  t.same(r.body.hops, [{ dpid: d(1), in_port: 3, out_port: 1 }, { dpid: d(2), in_port: 2 }]);
  r = await api.json('GET', '/api/v1/paths?src=2&dst=2');
  t.same(r.body.hops, [{ dpid: d(2) }], 'same switch: one hop');
});

t.test('unknown ends are 404, unreachable ones 409, bad input 400', async (t) => {
  const api = await startApi(t);
  await net(api);
  const cases: [string, number, RegExp][] = [
    ['src=02:00:00:00:00:09&dst=1', 404, /src: no host with MAC 02:00:00:00:00:09/],
    ['src=1&dst=10.9.9.9', 404, /dst: no known host uses the address 10\.9\.9\.9/],
    ['src=1&dst=7', 404, /dst: switch 0000000000000007 is not connected/],
    ['src=02:00:00:00:00:01&dst=02:00:00:00:00:04', 409, /no path from switch 0000000000000001 to switch 0000000000000004/],
    ['src=1&dst=4', 409, /no chain of discovered links/],
    ['src=hello&dst=1', 400, /src "hello" is neither a host .* nor a switch/],
    ['src=1', 400, /querystring is missing "dst"/],
    ['src=1&dst=2&via=3', 400, /unknown field "via"/],
    ['src=&dst=2', 400, /src must NOT have fewer than 1 characters/],
  ];
  for (const [q, status, msg] of cases) {
    const r = await api.json('GET', `/api/v1/paths?${q}`);
    t.equal(r.status, status, q);
    t.match(r.body.message, msg, q);
  }
});
