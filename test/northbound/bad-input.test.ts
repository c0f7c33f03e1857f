import t from 'tap';
import { startApi } from '../helpers/api.js';
import { FakeFlowTable } from '../helpers/fake-switch.js';
import type { OfpMessage } from '../../src/openflow/message.js';

/**
 * Every route in the OpenAPI document, hit with malformed parameters,
 * queries and bodies: the answer is always a 4xx with a message, never a
 * 500 and never a hang. Routes added later are covered automatically.
 */

const BAD_SEGMENTS = ['zz', '-1', '99999999999999999999999', '%00', 'null'];
const BAD_BODIES: unknown[] = [{}, [], 'x', 42, { match: 5 }, { actions: 'drop' }, { priority: -1, match: { in_port: 'x' } }, { a: { b: { c: [1, { d: null }] } } }];
const BAD_QUERIES = ['?x=1', '?dpid=zz&port=-4', '?since=abc&types=nope', '?match=%7Bbad', '?table_id=999'];

// A switch that refuses whatever it does not know, so no request waits for a timeout.
function refuseUnknown(m: OfpMessage): OfpMessage[] | undefined {
  if (m.type === 'multipart_request' && !['port_desc', 'desc', 'flow'].includes(m.body.type)) {
    return [{ type: 'error', xid: m.xid, err_type: 'bad_request', code: 'bad_multipart', data: Buffer.alloc(0) }];
  }
  return undefined;
}

t.test('no route answers malformed input with a 5xx', async (t) => {
  const api = await startApi(t);
  await api.addSwitch({ dpid: 1n, ports: 3, flowTable: new FakeFlowTable(), reply: refuseUnknown });
  const doc = (await api.json('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const paths = Object.entries(doc.paths);
  t.ok(paths.length > 0, 'routes documented');
  let tried = 0;
  const fails: string[] = [];
  for (const [path, ops] of paths) {
    for (const method of Object.keys(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      if (path.endsWith('/events')) continue; // a WebSocket upgrade, tested in events.test.ts
      const urls = new Set<string>();
      const hasParams = /\{[^}]+\}/.test(path);
      for (const seg of BAD_SEGMENTS) urls.add(path.replace(/\{[^}]+\}/g, encodeURIComponent(seg)));
      // Valid-looking params so bad bodies and queries reach the handler.
      urls.add(path.replace(/\{dpid\}/g, '1').replace(/\{[^}]+\}/g, '1'));
      for (const q of BAD_QUERIES) urls.add(path.replace(/\{dpid\}/g, '1').replace(/\{[^}]+\}/g, '1') + q);
      for (const url of urls) {
        const bodies = method === 'get' ? [undefined] : BAD_BODIES;
        for (const body of bodies) {
          const r = await api.inject({
            method: method.toUpperCase() as 'GET',
            url,
            ...(body !== undefined ? { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
          });
          tried++;
          if (r.statusCode >= 500 && r.statusCode !== 503 && r.statusCode !== 504) fails.push(`${method.toUpperCase()} ${url} ${JSON.stringify(body)} → ${r.statusCode} ${r.body.slice(0, 200)}`);
          else if (r.statusCode >= 400) {
            let msg = '';
            try {
              msg = (r.json() as { message?: string }).message ?? '';
            } catch {
              msg = r.body;
            }
            if (msg.length < 10) fails.push(`${method.toUpperCase()} ${url} → ${r.statusCode} without a useful message: ${r.body.slice(0, 100)}`);
          }
          if (hasParams && url.includes('99999999999999999999999') && r.statusCode < 400) fails.push(`${method.toUpperCase()} ${url} accepted an out-of-range id`);
        }
      }
    }
  }
  t.same(fails, [], `${tried} malformed requests, none answered with a 5xx or without a message`);
});
