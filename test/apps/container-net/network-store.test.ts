// The container-network model over the durable store: networks, pools,
// endpoints and addresses; refusals change nothing; a reopened LMDB store
// has the same state and never hands an address out twice.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStore } from '../../../src/core/store/lmdb-store.js';
import { MemoryStore } from '../../../src/core/store/memory-store.js';
import { NetworkStore } from '../../../src/apps/container-net/network-store.js';
import { NetError, type Endpoint } from '../../../src/apps/container-net/types.js';

const ep = (id: string, network: string, ip: string, container = id): Endpoint => ({
  id: id.padEnd(64, '0'), network, container_id: container.padEnd(64, 'c'), container_name: container, mac: '0a:58:00:00:00:01', ip,
  dpid: '0000000000000001', port_no: 1, port_name: `dkh${id}`, via: 'rest',
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NetError) return e.code;
    throw e;
  }
  return 'resolved';
}

async function fresh(): Promise<{ s: NetworkStore; mem: MemoryStore }> {
  const mem = new MemoryStore();
  await mem.open();
  const s = new NetworkStore(mem.namespace('container-net'));
  await s.load();
  return { s, mem };
}

t.test('networks: create, overlap, duplicate name, bad CIDR, delete only when empty', async (t) => {
  const { s } = await fresh();
  const blue = await s.createNetwork({ name: 'blue', subnet: '10.20.0.0/24', bridge: 'dkbr', driver: 'rest' });
  t.match(blue, { name: 'blue', id: 1, subnet: '10.20.0.0/24', gateway: '10.20.0.1' });
  t.equal(await code(s.createNetwork({ name: 'red', subnet: '10.20.0.128/25', bridge: 'dkbr', driver: 'rest' })), 'subnet_overlaps');
  t.equal(await code(s.createNetwork({ name: 'blue', subnet: '10.21.0.0/24', bridge: 'dkbr', driver: 'rest' })), 'network_exists');
  t.equal(await code(s.createNetwork({ name: 'x', subnet: '10.21.0.0/33', bridge: 'dkbr', driver: 'rest' })), 'invalid_subnet');
  t.equal(await code(s.createNetwork({ name: 'no spaces', subnet: '10.21.0.0/24', bridge: 'dkbr', driver: 'rest' })), 'invalid_name');
  t.same(s.networks().map((n) => n.name), ['blue'], 'refusals created nothing');
  await s.addEndpoint(ep('a', 'blue', '10.20.0.2'), true);
  t.equal(await code(s.deleteNetwork('blue')), 'network_in_use');
  await s.removeEndpoint(ep('a', 'blue', '').id, true);
  await s.deleteNetwork('blue');
  t.same(s.networks(), []);
  const again = await s.createNetwork({ name: 'red', subnet: '10.20.0.0/24', bridge: 'dkbr', driver: 'rest' });
  t.equal(again.id, 2, 'ids are never reused');
  t.same(s.allocations('10.20.0.0/24').map((a) => a.ip), ['10.20.0.1'], 'the old pool went with its network');
});

t.test('addresses: lowest free, explicit, double attach, exhaustion, release', async (t) => {
  const { s } = await fresh();
  await s.createNetwork({ name: 'tiny', subnet: '10.30.0.0/30', bridge: 'dkbr', driver: 'rest' }); // .1 gateway, .2 only host
  const ip = await s.allocate('10.30.0.0/30', { use: 'endpoint' });
  t.equal(ip, '10.30.0.2');
  t.equal(await code(s.allocate('10.30.0.0/30', { use: 'endpoint' })), 'pool_exhausted');
  t.ok(await s.release('10.30.0.0/30', ip));
  await s.addEndpoint(ep('b', 'tiny', '10.30.0.2', 'c1'), true);
  t.equal(await code(s.addEndpoint(ep('c', 'tiny', '10.30.0.2', 'c2'), true)), 'address_taken');
  t.equal(await code(s.addEndpoint(ep('d', 'tiny', '10.30.0.2', 'c1'), true)), 'already_attached');
  t.equal(await code(s.release('10.30.0.0/30', '10.30.0.2')), 'address_in_use');
  t.equal(s.endpoints().length, 1);
});

t.test('Docker order: pool, gateway, network adopts the pool, address, endpoint, release', async (t) => {
  const { s } = await fresh();
  await s.createNetwork({ name: 'rest-net', subnet: '10.40.0.0/24', bridge: 'dkbr', driver: 'rest' });
  t.equal(await code(s.requestPool('10.40.0.0/16')), 'subnet_overlaps');
  await s.requestPool('10.41.0.0/24');
  t.equal(await code(s.requestPool('10.41.0.0/24')), 'subnet_overlaps', 'a pending pool counts');
  t.equal(await s.allocate('10.41.0.0/24', { use: 'endpoint', gateway: true, ip: '10.41.0.254' }), '10.41.0.254');
  const net = await s.createNetwork({ name: 'docknet', subnet: '10.41.0.0/24', bridge: 'dkbr', driver: 'docker', docker_id: 'f'.repeat(64) });
  t.equal(net.gateway, '10.41.0.254', 'the gateway Docker asked for');
  const a = await s.allocate('10.41.0.0/24', { use: 'reserved' });
  t.equal(a, '10.41.0.1');
  await s.addEndpoint({ ...ep('e', 'docknet', a), via: 'docker' }, false);
  t.equal(s.find('ffffffffffff')?.name, 'docknet', 'found by short Docker id');
  await s.removeEndpoint(ep('e', '', '').id, false);
  t.match(s.allocations('10.41.0.0/24').find((x) => x.ip === a), { use: 'reserved' }, 'still held until Docker releases it');
  t.ok(await s.release('10.41.0.0/24', a));
  await s.deleteNetwork('docknet');
  t.ok(s.pool('10.41.0.0/24'), 'pool kept for ReleasePool');
  await s.releasePool('10.41.0.0/24');
  t.notOk(s.pool('10.41.0.0/24'));
  t.same(s.allocations('10.41.0.0/24'), []);
});

