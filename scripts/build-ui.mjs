// Builds the web view: ui/src/main.ts bundled (cytoscape and fcose
// included, nothing from a CDN) into dist/ui/app.js, with index.html and
// style.css beside it. The controller serves dist/ui at / on the API port.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'ui');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, 'ui', 'src', 'main.ts')],
  bundle: true,
  format: 'iife',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: process.argv.includes('--dev') ? false : true,
  sourcemap: true,
  outfile: join(out, 'app.js'),
  logLevel: 'warning',
  legalComments: 'linked',
});
for (const f of ['index.html', 'style.css']) copyFileSync(join(root, 'ui', f), join(out, f));
console.log(`web view built into ${out}`);
