import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import type { Core } from '../core/index.js';
import { installErrorHandler } from './errors.js';
import { installAuth, type AuthOptions } from './auth.js';
import { ApiMetrics } from './metrics.js';
import type { ApiContext } from './context.js';
import { ROUTES } from './routes/index.js';
import { RYU_ROUTES } from './ryu/index.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { mountAppRoutes } from './app-routes.js';
import { registerUiRoutes } from './routes/ui.js';

export interface ApiOptions {
  readonly auth: AuthOptions;
  /** Largest request body in bytes. */
  readonly bodyLimit: number;
  readonly log: Logger;
}

export interface Api {
  readonly app: FastifyInstance;
  readonly ctx: ApiContext;
}

/**
 * The northbound: one fastify instance with the versioned API under
 * /api/v1, Ryu's ofctl_rest and rest_topology paths at their own places,
 * the OpenAPI document and docs page, and /metrics. Routes live one file
 * per resource in routes/ and ryu/; this file only assembles them.
 */
export async function buildApi(core: Core, opts: ApiOptions): Promise<Api> {
  const app = Fastify({
    loggerInstance: opts.log as FastifyBaseLogger,
    // Our own request log below: fastify's would print URLs, and the event stream takes a token in its query.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit,
    // Router errors (a path parameter over 100 characters, a malformed URL) would be 414/400 in fastify's own
    // shape; they get ours, as 400 with a sentence (every id this API takes is far shorter).
    frameworkErrors: (err, _req, res) => {
      const long = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const reply = res as unknown as FastifyReply;
      void reply.status(400).send({
        error: 'bad_request',
        message: long ? 'a path parameter is longer than 100 characters; no id this API takes is that long' : `the URL cannot be read: ${err.message}`,
      });
    },
    ajv: { customOptions: { allowUnionTypes: true, allErrors: false, coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
  });
  const metrics = new ApiMetrics(core);
  const ctx: ApiContext = { core, store: core.staticFlows, metrics };
  installErrorHandler(app);
  installAuth(app, opts.auth);
  // Runs for every request: callback style (no promise per request), and the log line built only when it is printed.
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unknown';
    const ms = reply.elapsedTime;
    metrics.observeRequest(req.method, route, reply.statusCode, ms / 1000);
    // req.log is a child of opts.log, a pino logger (FastifyBaseLogger's type leaves isLevelEnabled out).
    if ((req.log as unknown as Logger).isLevelEnabled('debug')) req.log.debug({ method: req.method, route, status: reply.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    done(); // a throw above reaches fastify's hook runner, which reports it
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Switchyard API', version: '1', description: 'OpenFlow 1.3 controller: switches, flows, groups, meters, statistics, topology, hosts, apps and events.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      ...(opts.auth.tokens.length ? { security: [{ bearer: [] }] } : {}),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/v1/docs' });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(async (v1) => {
    for (const r of ROUTES) r(v1, ctx);
    mountAppRoutes(v1, core);
  }, { prefix: '/api/v1' });
  await app.register(async (root) => {
    for (const r of RYU_ROUTES) r(root, ctx);
    // Where Prometheus scrapes by default; the same metrics as /api/v1/metrics.
    registerMetricsRoute(root, ctx, '/metrics');
    // The web view at / (and its files under /ui/).
    registerUiRoutes(root);
  });
  return { app, ctx };
}
