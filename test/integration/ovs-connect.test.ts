// A real Open vSwitch bridge (userspace datapath) connects to our OpenFlowServer:
// what the handshake reports must equal what ovs-ofctl prints for the bridge.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { OpenFlowServer } from '../../src/openflow/channel/server.js';
import type { SwitchConnection, SwitchInfo } from '../../src/openflow/channel/connection.js';
import { memoryLog } from '../helpers/quiet-log.js';
import { cleanup, createBridge, deleteBridge, ofctl, ovsAvailable, waitForEvent, missingTool } from '../helpers/ovs.js';

interface OfctlPort {
  port_no: number | 'local';
  name: string;
  hw_addr: string;
}

/** ` 1(name): addr:aa:bb:cc:dd:ee:ff` and ` LOCAL(name): addr:...` lines of show / dump-ports-desc. */
function parsePorts(text: string): OfctlPort[] {
  return [...text.matchAll(/^\s*(\d+|LOCAL)\(([^)]+)\): addr:([0-9a-f:]{17})$/gm)]
    .map((m) => ({ port_no: m[1] === 'LOCAL' ? ('local' as const) : Number(m[1]), name: m[2]!, hw_addr: m[3]! }))
    .sort(byPort);
}

function byPort(a: { port_no: unknown }, b: { port_no: unknown }): number {
  return String(a.port_no).localeCompare(String(b.port_no), 'en', { numeric: true });
}

// no root / no OVS / no Mininet: one SKIP line with the reason, and a pass
const avail = await ovsAvailable();
const skip = missingTool(avail);

t.test('an OVS bridge with 3 veth ports: switch-up matches ovs-ofctl, deleting it gives switch-down', { skip }, async (t) => {
  const srv = new OpenFlowServer({ port: 0, host: '127.0.0.1', log: memoryLog() });
  const { port } = await srv.listen();
  t.teardown(() => srv.close());
  t.teardown(cleanup);

  // a dpid of our own, so the check does not pass by chance with OVS's default
  const dpid = (0x5e11n << 48n) | BigInt(`0x${randomBytes(6).toString('hex')}`);
  const up = waitForEvent<[SwitchConnection, SwitchInfo]>(srv, 'switch-up', (_c, info) => info.dpid === dpid, 'switch-up from the bridge');
  const t0 = Date.now();
  const br = await createBridge('c', { controllerPort: port, ports: 3, dpid });
  const [conn, info] = await up;
  t.comment(`bridge ${br.name} up at the controller ${Date.now() - t0} ms after add-br`);

  t.equal(br.dpid, dpid.toString(16).padStart(16, '0'), 'OVS took the datapath id we set');
  t.equal(info.id, br.dpid, 'switch-up carries the datapath id OVS reports');
  const show = await ofctl(br.name, 'show');
  t.match(show, new RegExp(`dpid:${info.id}\\b`), 'ovs-ofctl show prints the same dpid');
  t.equal(info.features.datapath_id, dpid, 'features_reply datapath_id');

  t.same(br.ports.map((p) => p.ofport), [1, 2, 3], 'veth ports got OpenFlow ports 1..3');
  const fromOvs = parsePorts(await ofctl(br.name, 'dump-ports-desc'));
  const fromSwitch = info.ports.map((p) => ({ port_no: p.port_no, name: p.name, hw_addr: p.hw_addr })).sort(byPort);
  t.equal(fromOvs.length, 4, 'dump-ports-desc lists 3 veths and LOCAL');
  t.same(fromSwitch, fromOvs, 'port numbers, names and MACs equal dump-ports-desc');
  t.same(parsePorts(show), fromOvs, 'and equal ovs-ofctl show');
  t.same(
    fromSwitch.filter((p) => p.port_no !== 'local').map((p) => p.name),
    br.ports.map((p) => p.name),
    'the veth names we attached',
  );
  t.equal(fromSwitch.find((p) => p.port_no === 'local')?.name, br.name, 'LOCAL is named after the bridge');

  const down = waitForEvent<[SwitchConnection, string]>(srv, 'switch-down', (c) => c === conn, 'switch-down after del-br');
  await deleteBridge(br.name);
  const [gone, reason] = await down;
  t.equal(gone.dpid, dpid, 'switch-down for our datapath');
  t.equal(conn.state, 'closed');
  t.equal(srv.get(dpid), undefined, 'the server forgot the switch');
  t.comment(`down: ${reason}`);
});
