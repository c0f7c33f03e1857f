// The etcd store against a real etcd (Debian's etcd-server): the contract
// every backend shares, two writers racing for one key, watches between
// instances, and what happens when etcd goes away and comes back.
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { EtcdStore } from '../../src/core/store/etcd-store.js';
import { StoreUnavailableError, type StoreChange } from '../../src/core/store/types.js';
import { storeContract } from '../core/store/contract.js';
import { NetworkStore } from '../../src/apps/container-net/network-store.js';
import { NetError } from '../../src/apps/container-net/types.js';
import { etcdAvailable, startEtcd, type EtcdCluster } from '../helpers/etcd.js';
import { missingTool, pollUntil } from '../helpers/ovs.js';

const avail = await etcdAvailable();
const prefix = (): string => `t-${randomBytes(4).toString('hex')}`;

t.test('etcd store', { skip: missingTool(avail) }, async (t) => {
  const etcd = await startEtcd({ members: 1 });
  t.teardown(() => etcd.stop());
  const make = (p = prefix(), timeoutMs?: number): EtcdStore => new EtcdStore({ endpoints: etcd.endpoints, prefix: p, ...(timeoutMs ? { timeoutMs } : {}) });

  /** Two instances on one prefix, closed at the end of the test. */
  const pair = async (t: Test): Promise<{ p: string; a: EtcdStore; b: EtcdStore }> => {
    const p = prefix();
    const a = make(p);
    const b = make(p);
    await Promise.all([a.open(), b.open()]);
    t.teardown(() => Promise.all([a.close(), b.close()]));
    return { p, a, b };
  };

  storeContract(t, 'etcd', () => ({ store: make(), done: () => {} }));

  t.test('keys are laid out as <prefix>/state/<namespace>/<key>, JSON values', async (t) => {
    const p = prefix();
    const s = make(p);
    await s.open();
    t.teardown(() => s.close());
    await s.namespace('api').put('flow/0000000000000001/x', { a: 1 });
    const raw = await s.etcd().get(`${p}/state/api/flow/0000000000000001/x`).string();
    t.equal(raw, '{"a":1}');
  });

  t.test('two instances: ifAbsent lets exactly one of them take a key', async (t) => {
    const { p, a, b } = await pair(t);
    const na = a.namespace('ipam');
    const nb = b.namespace('ipam');
    for (let round = 0; round < 20; round++) {
      const key = `addr/10.0.0.0/24/10.0.0.${round + 2}`;
      const [ra, rb] = await Promise.all([
        na.batch([{ op: 'put', key, value: 'a' }, { op: 'put', key: `ep/a${round}`, value: round }], [key]),
        nb.batch([{ op: 'put', key, value: 'b' }, { op: 'put', key: `ep/b${round}`, value: round }], [key]),
      ]);
      t.equal(Number(ra) + Number(rb), 1, `round ${round}: exactly one writer won`);
      const winner = ra ? 'a' : 'b';
      await pollUntil('both to see the winner', async () => (await na.get(key)) === winner && (await nb.get(key)) === winner, 5000, 10);
      t.equal(await nb.get(`ep/${ra ? 'b' : 'a'}${round}`), undefined, 'the loser wrote nothing');
    }
  });

  t.test('a write on one instance reaches the other one\'s watchers and reads', async (t) => {
    const { p, a, b } = await pair(t);
    const seen: StoreChange[] = [];
    b.namespace('net').watch('net/', (c) => seen.push(c));
    await a.namespace('net').put('net/blue', { subnet: '10.1.0.0/24' });
    await a.namespace('net').put('other', 1);
    await a.namespace('net').delete('net/blue');
    await pollUntil('b to see put and delete', () => seen.length >= 2, 5000, 10);
    t.same(seen, [{ key: 'net/blue', value: { subnet: '10.1.0.0/24' } }, { key: 'net/blue', value: undefined }], 'each change once, in order');
    t.equal(await b.namespace('net').get('net/blue'), undefined);
    t.equal(await b.namespace('net').get('other'), 1);
  });

  t.test('container-net IPAM on two instances: 40 allocations at once, no address twice', async (t) => {
    const { p, a, b } = await pair(t);
    const na = new NetworkStore(a.namespace('container-net'));
    const nb = new NetworkStore(b.namespace('container-net'));
    await na.load();
    await na.exclusive(() => na.createNetwork({ name: 'blue', subnet: '10.90.0.0/26', bridge: 'br', driver: 'rest' }));
    await pollUntil('b to see blue', async () => (await b.namespace('container-net').list('net/')).length === 1, 5000, 10);
    await nb.load();
    // Each instance retries on address_taken (its model was behind), as a Docker IPAM call would be retried.
    const take = async (s: NetworkStore): Promise<string> => {
      for (;;) {
        try {
          return await s.exclusive(() => s.allocate('10.90.0.0/26', { use: 'reserved' }));
        } catch (e) {
          if (!(e instanceof NetError) || e.code !== 'address_taken') throw e;
          await s.exclusive(() => s.load());
        }
      }
    };
    const got = await Promise.all(Array.from({ length: 40 }, (_, i) => take(i % 2 ? na : nb)));
    t.equal(new Set(got).size, 40, 'forty different addresses');
    const inEtcd = await a.etcd().getAll().prefix(`${p}/state/container-net/addr/10.90.0.0/26/`).keys();
    t.equal(inEtcd.length, 41, 'forty reservations and the gateway in etcd');
    await pollUntil('a\'s mirror to hold them all', async () => (await a.namespace('container-net').list('addr/10.90.0.0/26/')).length === 41, 5000, 10);
  });

  t.test('a third instance opening later sees what is there', async (t) => {
    const p = prefix();
    const a = make(p);
    await a.open();
    t.teardown(() => a.close());
    await a.namespace('x').batch([{ op: 'put', key: 'k1', value: 1 }, { op: 'put', key: 'k2', value: 2 }]);
    const c = make(p);
    await c.open();
    t.teardown(() => c.close());
    t.same(await c.namespace('x').list(), [{ key: 'k1', value: 1 }, { key: 'k2', value: 2 }]);
  });

  t.test('a batch larger than etcd\'s 128 ops per txn still goes through (unguarded)', async (t) => {
    const s = make();
    await s.open();
    t.teardown(() => s.close());
    const ns = s.namespace('big');
    await ns.batch(Array.from({ length: 300 }, (_, i) => ({ op: 'put' as const, key: `k${String(i).padStart(3, '0')}`, value: i })));
    t.equal((await ns.list()).length, 300);
  });
});

