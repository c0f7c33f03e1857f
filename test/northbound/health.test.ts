import t from 'tap';
import { startApi } from '../helpers/api.js';

t.test('health is 200 with the OpenFlow address once listening', async (t) => {
  const api = await startApi(t);
  const r = await api.json('GET', '/api/v1/health');
  t.equal(r.status, 200);
  t.equal(r.body.status, 'ok');
  t.equal(r.body.openflow.port, api.c.ofAddress!.port);
  t.equal(r.body.switches, 0);
  await api.addSwitch({ dpid: 1n });
  t.equal((await api.json('GET', '/api/v1/health')).body.switches, 1);
});

t.test('unknown route is a JSON 404 pointing at the OpenAPI document', async (t) => {
  const api = await startApi(t);
  const r = await api.json('GET', '/api/v1/nope?x=1');
  t.equal(r.status, 404);
  t.equal(r.body.error, 'route_not_found');
  t.match(r.body.message, /GET \/api\/v1\/nope;.*openapi\.json/);
});

t.test('the OpenAPI document and the docs page are served', async (t) => {
  const api = await startApi(t);
  const doc = await api.json('GET', '/api/v1/openapi.json');
  t.equal(doc.status, 200);
  t.match(doc.body.openapi, /^3\./);
  t.ok(doc.body.paths['/api/v1/health'], 'health documented');
  const page = await api.inject({ method: 'GET', url: '/api/v1/docs/' });
  t.equal(page.statusCode, 200);
  t.match(page.body, /swagger/i);
});

t.test('with tokens, mutating calls need a bearer token; reads open only when configured', async (t) => {
  const token = 'a-very-secret-token-123';
  const closed = await startApi(t, { http: { port: 0, address: '127.0.0.1', tokens: [token] } });
  t.equal((await closed.json('GET', '/api/v1/health')).status, 200, 'health always open');
  t.equal((await closed.json('GET', '/api/v1/switches')).status, 401);
  t.equal((await closed.json('GET', '/api/v1/switches', undefined, { authorization: 'Bearer wrong-token-wrong-token' })).status, 403);
  t.equal((await closed.json('GET', '/api/v1/switches', undefined, { authorization: `Bearer ${token}` })).status, 200);
  const open = await startApi(t, { http: { port: 0, address: '127.0.0.1', tokens: [token], openReads: true } });
  t.equal((await open.json('GET', '/api/v1/switches')).status, 200, 'read without token');
  const post = await open.json('POST', '/api/v1/apps/l2-switch/enable');
  t.equal(post.status, 401, 'a mutating call still needs one');
  t.match(post.body.message, /Authorization: Bearer/);
});