t.test('rename moves endpoints along', async (t) => {
  const { s } = await fresh();
  const n = await s.createNetwork({ name: 'tmpname', subnet: '10.50.0.0/24', bridge: 'dkbr', driver: 'docker' });
  await s.addEndpoint(ep('f', 'tmpname', '10.50.0.2'), true);
  await s.rename(n.id, 'green');
  t.equal(s.endpoints()[0]?.network, 'green');
  t.equal(s.get('green').id, n.id);
});

t.test('LMDB: state survives a reopen, addresses are never handed out twice', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-cnet-store-'));
  const open = async () => {
    const db = new LmdbStore(dir);
    await db.open();
    const s = new NetworkStore(db.namespace('container-net'));
    await s.load();
    return { db, s };
  };
  const one = await open();
  await one.s.createNetwork({ name: 'blue', subnet: '10.60.0.0/24', bridge: 'dkbr', driver: 'rest' });
  await one.s.addEndpoint(ep('g', 'blue', await one.s.allocate('10.60.0.0/24', { use: 'endpoint' }).then(async (ip) => (await one.s.release('10.60.0.0/24', ip), ip))), true);
  const before = JSON.stringify({ n: one.s.networks(), e: one.s.endpoints(), a: one.s.allocations('10.60.0.0/24') });
  await one.db.close();
  const two = await open();
  t.teardown(() => two.db.close());
  t.equal(JSON.stringify({ n: two.s.networks(), e: two.s.endpoints(), a: two.s.allocations('10.60.0.0/24') }), before, 'identical after reopening');
  t.equal(await two.s.allocate('10.60.0.0/24', { use: 'endpoint' }), '10.60.0.3', 'the next address, not one already held');
  const n2 = await two.s.createNetwork({ name: 'red', subnet: '10.61.0.0/24', bridge: 'dkbr', driver: 'rest' });
  t.equal(n2.id, 2);
});

t.test('two writers on one store (two cluster instances): each follows the other, guards keep names, ids and addresses unique', async (t) => {
  const mem = new MemoryStore();
  await mem.open();
  const a = new NetworkStore(mem.namespace('container-net'));
  const b = new NetworkStore(mem.namespace('container-net'));
  await Promise.all([a.load(), b.load()]);
  const heard = { a: [] as string[], b: [] as string[] };
  const describe = (before: { networks: ReadonlyMap<number, unknown>; endpoints: ReadonlyMap<string, unknown> }, after: typeof before): string =>
    `nets ${before.networks.size}->${after.networks.size} eps ${before.endpoints.size}->${after.endpoints.size}`;
  t.teardown(a.follow((x, y) => heard.a.push(describe(x, y))));
  t.teardown(b.follow((x, y) => heard.b.push(describe(x, y))));
  const settle = async (): Promise<void> => {
    await new Promise((r) => setImmediate(r));
    await Promise.all([a.exclusive(async () => {}), b.exclusive(async () => {})]);
  };

  // Same moment, same model, so the same next id: the guard lets one win, the other re-reads and takes the next id.
  const [blue, red] = await Promise.all([
    a.exclusive(() => a.createNetwork({ name: 'blue', subnet: '10.30.0.0/24', bridge: 'br', driver: 'rest' })),
    b.exclusive(() => b.createNetwork({ name: 'red', subnet: '10.31.0.0/24', bridge: 'br', driver: 'rest' })),
  ]);
  t.not(blue.id, red.id, 'two networks, two ids');
  await settle();
  t.same(a.networks().map((n) => n.name), ['blue', 'red'], 'A sees the network B created');
  t.same(b.networks().map((n) => n.name), ['blue', 'red'], 'B sees the network A created');
  t.same(heard.a, ['nets 1->2 eps 0->0'], 'A heard only B\'s change');

  const [r1, r2] = await Promise.all([
    code(a.exclusive(() => a.createNetwork({ name: 'green', subnet: '10.32.0.0/24', bridge: 'br', driver: 'rest' }))),
    code(b.exclusive(() => b.createNetwork({ name: 'green', subnet: '10.33.0.0/24', bridge: 'br', driver: 'rest' }))),
  ]);
  t.same([r1, r2].sort(), ['network_exists', 'resolved'], 'one name, one network');
  await settle();

  const [e1, e2] = await Promise.all([
    code(a.exclusive(() => a.addEndpoint(ep('aa', 'blue', '10.30.0.2'), true))),
    code(b.exclusive(() => b.addEndpoint(ep('bb', 'blue', '10.30.0.2'), true))),
  ]);
  t.same([e1, e2].sort(), ['address_taken', 'resolved'], 'one address, one endpoint');
  await settle();
  t.equal(a.endpoints('blue').length, 1);
  t.same(b.endpoints('blue').map((e) => e.ip), ['10.30.0.2']);
  t.equal(b.peekAddress('10.30.0.0/24'), '10.30.0.3', 'the follower hands out the next free address');
  const before = heard.a.length;
  await a.exclusive(() => a.createNetwork({ name: 'solo', subnet: '10.40.0.0/24', bridge: 'br', driver: 'rest' }));
  await settle();
  t.equal(heard.a.length, before, 'a writer does not hear its own write as a change');
  t.equal(heard.b.at(-1), 'nets 3->4 eps 1->1', 'the other one does');
});
