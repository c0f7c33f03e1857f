// The web view is served at / on the API port, public even with API tokens,
// while the data behind it still needs one.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi } from '../helpers/api.js';

t.test('/ and /ui/* serve the built page, without a token', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-ui-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Switchyard</title><script src="ui/app.js"></script>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  process.env.SWITCHYARD_UI_DIR = dir;
  t.teardown(() => delete process.env.SWITCHYARD_UI_DIR);
  const api = await startApi(t, { http: { port: 0, address: '127.0.0.1', tokens: ['s3cret-token-0123456789'] } });
  const page = await api.inject({ method: 'GET', url: '/' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /text\/html/);
  t.match(page.body, /<title>Switchyard<\/title>/);
  const withToken = await api.inject({ method: 'GET', url: '/?token=s3cret-token-0123456789' });
  t.equal(withToken.statusCode, 200, 'a token in the page URL (for the page to use) is fine');
  const js = await api.inject({ method: 'GET', url: '/ui/app.js' });
  t.equal(js.statusCode, 200);
  t.match(js.headers['content-type'], /javascript/);
  t.equal((await api.inject({ method: 'GET', url: '/ui/nope.js' })).statusCode, 404);
  t.equal((await api.inject({ method: 'GET', url: '/ui/..%2Fpackage.json' })).statusCode, 400, 'no path out of the directory');
  const data = await api.inject({ method: 'GET', url: '/api/v1/topology' });
  t.equal(data.statusCode, 401, 'the data still needs the token');
});

t.test('without a build, / says how to make one', async (t) => {
  process.env.SWITCHYARD_UI_DIR = join(tmpdir(), 'sy-ui-missing-' + process.pid);
  t.teardown(() => delete process.env.SWITCHYARD_UI_DIR);
  const api = await startApi(t);
  const page = await api.inject({ method: 'GET', url: '/' });
  t.equal(page.statusCode, 503);
  t.match(page.body, /npm run build/);
});
