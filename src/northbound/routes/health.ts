import type { RouteModule } from './route.js';

/** 200 once the OpenFlow listener accepts switches; 503 before (or after it stopped). */
export const healthRoutes: RouteModule = (app, { core: ctl }) => {
  app.get('/health', {
    schema: {
      tags: ['health'],
      summary: 'Whether switches can connect',
      response: {
        200: { type: 'object', properties: { status: { const: 'ok' }, openflow: { type: 'object', properties: { host: { type: 'string' }, port: { type: 'integer' } } }, switches: { type: 'integer' } }, required: ['status', 'switches'] },
        503: { type: 'object', properties: { status: { const: 'starting' }, switches: { type: 'integer' } }, required: ['status'] },
      },
    },
  }, async (_req, reply) => {
    if (ctl.channel.address === undefined) return reply.status(503).send({ status: 'starting', switches: ctl.switches.size });
    return { status: 'ok', openflow: ctl.channel.address, switches: ctl.switches.size };
  });
};
