// Child process of store-crash.test.ts: writes numbered records and prints
// each number once its write was acknowledged; the parent kills it with
// SIGKILL at some moment and then checks every acknowledged record is there.
import { LmdbStore } from '../../../src/core/store/lmdb-store.js';

const [path, countText] = process.argv.slice(2);
const store = new LmdbStore(path!);
await store.open();
const s = store.namespace('crash');
const count = Number(countText);
const payload = 'x'.repeat(2000); // records span pages, so a torn write would show
for (let i = 0; i < count; i++) {
  // Two kinds of write: a single put and a batch of two, alternately.
  if (i % 2 === 0) await s.put(`r/${String(i).padStart(6, '0')}`, { i, payload });
  else await s.batch([{ op: 'put', key: `r/${String(i).padStart(6, '0')}`, value: { i, payload } }, { op: 'put', key: 'last', value: i }]);
  process.stdout.write(`${i}\n`);
}
process.stdout.write('done\n');
await store.close();
