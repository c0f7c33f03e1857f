import t, { type Test } from 'tap';
import { pino } from 'pino';
import { createController, type Controller } from '../../../src/controller.js';
import { MemoryStore } from '../../../src/core/store/memory-store.js';
import { BUILTIN_APPS } from '../../../src/apps/index.js';
import { NotMasterError } from '../../../src/core/flows/flow-service.js';
import type { OfpMessage } from '../../../src/openflow/message.js';
import type { CoreEvent } from '../../../src/core/events.js';
import { statsMatchDesired } from '../../../src/core/flows/flow-spec.js';
import { FakeFlowTable, FakeSwitch } from '../../helpers/fake-switch.js';
import { FakeCoordinator } from '../../helpers/fake-coordinator.js';
import { FakeRoles } from '../../helpers/fake-roles.js';
import { pollUntil } from '../../helpers/ovs.js';
import { ARP_FRAME } from '../../helpers/samples.js';

const DPID = 0x21n;
const ID = '0000000000000021';

async function controller(t: Test, coordinator?: FakeCoordinator): Promise<Controller> {
  const c = createController({
    config: { of: { port: 0, address: '127.0.0.1' }, http: { port: 0, address: '127.0.0.1' }, apps: ['l2-switch'], lldpIntervalMs: 60_000 },
    apps: BUILTIN_APPS,
    log: pino({ level: 'silent' }),
    store: new MemoryStore(),
    ...(coordinator ? { coordinator } : {}),
  });
  await c.start();
  t.teardown(() => c.stop());
  return c;
}

async function connect(t: Test, c: Controller, opts: { roles?: FakeRoles; conn?: string; table?: FakeFlowTable } = {}): Promise<FakeSwitch> {
  const sw = new FakeSwitch({ dpid: DPID, ports: 3, ...(opts.roles ? { reply: opts.roles.reply(opts.conn ?? 'c') } : {}), ...(opts.table ? { flowTable: opts.table } : {}) });
  await sw.connect(c.ofAddress!.port);
  t.teardown(() => sw.close());
  await pollUntil('switch up', () => c.switches.get(DPID), 5000);
  return sw;
}

const of = <K extends OfpMessage['type']>(sw: FakeSwitch, type: K): Extract<OfpMessage, { type: K }>[] =>
  sw.received.filter((m): m is Extract<OfpMessage, { type: K }> => m.type === type);
const pin = (inPort: number): OfpMessage => ({ type: 'packet_in', xid: 0, buffer_id: 'no_buffer', total_len: ARP_FRAME.length, reason: 'no_match', table_id: 0, cookie: 0n, match: [{ field: 'in_port', value: inPort }], data: ARP_FRAME });
const roleEvents = (c: Controller): CoreEvent<'cluster.role'>[] => c.events.since(0)!.filter((e): e is CoreEvent<'cluster.role'> => e.type === 'cluster.role');
const clusterJson = async (c: Controller): Promise<{ mode: string; node_id: string | null; switches: { dpid: string; role: string; master: string | null; generation: string | null }[] }> =>
  JSON.parse((await c.api!.app.inject({ method: 'GET', url: '/api/v1/cluster' })).body);

t.test('without a cluster nothing changes: no role request, flows sent at once, GET /cluster answers the single-node shape', async (t) => {
  const c = await controller(t);
  const sw = await connect(t, c);
  await pollUntil('flows installed', () => of(sw, 'flow_mod').length >= 2 || undefined, 5000);
  t.equal(of(sw, 'role_request').length, 0, 'no role request');
  const body = await clusterJson(c);
  t.same(body, { mode: 'single', node_id: null, etcd_reachable: null, members: [], switches: [{ dpid: ID, master: null, generation: null, role: 'equal', candidates: [] }] });
});

t.test('pending until elected; the master sends role master with the election generation, then reconciles; a slave writes nothing', async (t) => {
  const co = new FakeCoordinator('a');
  const c = await controller(t, co);
  const roles = new FakeRoles();
  const sw = await connect(t, c, { roles });
  t.ok(co.joined.has(ID), 'the instance campaigns for the switch it sees');
  sw.send(pin(1));
  await c.switches.get(DPID)!.link.barrier();
  t.equal(of(sw, 'flow_mod').length, 0, 'no flow_mod while the role is not settled');
  t.equal(of(sw, 'packet_out').length, 0, 'a packet-in is not answered while not master');
  t.equal(c.packets.counters.packetIns, 0, 'nor dispatched');
  t.equal((await clusterJson(c)).switches[0]!.role, 'pending');

  co.elect(ID, 'a', 42n);
  const req = await sw.waitFor((m) => m.type === 'role_request');
  t.match(req, { role: 'master', generation_id: 42n }, 'role master with the generation id of the election');
  await pollUntil('reconciled after the takeover', () => of(sw, 'flow_mod').length >= 2 || undefined, 5000);
  await c.flows.reconciled(DPID);
  t.equal(roles.roles.get('c'), 'master');
  t.equal(c.core.switches.writable(DPID), true);
  t.match(roleEvents(c).at(-1)?.data, { dpid: ID, role: 'master', previous: 'pending', generation: '42', master: 'a' });
  t.match((await clusterJson(c)).switches[0], { dpid: ID, role: 'master', master: 'a', generation: '42' });
  sw.send(pin(1));
  await sw.waitFor((m) => m.type === 'packet_out' && m.data.equals(ARP_FRAME));

  // Another instance won a newer election: slave at its generation, nothing written from here.
  co.elect(ID, 'b', 50n);
  await pollUntil('slave', () => roles.roles.get('c') === 'slave' || undefined, 5000);
  t.match(of(sw, 'role_request').at(-1), { role: 'slave', generation_id: 50n });
  await pollUntil('role event', () => roleEvents(c).at(-1)?.data.role === 'slave' || undefined, 5000);
  t.equal(c.core.switches.writable(DPID), false);
  const mods = of(sw, 'flow_mod').length;
  const outs = of(sw, 'packet_out').length;
  await c.flows.forOwner('test').install(DPID, [{ priority: 60000, match: [{ field: 'eth_type', value: 0x800 }], instructions: [] }]);
  sw.send(pin(2));
  await c.switches.get(DPID)!.link.barrier();
  t.equal(of(sw, 'flow_mod').length, mods, 'an app install on a slave is kept as desired, not sent');
  t.equal(of(sw, 'packet_out').length, outs, 'no packet-out from a slave');
  await t.rejects(c.flows.sendConfirmed(DPID, [{ type: 'port_mod', port_no: 1, hw_addr: '0a:21:00:00:00:01', config: ['port_down'], mask: ['port_down'], advertise: [] }]), NotMasterError);
  t.same(roles.refused, [], 'the switch never had to refuse a slave');
});

