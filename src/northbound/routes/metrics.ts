import type { FastifyInstance } from 'fastify';
import type { RouteModule } from './route.js';
import type { ApiContext } from '../context.js';
import { errorResponses } from '../schemas.js';

/** What prom-client's registry.contentType says, documented as the media type it is. */
const PROMETHEUS_TEXT = 'text/plain; version=0.0.4';

/**
 * GET <url>: Prometheus text exposition of the controller's registry. Exported
 * so the root scope can serve it at /metrics too (where Prometheus looks by default).
 */
export function registerMetricsRoute(app: FastifyInstance, { metrics }: ApiContext, url: string): void {
  app.get(url, {
    schema: {
      tags: ['metrics'],
      summary: 'Prometheus metrics',
      description: 'Text exposition format 0.0.4: switches, links and hosts, packet-ins, flow-mods, OpenFlow errors, events by type, event stream clients, REST latency, process.',
      querystring: { type: 'object', additionalProperties: false, properties: {} },
      response: {
        200: { description: 'Prometheus text exposition format 0.0.4', content: { [PROMETHEUS_TEXT]: { schema: { type: 'string', description: 'Prometheus text format' } } } },
        400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403],
      },
    },
  }, async (_req, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}

export const metricsRoutes: RouteModule = (app, ctx) => {
  registerMetricsRoute(app, ctx, '/metrics');
  app.addHook('onClose', async () => ctx.metrics.close());
};
