import type { RouteModule } from './route.js';
import type { ApiContext } from '../context.js';
import { notFound } from '../errors.js';
import { errorResponses } from '../schemas.js';

const appSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, description: { type: 'string' }, enabled: { type: 'boolean' } },
  required: ['name', 'description', 'enabled'],
} as const;

const nameParams = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'app name, as GET /apps lists it' } },
  required: ['name'],
  additionalProperties: false,
} as const;

function appState(ctx: ApiContext, name: string): { name: string; description: string; enabled: boolean } {
  const a = ctx.core.apps.list().find((x) => x.name === name);
  if (a === undefined) {
    const known = ctx.core.apps.list().map((x) => x.name);
    throw notFound('app', `no app named "${name}" (apps: ${known.length ? known.join(', ') : 'none'})`);
  }
  return a;
}

/** Apps by name; enable and disable are idempotent and answer with the app's state. */
export const appRoutes: RouteModule = (app, ctx) => {
  const { core: ctl } = ctx;

  app.get('/apps', {
    schema: { tags: ['apps'], summary: 'Apps and whether each is running', response: { 200: { type: 'array', items: appSchema }, ...errorResponses } },
  }, async () => ctl.apps.list());

  for (const action of ['enable', 'disable'] as const) {
    app.post<{ Params: { name: string } }>(`/apps/:name/${action}`, {
      schema: {
        tags: ['apps'],
        summary: action === 'enable' ? 'Start an app (no-op when running)' : 'Stop an app and remove its flows (no-op when stopped)',
        params: nameParams,
        response: { 200: appSchema, ...errorResponses },
      },
    }, async (req) => {
      appState(ctx, req.params.name);
      if (action === 'enable') await ctl.apps.enable(req.params.name);
      else await ctl.apps.disable(req.params.name);
      return appState(ctx, req.params.name);
    });
  }
};
