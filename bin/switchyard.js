#!/usr/bin/env node
// Entry point. In a source checkout it first builds the TypeScript when the
// sources changed since the last build (scripts/lib/build-if-stale.mjs), so
// `switchyard` works straight from a fresh clone; an installed package ships
// dist/ and has nothing to build.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
const builder = join(root, 'scripts', 'lib', 'build-if-stale.mjs');

if (existsSync(builder)) {
  const quiet = { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] };
  if (!existsSync(join(root, 'node_modules', '.bin', 'tsc'))) execFileSync('npm', ['ci', '--no-audit', '--no-fund'], quiet);
  const { buildIfStale } = await import(pathToFileURL(builder).href);
  try {
    buildIfStale({ root });
  } catch (e) {
    process.stderr.write(`switchyard: ${e.message}\n`);
    process.exit(1);
  }
}
// (The web view is part of `npm run build`, and ui/ is one of build-if-stale's inputs.)

const argv = process.argv.slice(2);
if (argv[0] === 'lab') {
  // `switchyard lab NAME`: the Wireshark-verified labs of mininet/labs/ (src/lab/).
  const { lab } = await import(pathToFileURL(join(root, 'dist', 'src', 'lab', 'main.js')).href);
  process.exitCode = await lab(argv.slice(1));
} else {
  const { main } = await import(pathToFileURL(entry).href);
  process.exitCode = await main(argv);
}
