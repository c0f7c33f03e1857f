// rest_topology's /v1.0/topology/{switches,links,hosts}[/:dpid] through
// inject(), over two FakeSwitches joined by a cable (LLDP discovery runs for
// real) with a host on each: the shapes of os-ken's Switch/Link/Host.to_dict.
import t from 'tap';
import { startApi } from '../helpers/api.js';
import { pollUntil } from '../helpers/ovs.js';
import { FakeCables } from './fake-cables.js';

const D1 = '0000000000000001';
const D2 = '0000000000000002';
const port = (dpid: string, n: number) => ({ dpid, port_no: n.toString(16).padStart(8, '0'), hw_addr: `0a:0${dpid.at(-1)}:00:00:00:0${n}`, name: `s${dpid.at(-1)}-eth${n}` });

t.test('switches, links and hosts in Ryu\'s to_dict shapes, filtered by dpid', async (t) => {
  const api = await startApi(t);
  const cables = new FakeCables(api);
  cables.cable(1n, 2, 2n, 1);
  await cables.add({ dpid: 1n, ports: 2 });
  await cables.add({ dpid: 2n, ports: 2 });

  const switches = await api.json('GET', '/v1.0/topology/switches');
  t.equal(switches.status, 200);
  t.same(switches.body, [{ dpid: D1, ports: [port(D1, 1), port(D1, 2)] }, { dpid: D2, ports: [port(D2, 1), port(D2, 2)] }], 'dpid 16 hex, port_no 8 hex, as Port.to_dict');
  t.same((await api.json('GET', `/v1.0/topology/switches/${D2}`)).body, [switches.body[1]]);
  t.same((await api.json('GET', '/v1.0/topology/switches/0000000000000009')).body, [], 'an unknown switch is an empty list, as in Ryu');

  await pollUntil('both directions of the cable', () => api.c.topology.links().length === 2, 10_000);
  const links = await api.json('GET', '/v1.0/topology/links');
  t.same(links.body, [{ src: port(D1, 2), dst: port(D2, 1) }, { src: port(D2, 1), dst: port(D1, 2) }], 'one entry per direction, as Ryu lists them');
  t.same((await api.json('GET', `/v1.0/topology/links/${D2}`)).body, [links.body[1]], 'the links leaving that switch');

  cables.hostArp(1n, 1, '00:00:00:00:00:01', '10.0.0.1');
  cables.hostArp(2n, 2, '00:00:00:00:00:02', '10.0.0.2');
  await pollUntil('two hosts learned', () => api.c.hosts.all().length === 2, 5000);
  const hosts = await api.json('GET', '/v1.0/topology/hosts');
  t.same(hosts.body, [
    { mac: '00:00:00:00:00:01', ipv4: ['10.0.0.1'], ipv6: [], port: port(D1, 1) },
    { mac: '00:00:00:00:00:02', ipv4: ['10.0.0.2'], ipv6: [], port: port(D2, 2) },
  ]);
  t.same((await api.json('GET', `/v1.0/topology/hosts/${D1}`)).body, [hosts.body[0]]);

  for (const what of ['switches', 'links', 'hosts']) {
    const bad = await api.json('GET', `/v1.0/topology/${what}/not-a-dpid`);
    t.equal(bad.status, 400, `${what}: a malformed dpid`);
    t.match(bad.body.message, /datapath id/);
    t.equal((await api.json('GET', `/v1.0/topology/${what}?x=1`)).status, 400, `${what}: an unknown query`);
  }
});

t.test('with no switch, every list is empty', async (t) => {
  const api = await startApi(t);
  for (const what of ['switches', 'links', 'hosts']) t.same((await api.json('GET', `/v1.0/topology/${what}`)).body, [], what);
});
