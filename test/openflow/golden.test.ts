import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage, encodeMessage } from '../../src/openflow/codec.js';
import { CodecError } from '../../src/openflow/codec-error.js';
import { messageFromJson, toJsonValue } from '../../src/openflow/json.js';
import { ovsFixtures } from '../helpers/corpus.js';
import { firstDiff } from '../helpers/hex.js';
import { REPO_ROOT } from '../helpers/ovs.js';

// Messages captured from real Open vSwitch (scripts/capture-fixtures.sh),
// each with a reviewed JSON twin. Three checks per record: decode, encode
// from the twin, and encode(decode(x)).

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ovs');
const fixtures = ovsFixtures();

t.ok(fixtures.length >= 100, `${fixtures.length} captured OVS messages`);

const byFile = new Map<string, typeof fixtures>();
for (const f of fixtures) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);

for (const [file, records] of byFile) {
  t.test(file, async (t) => {
    const twinPath = join(DIR, file.replace(/\.hex$/, '.json'));
    t.ok(existsSync(twinPath), `${file} has a JSON twin`);
    if (!existsSync(twinPath)) return;
    const twins = JSON.parse(readFileSync(twinPath, 'utf8')) as { comment: string; message: unknown }[];
    t.equal(twins.length, records.length, 'one twin per record');
    records.forEach((rec, i) => {
      const label = `${file} #${i + 1} (${rec.comment})`;
      const msg = decodeMessage(rec.bytes);
      t.same(toJsonValue(msg), twins[i]?.message, `${label}: decode matches the twin`);
      t.equal(firstDiff(encodeMessage(messageFromJson(twins[i]?.message)), rec.bytes), undefined, `${label}: encode of the twin gives the captured bytes`);
      t.equal(firstDiff(encodeMessage(msg), rec.bytes), undefined, `${label}: encode(decode(x)) === x`);
    });
  });
}

// Some are only semantically wrong (a group type 7), which the codec keeps as
// a number; the rest must be refused with a typed error. Never a crash.
t.test('captures that are not OpenFlow 1.3 are refused, or kept byte-exact', async (t) => {
  const bad = ovsFixtures('invalid');
  t.ok(bad.length > 0, `${bad.length} malformed or other-version captures`);
  for (const rec of bad) {
    let err: unknown;
    let exact = false;
    try {
      exact = encodeMessage(decodeMessage(rec.bytes)).equals(rec.bytes);
    } catch (e) {
      err = e;
    }
    const refused = err instanceof CodecError && err.kind !== 'internal';
    t.ok(refused || exact, `${rec.comment}: ${refused ? `refused: ${(err as Error).message}` : exact ? 'kept byte-exact' : `ERROR ${String(err)}`}`);
  }
});
