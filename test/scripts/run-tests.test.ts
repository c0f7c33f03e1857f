import t from 'tap';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../helpers/ovs.js';

// This file runs from test/ (npx tap) or from dist-test/test/ (the runner): REPO_ROOT is the checkout either way.
const here = fileURLToPath(import.meta.url);

t.test('REPO_ROOT is the checkout, from the sources and from dist-test alike', async (t) => {
  t.ok(REPO_ROOT.endsWith(sep));
  t.ok(existsSync(join(REPO_ROOT, 'scripts', 'lib', 'ovs.sh')));
  t.ok(existsSync(join(REPO_ROOT, 'package.json')));
  t.notMatch(REPO_ROOT, /dist-test/);
  t.ok(here.startsWith(REPO_ROOT), `${here} is inside ${REPO_ROOT}`);
});

t.test('the runner maps a test file to its compiled twin', async (t) => {
  const lib = (await import(pathToFileURL(join(REPO_ROOT, 'scripts', 'lib', 'run-tests.mjs')).href)) as { compiled(f: string): string; OUT: string };
  t.equal(lib.OUT, 'dist-test');
  t.equal(lib.compiled('test/core/hosts/host-tracker.test.ts'), 'dist-test/test/core/hosts/host-tracker.test.js');
  t.equal(lib.compiled('./test/log.test.ts'), 'dist-test/test/log.test.js');
  if (here.endsWith('.js')) t.ok(here.endsWith(join('dist-test', 'test', 'scripts', 'run-tests.test.js')), 'running compiled');
});
