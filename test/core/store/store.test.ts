import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStore } from '../../../src/core/store/lmdb-store.js';
import { MemoryStore } from '../../../src/core/store/memory-store.js';
import type { StateStore } from '../../../src/core/store/types.js';
import { storeContract } from './contract.js';

const backends: [string, () => { store: StateStore; done: () => void }][] = [
  ['memory', () => ({ store: new MemoryStore(), done: () => {} })],
  ['lmdb', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-store-'));
    return { store: new LmdbStore(join(dir, 'state')), done: () => rmSync(dir, { recursive: true, force: true }) };
  }],
];

for (const [name, make] of backends) storeContract(t, name, make);

t.test('lmdb: data survives close and reopen; values are copies', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-store-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'state');
  const one = new LmdbStore(path);
  await one.open();
  const v = { a: [1, 2] };
  await one.namespace('n').put('k', v);
  v.a.push(3);
  await one.close();
  const two = new LmdbStore(path);
  await two.open();
  t.teardown(() => two.close());
  t.same(await two.namespace('n').get('k'), { a: [1, 2] });
});
