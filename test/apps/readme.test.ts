import t from 'tap';
import { readFileSync } from 'node:fs';
import { REPO_ROOT } from '../helpers/ovs.js';

t.test('the example app in src/apps/README.md is the file that is built and tested', async (t) => {
  const readme = readFileSync(`${REPO_ROOT}src/apps/README.md`, 'utf8');
  const code = readFileSync(`${REPO_ROOT}src/apps/blocklist/blocklist.ts`, 'utf8');
  t.ok(readme.includes('```ts\n' + code + '```'), 'README quotes src/apps/blocklist/blocklist.ts verbatim');
});
