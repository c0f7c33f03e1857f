// The flow layout as data: what each switch gets for endpoints on it, for
// endpoints behind it (next hop from the topology), and per network.
import t from 'tap';
import { flowsFor, PRIO } from '../../../src/apps/container-net/flows.js';
import type { Endpoint, Network } from '../../../src/apps/container-net/types.js';

const net = (name: string, id: number, octet: number): Network => ({ name, id, subnet: `10.${octet}.0.0/24`, gateway: `10.${octet}.0.1`, bridge: 'br', driver: 'rest' });
const ep = (id: string, network: string, dpid: string, port_no: number, ip: string): Endpoint => ({
  id, network, container_id: id, container_name: id, mac: `0a:58:00:00:00:${id.slice(-2)}`, ip, dpid, port_no, port_name: `p${id}`, via: 'rest',
});
const S1 = '0000000000000001';
const S2 = '0000000000000002';
const nets = [net('blue', 1, 20), net('red', 2, 21)];
const eps = [ep('e01', 'blue', S1, 1, '10.20.0.2'), ep('e02', 'blue', S2, 1, '10.20.0.3'), ep('e03', 'red', S1, 2, '10.21.0.2')];
// S1 port 9 and S2 port 8 join the two switches.
const nextHop = (from: string, to: string): number | undefined => (from === S1 && to === S2 ? 9 : from === S2 && to === S1 ? 8 : undefined);

t.test('an endpoint\'s own switch: steer, guard, deliver; per network: ARP and gateway punts, broadcast to local ports', async (t) => {
  const f = flowsFor(S1, nets, eps, nextHop);
  const by = (k: string) => f.find((x) => x.key === k);
  t.match(by('in/e01'), { priority: PRIO.fromEndpoint, match: [{ field: 'in_port', value: 1 }, { field: 'eth_src', value: '0a:58:00:00:00:01' }], goto: 'cnet', instructions: [{ type: 'write_metadata', metadata: 1n }] });
  t.match(by('guard/e01'), { priority: PRIO.guard, match: [{ field: 'in_port', value: 1 }], actions: [] });
  t.match(by('to/e01'), { table: 'cnet', match: [{ field: 'metadata', value: 1n }, { field: 'eth_dst' }], actions: [{ type: 'output', port: 1 }] });
  t.match(by('to/e02'), { table: 'cnet', actions: [{ type: 'output', port: 9 }] }, 'an endpoint on S2 is reached over the link');
  t.match(by('transit/e02'), { priority: PRIO.transit, match: [{ field: 'eth_src', value: '0a:58:00:00:00:02' }], goto: 'cnet' }, 'its packets arriving over the link are tagged with its network');
  t.match(by('bcast/1'), { actions: [{ type: 'output', port: 1 }] });
  t.equal((by('bcast/1')!.actions ?? []).length, 1, 'blue broadcasts reach blue ports only');
  t.match(by('bcast/2'), { actions: [{ type: 'output', port: 2 }] });
  t.ok(by('arp/1') && by('gw/1') && by('arp/2') && by('gw/2'));
  t.ok(f.every((x) => x.table === 'cnet' ? x.match.some((m) => 'field' in m && m.field === 'metadata') : x.priority >= 40000 && x.priority <= 49999), 'cnet flows all match the network; main flows stay in the band');
});

t.test('no path, no flows for that endpoint; a switch without endpoints gets only transit flows', async (t) => {
  t.same(flowsFor('0000000000000003', nets, eps, () => undefined), []);
  const f = flowsFor(S2, nets, [eps[0]!], nextHop);
  t.same(f.map((x) => x.key).sort(), ['to/e01', 'transit/e01']);
});
