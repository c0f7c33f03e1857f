import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Core } from '../core/index.js';
import type { AppRequest } from '../core/apps/app-routes.js';
import { ApiError } from './errors.js';
import { errorSchema } from './schemas.js';

/**
 * Mount every defined app's routes on the /api/v1 scope. They are mounted
 * whether or not the app runs (fastify cannot add routes once it listens),
 * and answer 503 while it is disabled. Each route is tagged with its app's
 * name in the OpenAPI document.
 */
export function mountAppRoutes(v1: FastifyInstance, core: Core): void {
  for (const def of core.apps.definitions()) {
    for (const r of def.routes ?? []) {
      // 400: every route validates its params, query and body (and the JSON parser may refuse the body).
      const response = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 503: errorSchema, ...r.schema.response };
      v1.route({
        method: r.method,
        url: r.url,
        config: { read: r.mutates === undefined ? r.method === 'GET' : !r.mutates },
        schema: {
          tags: [def.name],
          summary: r.summary,
          ...(r.description ? { description: r.description } : {}),
          ...(r.schema.params ? { params: r.schema.params } : {}),
          ...(r.schema.querystring ? { querystring: r.schema.querystring } : {}),
          ...(r.schema.body ? { body: r.schema.body } : {}),
          response,
        },
        handler: async (req, reply) => {
          const app = core.apps.instance(def.name);
          if (app === undefined) throw new ApiError(503, 'app_disabled', `app ${def.name} is disabled; enable it with POST /api/v1/apps/${def.name}/enable`);
          const request: AppRequest = {
            params: (req.params ?? {}) as Record<string, string>,
            query: (req.query ?? {}) as Record<string, unknown>,
            body: req.body,
          };
          const out = await r.handler(app, request);
          const res = reply as unknown as FastifyReply;
          void res.code(out.status ?? 200);
          return out.body === undefined ? res.send() : res.send(out.body);
        },
      });
    }
  }
}
