#!/usr/bin/env node
// Run `npm run build` only when what it builds from changed since the last
// successful build. The inputs are hashed by content (path, then bytes), not
// compared by mtime: a checkout or a copy touches every mtime, and an edit
// that is undone should not cost a build. The hash of the last good build is
// kept in dist/.build-stamp; a failed build leaves no stamp, so the next start
// tries again.
//
//   node scripts/lib/build-if-stale.mjs            build if stale
//   node scripts/lib/build-if-stale.mjs --check    exit 0 when fresh, 1 when stale; builds nothing
//
// Exported for tests: inputHash, isStale, buildIfStale (with another root and build command).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders the build reads, and which of their files count (TypeScript, and all of the web view the UI build bundles). */
export const INPUT_DIRS = [
  ['src', () => true],
  ['bench', () => true],
  ['ui', () => true],
  // Only the TypeScript client: the driver and the labs are Python, run from the tree.
  ['mininet', (name) => name.endsWith('.ts')],
];
/** Single files the build reads. */
export const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-ui.mjs'];
/** Never inputs: build outputs and installed packages inside the input folders. */
const SKIP_DIRS = new Set(['node_modules', 'dist', '.cache']);
/** Written after a good build; its presence (and this entry point) says dist/ is usable. */
export const STAMP = 'dist/.build-stamp';
export const ENTRY = 'dist/src/cli/main.js';

function walk(root, dir, keep, out) {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return; // an input folder that does not exist (yet) is simply empty
  }
  for (const e of entries) {
    const rel = dir === '' ? e.name : `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(root, rel, keep, out);
    } else if (e.isFile() && keep(e.name)) out.push(rel);
  }
}

/** The hash of every build input under `root`, in a fixed order (sha256, hex). */
export function inputHash(root) {
  const files = [];
  for (const [d, keep] of INPUT_DIRS) walk(root, d, keep, files);
  for (const f of INPUT_FILES) if (existsSync(join(root, f))) files.push(f);
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    const body = readFileSync(join(root, f));
    // The length keeps "a" + "bc" apart from "ab" + "c".
    h.update(`${f}\0${body.length}\0`);
    h.update(body);
  }
  return h.digest('hex');
}

/** Why a build is needed, or undefined when dist/ matches the sources. */
export function isStale(root) {
  if (!existsSync(join(root, ENTRY))) return `${ENTRY} is missing`;
  let stamp;
  try {
    stamp = readFileSync(join(root, STAMP), 'utf8').trim();
  } catch {
    return 'no build stamp: never built by this script, or the last build failed';
  }
  return stamp === inputHash(root) ? undefined : 'sources changed since the last build';
}

/**
 * Build when stale; returns { built, reason, ms }. Throws when the build
 * fails (and then writes no stamp). `build` is [command, ...args].
 */
export function buildIfStale({ root, build = ['npm', 'run', '--silent', 'build'], log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const reason = isStale(root);
  if (reason === undefined) return { built: false, reason: 'up to date' };
  // Hash before building: an edit made while the build runs must make the next start build again.
  const hash = inputHash(root);
  const t0 = Date.now();
  log(`building (${reason}) ...`);
  // The build's output goes to stderr: a command such as `switchyard ofp-print` owns stdout.
  const r = spawnSync(build[0], build.slice(1), { cwd: root, stdio: ['ignore', 2, 'inherit'] });
  if (r.error) throw new Error(`${build.join(' ')} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${build.join(' ')} failed (exit ${r.status ?? r.signal})`);
  mkdirSync(dirname(join(root, STAMP)), { recursive: true });
  writeFileSync(join(root, STAMP), `${hash}\n`);
  const ms = Date.now() - t0;
  log(`built in ${(ms / 1000).toFixed(1)} s`);
  return { built: true, reason, ms };
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  if (process.argv.includes('--check')) {
    const reason = isStale(root);
    process.stdout.write(reason === undefined ? 'up to date\n' : `stale: ${reason}\n`);
    process.exit(reason === undefined ? 0 : 1);
  }
  try {
    buildIfStale({ root });
  } catch (e) {
    process.stderr.write(`build-if-stale: ${e.message} (${relative(process.cwd(), root) || '.'})\n`);
    process.exit(1);
  }
}