t.test('a stale generation is refused by the switch and the instance does not write', async (t) => {
  const co = new FakeCoordinator('a');
  const c = await controller(t, co);
  const roles = new FakeRoles();
  roles.maxGeneration = 100n; // a newer master already told the switch
  const sw = await connect(t, c, { roles });
  co.elect(ID, 'a', 7n);
  await sw.waitFor((m) => m.type === 'role_request' && m.role === 'master');
  await c.switches.get(DPID)!.link.barrier();
  t.equal(roles.roles.get('c'), undefined, 'the switch kept its role');
  t.equal(c.core.switches.writable(DPID), false);
  t.equal(of(sw, 'flow_mod').length, 0);
  // The election catches up: now master with a larger generation.
  co.elect(ID, 'a', 101n);
  await pollUntil('master', () => c.core.switches.writable(DPID) || undefined, 5000);
  t.equal(roles.roles.get('c'), 'master');
});

t.test('a master told is_slave by the switch stops writing; during an etcd outage a master keeps its role', async (t) => {
  const co = new FakeCoordinator('a');
  const c = await controller(t, co);
  const sw = await connect(t, c);
  co.elect(ID, 'a', 3n);
  await pollUntil('master', () => c.core.switches.writable(DPID) || undefined, 5000);

  co.setReachable(false);
  co.elect(ID, undefined);
  await c.switches.get(DPID)!.link.barrier();
  t.equal(c.core.switches.writable(DPID), true, 'etcd unreachable: the last view stands');
  t.match(c.events.since(0)!.filter((e) => e.type === 'cluster.etcd').at(-1)?.data, { reachable: false });
  co.setReachable(true);
  co.elect(ID, 'a', 3n);

  sw.send({ type: 'error', xid: 999, err_type: 'bad_request', code: 'is_slave', data: Buffer.alloc(0) });
  await pollUntil('demoted', () => roleEvents(c).some((e) => e.data.role === 'pending' && e.data.previous === 'master') || undefined, 5000);
});

t.test('taking over reconciles the flow table left by the previous master: nothing missing, no duplicate, no stale flow', async (t) => {
  const table = new FakeFlowTable();
  // The old master: its flows (other generation) and a learned one the new master does not want.
  const coA = new FakeCoordinator('a');
  const a = await controller(t, coA);
  const rolesA = new FakeRoles();
  const swA = await connect(t, a, { roles: rolesA, table });
  coA.elect(ID, 'a', 1n);
  await pollUntil('a master', () => a.core.switches.writable(DPID) || undefined, 5000);
  await a.flows.reconciled(DPID);
  await a.flows.forOwner('learned').install(DPID, [{ priority: 60001, match: [{ field: 'eth_dst', value: '00:00:00:00:00:09' }], instructions: [] }]);
  t.ok(table.flows.length >= 3);
  swA.close();
  await a.stop();

  const coB = new FakeCoordinator('b');
  const b = await controller(t, coB);
  await connect(t, b, { roles: new FakeRoles(), table });
  coB.elect(ID, 'b', 2n);
  await pollUntil('b master', () => b.core.switches.writable(DPID) || undefined, 5000);
  const report = await b.flows.reconciled(DPID);
  t.ok(report && report.removed >= 1, 'the flow nobody at b desires is removed');
  const desired = [...b.flows.stateOf(DPID).desired.bySlot.values()];
  t.equal(table.flows.length, desired.length, 'the table holds exactly the desired flows');
  for (const d of desired) t.equal(table.flows.filter((f) => statsMatchDesired(f, d)).length, 1, `${d.key} present once`);
});

t.test('re-elected with a new generation while master (its key expired and was won again): reconciled again', async (t) => {
  const co = new FakeCoordinator('a');
  const c = await controller(t, co);
  const table = new FakeFlowTable();
  await connect(t, c, { roles: new FakeRoles(), table });
  co.elect(ID, 'a', 3n);
  await pollUntil('master', () => c.core.switches.writable(DPID) || undefined, 5000);
  await c.flows.reconciled(DPID);
  // Another instance was master in between and left a flow of its own.
  table.flows.push({ ...table.flows[0]!, priority: 60002, cookie: 0x5359_0001_1234_0001n, match: [{ field: 'eth_type', value: 0x86dd }] });
  const before = c.flows.reconciled(DPID);
  co.elect(ID, 'a', 9n);
  await pollUntil('reconciled again', async () => (c.flows.reconciled(DPID) !== before ? true : undefined), 5000);
  const report = await c.flows.reconciled(DPID);
  t.equal(report?.removed, 1, 'the other instance\'s flow is removed');
  t.notOk(table.flows.some((f) => f.priority === 60002));
});
