// The networked store's local copy: changes from the writer's own commit and
// from the watch, in any order, are applied once and reported once.
import t from 'tap';
import { Mirror } from '../../../src/core/store/mirror.js';

t.test('a change is applied only when newer; each is reported once', async (t) => {
  const m = new Mirror();
  t.same(m.apply('a/x', '1', 5n), { key: 'a/x', value: 1 });
  t.equal(m.apply('a/x', '1', 5n), undefined, 'the same revision again (own commit, then the watch): nothing');
  t.equal(m.apply('a/x', '0', 4n), undefined, 'an older one: nothing');
  t.equal(m.get('a/x'), 1);
  t.same(m.apply('a/x', undefined, 6n), { key: 'a/x', value: undefined });
  t.equal(m.apply('a/x', '1', 5n), undefined, 'a late put older than the delete does not bring the key back (tombstone)');
  t.equal(m.get('a/x'), undefined);
  t.equal(m.apply('a/never', undefined, 7n), undefined, 'deleting what was not there reports nothing');
});

t.test('list by prefix, in key order, with the namespace cut off', async (t) => {
  const m = new Mirror();
  m.apply('ns/b', '2', 1n);
  m.apply('ns/a', '1', 2n);
  m.apply('other/a', '3', 3n);
  m.apply('ns/c', undefined, 4n);
  t.same(m.list('ns/', 3), [{ key: 'a', value: 1 }, { key: 'b', value: 2 }]);
  const got = m.list('ns/a', 3)[0]!.value;
  t.equal(got, 1);
});

t.test('resync after a gap: newer entries applied, keys gone meanwhile reported deleted, later changes kept', async (t) => {
  const m = new Mirror();
  m.apply('k/stay', '1', 1n);
  m.apply('k/gone', '1', 2n);
  m.apply('k/changed', '1', 3n);
  m.apply('k/fresh', '9', 20n); // written after the snapshot was taken (revision 10)
  const changes = m.resync([
    { key: 'k/stay', text: '1', rev: 1n },
    { key: 'k/changed', text: '2', rev: 8n },
    { key: 'k/new', text: '3', rev: 9n },
  ], 10n);
  t.same(changes, [{ key: 'k/changed', value: 2 }, { key: 'k/new', value: 3 }, { key: 'k/gone', value: undefined }]);
  t.equal(m.get('k/fresh'), 9, 'a change newer than the snapshot is not undone');
});

t.test('prune forgets tombstones the watch has passed, not newer ones', async (t) => {
  const m = new Mirror();
  m.apply('a', '1', 1n);
  m.apply('a', undefined, 2n);
  m.apply('b', '1', 3n);
  m.apply('b', undefined, 9n);
  t.equal(m.size, 2);
  m.prune(5n);
  t.equal(m.size, 1, 'a forgotten, b kept');
  t.equal(m.apply('b', '1', 8n), undefined, 'b still guards against older changes');
});
