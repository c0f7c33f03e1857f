import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../../src/core/static/journal.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'switchyard-journal-'));

t.test('a missing file loads as no records; appends land in order, one line each', async (t) => {
  const file = join(dir(), 'sub', 'j.jsonl');
  const j = new Journal<{ n: number }>(file);
  t.same(await j.load(), []);
  await j.append({ n: 1 });
  await Promise.all([j.append({ n: 2 }), j.append({ n: 3 }), j.append({ n: 4 })]);
  t.equal(readFileSync(file, 'utf8'), '{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n', 'the directory is created; records in call order');
  t.same(await new Journal(file).load(), [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
});

t.test('a torn last line (crash mid-write) and blank lines are skipped', async (t) => {
  const file = join(dir(), 'j.jsonl');
  writeFileSync(file, '{"n":1}\n\n{"n":2}\n{"n":');
  t.same(await new Journal(file).load(), [{ n: 1 }, { n: 2 }]);
});

t.test('rewrite replaces the file with exactly the given records', async (t) => {
  const file = join(dir(), 'j.jsonl');
  const j = new Journal<{ n: number }>(file);
  for (let n = 0; n < 5; n++) await j.append({ n });
  await j.rewrite([{ n: 9 }]);
  t.equal(readFileSync(file, 'utf8'), '{"n":9}\n');
  await j.append({ n: 10 });
  t.same(await j.load(), [{ n: 9 }, { n: 10 }], 'appends go on after a rewrite');
});

t.test('a write that fails rejects its appends, and later appends still settle (no hang)', async (t) => {
  const d = dir();
  writeFileSync(join(d, 'blocker'), 'a file where the directory should be');
  const j = new Journal<{ n: number }>(join(d, 'blocker', 'j.jsonl'));
  await t.rejects(j.append({ n: 1 }), /ENOTDIR|EEXIST/, 'the directory cannot be made');
  // Before the fix the writer stayed "busy" forever after a failed mkdir and this never settled.
  await t.rejects(Promise.race([j.append({ n: 2 }), new Promise((_, reject) => setTimeout(() => reject(new Error('append hung')), 2000))]), /ENOTDIR|EEXIST/);
});

t.test('close() waits for appends in flight; an append after close still lands', async (t) => {
  const file = join(dir(), 'j.jsonl');
  const j = new Journal<{ n: number }>(file);
  await j.append({ n: 1 });
  const pending = [j.append({ n: 2 }), j.append({ n: 3 })];
  await j.close();
  t.equal(readFileSync(file, 'utf8'), '{"n":1}\n{"n":2}\n{"n":3}\n', 'everything appended before close is in the file when close resolves');
  await Promise.all(pending);
  await j.append({ n: 4 });
  t.same(await j.load(), [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
  await j.close();
});

t.test('a file replaced behind a rewrite is not written through a stale handle', async (t) => {
  const file = join(dir(), 'j.jsonl');
  const j = new Journal<{ n: number }>(file);
  await j.append({ n: 1 });
  const inFlight = j.append({ n: 2 });
  await j.rewrite([{ n: 7 }]);
  await inFlight;
  await j.append({ n: 8 });
  t.equal(readFileSync(file, 'utf8'), '{"n":7}\n{"n":8}\n', 'the append after the rewrite went to the new file');
  await j.close();
});
