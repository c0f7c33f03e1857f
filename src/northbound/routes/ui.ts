// The web view at / on the API port: the files scripts/build-ui.mjs put in
// dist/ui, read once when the API is built (a few hundred kB) and served
// from memory. Public even when the API has tokens (auth.ts lets / and /ui/
// through): the page holds no data; what it fetches is checked as usual.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** dist/ui of the checkout or package this file is in (src/… when run from source, dist/src/… when built). */
export function uiDir(): string {
  if (process.env.SWITCHYARD_UI_DIR) return process.env.SWITCHYARD_UI_DIR;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'ui');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'dist', 'ui');
}

function load(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir)) if (TYPES[extname(name)] !== undefined) files.set(name, readFileSync(join(dir, name)));
  return files;
}

export function registerUiRoutes(app: FastifyInstance, dir = uiDir()): void {
  const files = load(dir);
  app.get('/', { schema: { hide: true } }, async (_req, reply) => {
    const index = files.get('index.html');
    if (index === undefined) {
      return reply.code(503).type('text/plain; charset=utf-8').send(`The web view is not built (no ${join(dir, 'index.html')}): run "npm run build" (or "node scripts/build-ui.mjs"). The REST API is at /api/v1 (docs: /api/v1/docs).\n`);
    }
    return reply.type(TYPES['.html']!).header('cache-control', 'no-cache').send(index);
  });
  app.get<{ Params: { file: string } }>('/ui/:file', {
    schema: { hide: true, params: { type: 'object', properties: { file: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } }, required: ['file'] } },
  }, async (req, reply) => {
    const body = files.get(req.params.file);
    if (body === undefined) return reply.code(404).type('text/plain; charset=utf-8').send(`no such file in the web view: ${req.params.file}\n`);
    return reply.type(TYPES[extname(req.params.file)]!).header('cache-control', 'no-cache').send(body);
  });
}
