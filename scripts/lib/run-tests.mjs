#!/usr/bin/env node
// The test command's runner: compile the TypeScript once, then let tap run
// the JavaScript. tap on .ts files loads ts-node into every test process
// (one per file) and compiles there; that start-up was most of the suite's
// time. Here esbuild transpiles src/, ui/, test/ and mininet/ into dist-test/ in
// about a second (types are checked once, by `npm run typecheck`), and tap
// runs dist-test/test/**/*.test.js with TAP_TYPE_STRIP_ONLY=1 so its
// TypeScript plugin loads nothing. tap's reporting is unchanged; source maps
// point stack traces at the .ts lines.
//
//   node scripts/lib/run-tests.mjs unit [tap args...]          every test outside test/integration
//   node scripts/lib/run-tests.mjs integration [tap args...]   test/integration, one file at a time
//   node scripts/lib/run-tests.mjs files test/x.test.ts ... [tap args...]   (arguments ending in .ts are files)
//   --no-compile (first after the mode): use dist-test/ as it is (the unit run just compiled it)
//
// `npx tap test/x.test.ts` still works during development (tap's own
// TypeScript loader, no compile step).
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = 'dist-test';
/** What the tests import: the sources, the web view's modules, the tests and their helpers, the Mininet client, the benchmarks' generators. */
const SOURCE_DIRS = ['src', 'ui', 'test', 'mininet', 'bench'];

function tsFiles(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(join(ROOT, dir), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'fixtures' && e.name !== 'dist') tsFiles(rel, out);
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Transpile every .ts file under SOURCE_DIRS into dist-test/ (same layout, ESM, source maps). */
export async function compile() {
  const t0 = Date.now();
  const { build } = await import('esbuild');
  const entryPoints = SOURCE_DIRS.flatMap((d) => tsFiles(d));
  // A clean tree: a test deleted from test/ must not keep running from here.
  rmSync(join(ROOT, OUT), { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir: OUT,
    outbase: '.',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    // One file in, one file out: imports stay as written ('../src/x.js').
    bundle: false,
    logLevel: 'warning',
  });
  return { files: entryPoints.length, ms: Date.now() - t0 };
}

/** test/a/b.test.ts -> dist-test/test/a/b.test.js */
export const compiled = (f) => `${OUT}/${f.replace(/^\.\//, '').replace(/\.ts$/, '.js')}`;

function testFiles(filter) {
  return tsFiles('test').filter((f) => f.endsWith('.test.ts') && filter(f)).sort();
}

function tap(files, args) {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tap'), [...args, ...files.map(compiled)], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, TAP_TYPE_STRIP_ONLY: '1' },
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(argv) {
  const [mode, ...more] = argv;
  const noCompile = more[0] === '--no-compile';
  const rest = noCompile ? more.slice(1) : more;
  let files;
  let args = rest;
  if (mode === 'unit') files = testFiles((f) => !f.startsWith('test/integration/'));
  else if (mode === 'integration') {
    files = testFiles((f) => f.startsWith('test/integration/'));
    // They share the machine's one datapath: one file at a time.
    if (!args.some((a) => a.startsWith('--jobs') || a === '-j')) args = ['--jobs=1', ...args];
  } else if (mode === 'files') {
    files = rest.filter((a) => a.endsWith('.ts'));
    args = rest.filter((a) => !a.endsWith('.ts'));
  } else {
    process.stderr.write('usage: run-tests.mjs unit|integration|files [--no-compile] [FILE.ts...] [tap args...]\n');
    return 2;
  }
  if (!noCompile) {
    const c = await compile();
    process.stdout.write(`# compiled ${c.files} files into ${OUT}/ in ${(c.ms / 1000).toFixed(1)} s\n`);
  }
  if (files.length === 0) {
    process.stdout.write('# no test files\n');
    return 0;
  }
  return tap(files, args);
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) process.exitCode = await main(process.argv.slice(2));
