import type { RouteModule } from './route.js';
import { errorResponses } from '../schemas.js';
import { loadTraceNetwork, tracePacket } from '../../core/trace/index.js';
import { appEndpoints, traceBodySchema, traceRequestFromJson, traceResultSchema, traceToJson, type TraceBody } from '../json/trace.js';

/** POST /trace: where a packet goes, hop by hop, through the flow tables the switches report now. */
export const traceRoutes: RouteModule = (app, ctx) => {
  const { core } = ctx;
  app.post('/trace', {
    config: { read: true },
    schema: {
      tags: ['topology'],
      summary: 'Trace a packet through the network\'s flow tables',
      description:
        'Reads every switch\'s flow table and groups (flow stats, group desc), then walks the packet from `from` as OpenFlow 1.3 defines matching ' +
        '(priority, masks, goto_table, apply/write/clear actions, write_metadata, groups, set_field) across the links the topology knows. Each hop lists the ' +
        'tables it met with the matching flow and its owner app, the actions, and where each copy went: forwarded to the next switch, delivered to a host, ' +
        'to the controller, dropped (and why), or looped. Changes nothing.',
      body: traceBodySchema,
      response: { 200: traceResultSchema, ...errorResponses },
    },
  }, async (req) => {
    const body = req.body as TraceBody;
    const request = traceRequestFromJson(core, body);
    const net = await loadTraceNetwork(core, appEndpoints(core));
    return traceToJson(tracePacket(net, request.ingress, request.packet, { ...(body.max_hops !== undefined ? { maxHops: body.max_hops } : {}) }));
  });
};
