// End to end over real OpenFlow connections: two FakeSwitches on a real
// OpenFlowServer, joined by a "wire" that turns a PACKET_OUT one switch
// receives into a PACKET_IN the other sends. Synchronised on events, no sleeps.
import t from 'tap';
import { OpenFlowServer } from '../../../src/openflow/channel/server.js';
import type { OfpMessage } from '../../../src/openflow/message.js';
import { ManualClock } from '../../../src/core/clock.js';
import { EventBus, type CoreEvent } from '../../../src/core/events.js';
import type { Southbound } from '../../../src/core/southbound.js';
import { SwitchRegistry } from '../../../src/core/switches.js';
import { TopologyService } from '../../../src/core/topology/topology-service.js';
import { HostTracker } from '../../../src/core/hosts/host-tracker.js';
import { FakeSwitch } from '../../helpers/fake-switch.js';
import { memoryLog } from '../../helpers/quiet-log.js';
import { packetIn } from './fake-net.js';

t.test('two fake switches over TCP discover the cable between them', async (t) => {
  const srv = new OpenFlowServer({ port: 0, host: '127.0.0.1', log: memoryLog() });
  const { port } = await srv.listen();
  t.teardown(() => srv.close());
  const clock = new ManualClock();
  const events = new EventBus(clock);
  const registry = new SwitchRegistry(srv as unknown as Southbound, events, clock);
  const topo = new TopologyService({ switches: registry, events, clock }, { secret: 'k' });
  const hosts = new HostTracker({ events, clock, topology: topo });
  t.teardown(() => {
    topo.stop();
    hosts.stop();
  });
  registry.onMessage((sw, msg) => {
    if (msg.type === 'packet_in' && !topo.handlePacketIn(sw, msg)) hosts.handlePacketIn(sw, msg);
  });

  const linksUp = new Promise<CoreEvent<'link.up'>[]>((resolve) => {
    const seen: CoreEvent<'link.up'>[] = [];
    events.on('link.up', (e) => {
      seen.push(e);
      if (seen.length === 2) resolve(seen);
    });
  });

  const bothUp = new Promise<void>((resolve) => {
    let n = 0;
    events.on('switch.up', () => {
      if (++n === 2) resolve();
    });
  });

  const s1 = new FakeSwitch({ dpid: 1n, ports: 2 });
  const s2 = new FakeSwitch({ dpid: 2n, ports: 2 });
  // The cable: s1 port 2 <-> s2 port 1.
  const wire = (from: FakeSwitch, outPort: number, to: FakeSwitch, inPort: number) =>
    from.on('message', (m: OfpMessage) => {
      if (m.type !== 'packet_out') return;
      if (m.actions.some((a) => a.type === 'output' && a.port === outPort)) to.send(packetIn(inPort, m.data));
    });
  wire(s1, 2, s2, 1);
  wire(s2, 1, s1, 2);
  await s1.connect(port);
  t.teardown(() => s1.close());
  await s2.connect(port);
  t.teardown(() => s2.close());

  await bothUp;
  // s1's first probes went out before s2 was connected to carry them: probe again now.
  topo.probeAll();
  const ups = await linksUp;
  t.same(
    ups.map((e) => e.data).sort((a, b) => (a.src.dpid < b.src.dpid ? -1 : 1)),
    [
      { src: { dpid: '0000000000000001', port_no: 2 }, dst: { dpid: '0000000000000002', port_no: 1 } },
      { src: { dpid: '0000000000000002', port_no: 1 }, dst: { dpid: '0000000000000001', port_no: 2 } },
    ],
  );
  t.ok(topo.isInterSwitchPort(1n, 2));
  t.same(topo.floodPorts(1n, 1), [2]);
  t.equal(hosts.size, 0, 'no host was learned from the probes');
  t.ok(s1.received.some((m) => m.type === 'packet_out' && m.in_port === 'controller'), 'the probe went out as a PACKET_OUT');
});
