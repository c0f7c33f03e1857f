import t from 'tap';
import { startApi } from '../helpers/api.js';

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: { in: string; name: string; schema?: unknown }[];
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

t.test('every operation in the OpenAPI document has a summary, schemas for its parameters and a response schema', async (t) => {
  const api = await startApi(t);
  const doc = (await api.json('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
  const problems: string[] = [];
  let ops = 0;
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops++;
      const name = `${method.toUpperCase()} ${path}`;
      if (!op.summary) problems.push(`${name}: no summary`);
      if (!op.tags?.length) problems.push(`${name}: no tag`);
      for (const p of path.match(/\{([^}]+)\}/g) ?? []) {
        const pname = p.slice(1, -1);
        if (!op.parameters?.some((x) => x.in === 'path' && x.name === pname && x.schema)) problems.push(`${name}: path parameter ${pname} has no schema`);
      }
      if (path.endsWith('/events')) continue; // WebSocket: documented by its query schema
      const ok = Object.entries(op.responses ?? {}).find(([code]) => /^2/.test(code));
      if (!ok) problems.push(`${name}: no 2xx response documented`);
      else if (ok[0] !== '204' && !Object.values(ok[1].content ?? {}).some((c) => c.schema)) problems.push(`${name}: ${ok[0]} response has no schema`);
    }
  }
  t.ok(ops > 0);
  t.same(problems, [], `${ops} operations checked`);
});
