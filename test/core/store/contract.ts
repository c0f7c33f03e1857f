// The behaviour every StateStore backend shares (memory, LMDB, etcd): one
// suite, run against each (test/core/store/store.test.ts for the embedded
// ones, test/integration/etcd-store.test.ts against a real etcd).
import type { Test } from 'tap';
import { StoreKeyError, type StateStore, type StoreChange } from '../../../src/core/store/types.js';

export type MakeStore = () => { store: StateStore; done: () => void | Promise<void> };

export function storeContract(t: Test, name: string, make: MakeStore): void {
  t.test(`${name}: get, put, list by prefix, delete`, async (t) => {
    const { store, done } = make();
    t.teardown(done);
    await store.open();
    t.teardown(() => store.close());
    const a = store.namespace('a');
    const b = store.namespace('b');
    t.equal(await a.get('x'), undefined);
    await a.put('net/blue', { subnet: '10.0.0.0/24', n: 1 });
    await a.put('net/red', { subnet: '10.1.0.0/24', n: 2 });
    await a.put('other', [1, 'two', null, true]);
    await b.put('net/blue', 'not the same space');
    t.same(await a.get('net/blue'), { subnet: '10.0.0.0/24', n: 1 });
    t.same((await a.list('net/')).map((e) => e.key), ['net/blue', 'net/red'], 'prefix list in key order');
    t.same((await a.list()).map((e) => e.key), ['net/blue', 'net/red', 'other']);
    t.same(await b.list(), [{ key: 'net/blue', value: 'not the same space' }], 'namespaces do not meet');
    t.equal(await a.delete('net/blue'), true);
    t.equal(await a.delete('net/blue'), false, 'second delete finds nothing');
    t.equal(await a.get('net/blue'), undefined);
    t.equal(await b.get('net/blue'), 'not the same space');
  });

  t.test(`${name}: batch is all or nothing, ifAbsent guards`, async (t) => {
    const { store, done } = make();
    t.teardown(done);
    await store.open();
    t.teardown(() => store.close());
    const s = store.namespace('ipam');
    t.equal(await s.batch([{ op: 'put', key: 'addr/10.0.0.2', value: 'c1' }, { op: 'put', key: 'ep/c1', value: { ip: '10.0.0.2' } }], ['addr/10.0.0.2']), true);
    t.equal(await s.batch([{ op: 'put', key: 'addr/10.0.0.2', value: 'c2' }, { op: 'put', key: 'ep/c2', value: { ip: '10.0.0.2' } }], ['addr/10.0.0.2']), false, 'taken: refused');
    t.equal(await s.get('addr/10.0.0.2'), 'c1', 'the first reservation stands');
    t.equal(await s.get('ep/c2'), undefined, 'nothing of the refused batch was written');
    await s.batch([{ op: 'delete', key: 'addr/10.0.0.2' }, { op: 'delete', key: 'ep/c1' }, { op: 'put', key: 'log', value: 1 }]);
    t.same((await s.list()).map((e) => e.key), ['log']);
    await t.rejects(s.batch([{ op: 'put', key: 'fine', value: 1 }, { op: 'put', key: '', value: 2 }]), StoreKeyError);
    t.equal(await s.get('fine'), undefined, 'a bad key in a batch writes nothing');
  });

  t.test(`${name}: watchers see committed changes under their prefix`, async (t) => {
    const { store, done } = make();
    t.teardown(done);
    await store.open();
    t.teardown(() => store.close());
    const s = store.namespace('w');
    const seen: StoreChange[] = [];
    const stop = s.watch('net/', (c) => seen.push(c));
    s.watch('net/', () => {
      throw new Error('a broken watcher');
    });
    store.namespace('other').watch('', () => t.fail('another namespace must not see it'));
    await s.put('net/a', 1);
    await s.put('unrelated', 2);
    await s.delete('net/a');
    await s.delete('net/a');
    t.same(seen, [{ key: 'net/a', value: 1 }, { key: 'net/a', value: undefined }]);
    stop();
    await s.put('net/b', 3);
    t.equal(seen.length, 2, 'nothing after unwatch');
  });

  t.test(`${name}: bad names`, async (t) => {
    const { store, done } = make();
    t.teardown(done);
    await store.open();
    t.teardown(() => store.close());
    t.throws(() => store.namespace('a/b'), StoreKeyError);
    t.throws(() => store.namespace(''), StoreKeyError);
    await t.rejects(store.namespace('x').get('a\u0000b'), StoreKeyError);
  });

  t.test(`${name}: one key twice in a batch (the last op wins), values are copies`, async (t) => {
    const { store, done } = make();
    t.teardown(done);
    await store.open();
    t.teardown(() => store.close());
    const s = store.namespace('dup');
    await s.batch([{ op: 'put', key: 'a', value: 1 }, { op: 'delete', key: 'a' }, { op: 'delete', key: 'b' }, { op: 'put', key: 'b', value: 2 }]);
    t.equal(await s.get('a'), undefined);
    t.equal(await s.get('b'), 2);
    const v = { list: [1] };
    await s.put('c', v);
    v.list.push(2);
    const got = (await s.get('c')) as { list: number[] };
    got.list.push(3);
    t.same(await s.get('c'), { list: [1] }, 'neither the caller\'s object nor a read result is the stored value');
    t.equal(await s.batch([], ['b']), false, 'a guard alone is checked');
    t.equal(await s.batch([], ['zz']), true);
  });
}
