import t from 'tap';
import { startApi } from '../helpers/api.js';
import { BUILTIN_APPS } from '../../src/apps/index.js';

t.test('GET /apps lists every defined app and whether it runs', async (t) => {
  const api = await startApi(t);
  const r = await api.json('GET', '/api/v1/apps');
  t.equal(r.status, 200);
  t.same(r.body, BUILTIN_APPS.map((a) => ({ name: a.name, description: a.description, enabled: false })));
  t.ok(r.body.every((a: { description: string }) => a.description.length > 0), 'each has a description');
});

t.test('enable and disable: idempotent, answer with the state, and really start and stop the app', async (t) => {
  const api = await startApi(t);
  let r = await api.json('POST', '/api/v1/apps/l2-switch/enable');
  t.equal(r.status, 200);
  t.match(r.body, { name: 'l2-switch', enabled: true });
  t.ok(api.c.apps.isEnabled('l2-switch'), 'running');
  r = await api.json('POST', '/api/v1/apps/l2-switch/enable');
  t.equal(r.status, 200, 'enable again');
  t.equal(r.body.enabled, true);
  t.match((await api.json('GET', '/api/v1/apps')).body.find((a: { name: string }) => a.name === 'l2-switch'), { enabled: true });

  r = await api.json('POST', '/api/v1/apps/l2-switch/disable');
  t.equal(r.status, 200);
  t.equal(r.body.enabled, false);
  t.notOk(api.c.apps.isEnabled('l2-switch'), 'stopped');
  r = await api.json('POST', '/api/v1/apps/l2-switch/disable');
  t.equal(r.status, 200, 'disable again');
  t.equal(r.body.enabled, false);
});

t.test('unknown apps are 404 naming the known ones; bad names 400', async (t) => {
  const api = await startApi(t);
  for (const action of ['enable', 'disable']) {
    const r = await api.json('POST', `/api/v1/apps/nope/${action}`);
    t.equal(r.status, 404, action);
    t.equal(r.body.error, 'app_not_found');
    t.match(r.body.message, /no app named "nope" \(apps: l2-switch, /);
  }
  const bad = await api.json('POST', '/api/v1/apps/-x/enable');
  t.equal(bad.status, 400);
  t.match(bad.body.message, /params\.name must match pattern/);
  t.equal((await api.json('POST', '/api/v1/apps/l2-switch/restart')).status, 404, 'no such action');
});
