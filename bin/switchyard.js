#!/usr/bin/env node
// Entry point. Builds the TypeScript first when dist/ is missing or older
// than the sources, so `switchyard` works straight from a fresh clone.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'src', 'cli', 'main.js');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (!existsSync(entry) || statSync(entry).mtimeMs < newest(join(root, 'src'))) {
  const quiet = { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] };
  if (!existsSync(join(root, 'node_modules', '.bin', 'tsc'))) execFileSync('npm', ['ci', '--no-audit', '--no-fund'], quiet);
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], quiet);
}
// The web view the controller serves at /: built the same way when missing or older than ui/.
const page = join(root, 'dist', 'ui', 'app.js');
if (existsSync(join(root, 'ui', 'src')) && (!existsSync(page) || statSync(page).mtimeMs < newest(join(root, 'ui')))) {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-ui.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

const argv = process.argv.slice(2);
if (argv[0] === 'lab') {
  // `switchyard lab NAME`: the Wireshark-verified labs of mininet/labs/ (src/lab/).
  const { lab } = await import(join(root, 'dist', 'src', 'lab', 'main.js'));
  process.exitCode = await lab(argv.slice(1));
} else {
  const { main } = await import(entry);
  process.exitCode = await main(argv);
}
