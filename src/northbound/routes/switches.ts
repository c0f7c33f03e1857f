import type { RouteModule } from './route.js';
import { requireSwitch } from '../context.js';
import { dpidSchema, errorResponses } from '../schemas.js';
import { OFPP_MAX, portJson, portNotFound, portSchema, switchDetail, switchDetailSchema, switchSummary, switchSummarySchema } from '../json/switch.js';
import { applyPortChange, portChangeSchema, type PortChange } from '../switch-port-mod.js';

const portParams = {
  type: 'object',
  properties: { dpid: dpidSchema, port: { type: 'integer', minimum: 1, maximum: OFPP_MAX, description: 'OpenFlow port number' } },
  required: ['dpid', 'port'],
  additionalProperties: false,
} as const;

const dpidOnly = { type: 'object', properties: { dpid: dpidSchema }, required: ['dpid'], additionalProperties: false } as const;

/** Connected switches: what each is, and its ports with live counters and rates. */
export const switchRoutes: RouteModule = (app, ctx) => {
  const { core: ctl } = ctx;

  app.get('/switches', {
    schema: {
      tags: ['switches'],
      summary: 'Connected switches',
      description: 'Every switch with an OpenFlow connection that finished its handshake, sorted by dpid.',
      response: { 200: { type: 'array', items: switchSummarySchema }, ...errorResponses },
    },
  }, async () => ctl.switches.all().sort((a, b) => (a.dpid < b.dpid ? -1 : a.dpid > b.dpid ? 1 : 0)).map(switchSummary));

  app.get<{ Params: { dpid: string } }>('/switches/:dpid', {
    schema: {
      tags: ['switches'],
      summary: 'One switch: features, description, ports with live rates',
      params: dpidOnly,
      response: { 200: switchDetailSchema, ...errorResponses },
    },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    return switchDetail(sw, (n) => ctl.stats.port(sw.dpid, n));
  });

  app.get<{ Params: { dpid: string; port: number } }>('/switches/:dpid/ports/:port', {
    schema: {
      tags: ['switches'],
      summary: 'One port with its live counters and rates',
      params: portParams,
      response: { 200: portSchema, ...errorResponses },
    },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    const p = sw.ports.get(req.params.port);
    if (p === undefined || typeof p.port_no !== 'number') throw portNotFound(sw, req.params.port);
    return portJson({ ...p, port_no: p.port_no }, ctl.stats.port(sw.dpid, p.port_no));
  });

  app.patch<{ Params: { dpid: string; port: number }; Body: PortChange }>('/switches/:dpid/ports/:port', {
    schema: {
      tags: ['switches'],
      summary: 'Set a port administratively up or down (PORT_MOD)',
      description:
        'Sends a PORT_MOD with the port\'s hardware address and the bits named in the body, confirmed by a barrier, then answers ' +
        'with the port as the switch\'s PORT_STATUS shows it (200). If the switch sends no PORT_STATUS within 2 s the answer is 202 ' +
        'with the requested bits applied to the last known port.',
      params: portParams,
      body: portChangeSchema,
      response: { 200: portSchema, 202: portSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    const r = await applyPortChange(ctx, sw, req.params.port, req.body);
    return reply.status(r.confirmed ? 200 : 202).send(portJson(r.port, ctl.stats.port(sw.dpid, r.port.port_no)));
  });
};
