import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../helpers/ovs.js';

const SCRIPT = join(REPO_ROOT, 'scripts', 'lib', 'build-if-stale.mjs');

interface BuildIfStale {
  inputHash(root: string): string;
  isStale(root: string): string | undefined;
  buildIfStale(o: { root: string; build?: string[]; log?: (m: string) => void }): { built: boolean; reason: string };
}
const lib = (await import(pathToFileURL(SCRIPT).href)) as BuildIfStale;

/** A fake checkout whose "build" writes dist/src/cli/main.js and counts how often it ran. */
function fakeRepo(t: Test): { root: string; builds: () => number; write: (rel: string, body: string) => void } {
  const root = mkdtempSync(join(tmpdir(), 'fh-build-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, body: string): void => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), body);
  };
  write('src/a.ts', 'export const a = 1;\n');
  write('tsconfig.json', '{}\n');
  write('make.cjs', `const fs = require('fs');
fs.mkdirSync('dist/src/cli', { recursive: true });
fs.writeFileSync('dist/src/cli/main.js', '');
fs.appendFileSync('builds.txt', 'x');
if (fs.existsSync('fail')) process.exit(3);
`);
  write('package.json', JSON.stringify({ name: 'fake', private: true, scripts: { build: 'node make.cjs' } }));
  const builds = (): number => {
    try {
      return readFileSync(join(root, 'builds.txt'), 'utf8').length;
    } catch {
      return 0;
    }
  };
  return { root, builds, write };
}

const build = (root: string): { built: boolean; reason: string } =>
  lib.buildIfStale({ root, build: [process.execPath, 'make.cjs'], log: () => {} });

t.test('builds when dist is missing, skips when nothing changed, builds again when a source changed', async (t) => {
  const r = fakeRepo(t);
  t.match(lib.isStale(r.root), /missing/);
  t.equal(build(r.root).built, true);
  t.equal(r.builds(), 1);
  t.equal(lib.isStale(r.root), undefined);
  t.equal(build(r.root).built, false, 'nothing changed: no build');
  t.equal(r.builds(), 1);

  r.write('src/a.ts', 'export const a = 2;\n');
  t.equal(lib.isStale(r.root), 'sources changed since the last build');
  t.equal(build(r.root).built, true);
  t.equal(r.builds(), 2);

  // Same bytes written again (new mtime): still fresh, the hash is of contents.
  r.write('src/a.ts', 'export const a = 2;\n');
  t.equal(build(r.root).built, false);

  for (const [file, what] of [['src/new/b.ts', 'a new source file'], ['ui/index.html', 'the web view'], ['scripts/build-ui.mjs', 'the UI build script'], ['tsconfig.build.json', 'a build config'], ['mininet/client.ts', 'the Mininet client']] as const) {
    r.write(file, `// ${what}\n`);
    t.equal(build(r.root).built, true, `${what} changed: build`);
  }
  t.equal(r.builds(), 7);
});

t.test('not inputs: build output, node_modules, the Mininet driver and labs', async (t) => {
  const r = fakeRepo(t);
  build(r.root);
  const h = lib.inputHash(r.root);
  r.write('ui/node_modules/x/index.js', '1');
  r.write('ui/dist/app.js', '1');
  r.write('dist/src/other.js', '1');
  r.write('mininet/driver.py', 'print(1)');
  r.write('mininet/labs/l1/topo.py', 'print(1)');
  t.equal(lib.inputHash(r.root), h);
  t.equal(build(r.root).built, false);
});

t.test('a failed build leaves no stamp, so the next run builds again', async (t) => {
  const r = fakeRepo(t);
  r.write('fail', '');
  t.throws(() => build(r.root), /failed \(exit 3\)/);
  t.match(lib.isStale(r.root), /no build stamp/);
  rmSync(join(r.root, 'fail'));
  t.equal(build(r.root).built, true);
  t.equal(r.builds(), 2);
});

t.test('the command line: npm run build once, then nothing; --check says which', async (t) => {
  const r = fakeRepo(t);
  mkdirSync(join(r.root, 'scripts', 'lib'), { recursive: true });
  copyFileSync(SCRIPT, join(r.root, 'scripts', 'lib', 'build-if-stale.mjs'));
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(r.root, 'scripts', 'lib', 'build-if-stale.mjs'), ...args], { cwd: r.root, encoding: 'utf8' });
  t.equal(cli('--check').status, 1);
  const first = cli();
  t.equal(first.status, 0, first.stderr);
  t.match(first.stderr, /building \(dist\/src\/cli\/main\.js is missing\)/);
  t.equal(r.builds(), 1);
  const second = cli();
  t.equal(second.status, 0);
  t.equal(second.stderr, '', 'an up-to-date start prints nothing');
  t.equal(r.builds(), 1);
  t.equal(cli('--check').stdout, 'up to date\n');
  r.write('src/a.ts', 'changed');
  t.equal(cli('--check').status, 1);
});
