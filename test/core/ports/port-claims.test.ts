import t from 'tap';
import { PortClaims } from '../../../src/core/ports/port-claims.js';
import { TopologyService } from '../../../src/core/topology/topology-service.js';
import { FakeNet } from '../topology/fake-net.js';

t.test('claimed ports are neither flooded into nor probed; claims by name count before the port exists', async (t) => {
  const net = new FakeNet();
  const claims = new PortClaims(net.events);
  const topo = new TopologyService({ switches: net.registry, events: net.events, clock: net.clock, claims }, { probeIntervalMs: 1000 });
  t.teardown(() => topo.stop());
  const link = net.addSwitch(1n, 4);
  t.same(topo.floodPorts(1n, 1), [2, 3, 4]);
  t.equal(claims.claim('container-net', '0000000000000001', { port_no: 3 }), undefined);
  t.equal(claims.claim('container-net', '0000000000000001', { name: 's1-eth4' }), undefined, 'by the name the switch will report');
  t.same(topo.floodPorts(1n, 1), [2], 'claimed ports left out of floods');
  t.equal(claims.claim('other-app', '0000000000000001', { port_no: 3 }), 'container-net', 'another owner is told who holds it');
  t.same(net.log.filter((e) => e.type === 'port.claimed').map((e) => e.data), [
    { dpid: '0000000000000001', owner: 'container-net', port_no: 3 },
    { dpid: '0000000000000001', owner: 'container-net', name: 's1-eth4' },
  ], 'claims are events');
  link.sent.length = 0;
  topo.probeAll();
  t.same(link.packetOuts().map((p) => (p.actions[0] as { port: number }).port).sort(), [1, 2], 'no LLDP probe into a claimed port');
  claims.releaseAll('container-net');
  t.same(topo.floodPorts(1n, 1), [2, 3, 4], 'released when the app goes');
  t.equal(net.log.filter((e) => e.type === 'port.released').length, 2);
});