/** Resolves with how long `p` took to settle and how it ended. */
async function timed<T>(p: Promise<T>): Promise<{ ms: number; err: unknown }> {
  const t0 = Date.now();
  try {
    await p;
    return { ms: Date.now() - t0, err: undefined };
  } catch (err) {
    return { ms: Date.now() - t0, err };
  }
}

async function outage(t: Test, etcd: EtcdCluster, down: () => Promise<void>, up: () => Promise<void>): Promise<void> {
  const p = prefix();
  const a = new EtcdStore({ endpoints: etcd.endpoints, prefix: p, timeoutMs: 1500 });
  const b = new EtcdStore({ endpoints: etcd.endpoints, prefix: p, timeoutMs: 1500 });
  await Promise.all([a.open(), b.open()]);
  t.teardown(() => Promise.all([a.close(), b.close()]));
  const na = a.namespace('s');
  const seen: StoreChange[] = [];
  b.namespace('s').watch('', (c) => seen.push(c));
  await na.put('before', 1);
  await pollUntil('b to see the first write', () => seen.length === 1, 5000, 10);

  await down();
  const w = await timed(na.put('during', 2));
  t.type(w.err, StoreUnavailableError, 'a write while etcd is away is refused as unavailable');
  t.match(String((w.err as Error).message), /etcd .*did not confirm the write.*retry once etcd is back/);
  t.ok(w.ms < 4000, `refused quickly (${w.ms} ms, bound 1500 ms + scheduling)`);
  t.equal(await na.get('before'), 1, 'reads still answer from what the instance has');
  t.same((await b.namespace('s').list()).map((e) => e.key), ['before']);

  await up();
  // Writes succeed again, and b's watch resumes: it sees what a writes after the outage.
  await pollUntil('a write to succeed again', () => na.put('after', 3).then(() => true, () => false), 30_000, 200);
  await pollUntil('b to see the write after the outage', () => seen.some((c) => c.key === 'after'), 30_000, 50);
  const keys = seen.map((c) => c.key);
  t.equal(keys.filter((k) => k === 'after').length, 1, 'reported once');
  t.same((await b.namespace('s').list()).map((e) => e.key).filter((k) => k !== 'during'), ['after', 'before']);
}

t.test('single member: stop etcd, writes 503-fast, reads served, recovery after restart', { skip: missingTool(avail) }, async (t) => {
  const etcd = await startEtcd({ members: 1 });
  t.teardown(() => etcd.stop());
  await outage(t, etcd, () => etcd.killMember(0), () => etcd.restartMember(0));
});

t.test('three members: kill two (no quorum), then bring one back', { skip: missingTool(avail) }, async (t) => {
  const etcd = await startEtcd({ members: 3 });
  t.teardown(() => etcd.stop());
  await outage(t, etcd, async () => {
    await etcd.killMember(1);
    await etcd.killMember(2);
  }, () => etcd.restartMember(1));
});

t.test('changes made while an instance\'s watch was down reach it after etcd returns (resume, nothing lost)', { skip: missingTool(avail) }, async (t) => {
  const etcd = await startEtcd({ members: 3 });
  t.teardown(() => etcd.stop());
  const p = prefix();
  // b talks only to member 0; a to members 1 and 2. Killing member 0 cuts b off while a keeps writing.
  const a = new EtcdStore({ endpoints: etcd.endpoints.slice(1), prefix: p, timeoutMs: 3000 });
  const b = new EtcdStore({ endpoints: etcd.endpoints.slice(0, 1), prefix: p, timeoutMs: 3000 });
  await Promise.all([a.open(), b.open()]);
  t.teardown(() => Promise.all([a.close(), b.close()]));
  const seen: StoreChange[] = [];
  b.namespace('s').watch('', (c) => seen.push(c));
  await a.namespace('s').put('gone-later', 0);
  await pollUntil('b to see the first write', () => seen.length === 1, 5000, 10);
  await etcd.killMember(0);
  await etcd.waitHealthy(); // members 1 and 2 have a leader again (member 0 may have been it)
  for (let i = 0; i < 5; i++) await a.namespace('s').put(`k${i}`, i);
  await a.namespace('s').delete('gone-later');
  t.equal(await b.namespace('s').get('k0'), undefined, 'b is cut off');
  await etcd.restartMember(0);
  await pollUntil('b to catch up', async () => (await b.namespace('s').list()).length === 5 && (await b.namespace('s').get('gone-later')) === undefined, 30_000, 50);
  t.same(seen.slice(1).filter((c) => c.value !== undefined).map((c) => c.key), ['k0', 'k1', 'k2', 'k3', 'k4'], 'every put reported once, in order');
  t.same(seen.filter((c) => c.key === 'gone-later' && c.value === undefined).length, 1, 'the delete reported once');
});
