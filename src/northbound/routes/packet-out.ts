import type { RouteModule } from './route.js';
import { requireSwitch } from '../context.js';
import { dpidParams, errorResponses } from '../schemas.js';
import { packetOutOf, packetOutSchema, type PacketOutBody } from '../packet-out-body.js';
import { toJsonValue } from '../../openflow/json.js';

/** Inject a frame into the network at a switch. */
export const packetOutRoutes: RouteModule = (app, ctx) => {
  app.post<{ Params: { dpid: string }; Body: PacketOutBody }>('/switches/:dpid/packet-out', {
    schema: {
      tags: ['switches'],
      summary: 'Send a frame out of a switch (PACKET_OUT)',
      description: 'Sends a PACKET_OUT with buffer_id no_buffer and the given actions, confirmed by a barrier; a switch refusal is a 400 naming the OpenFlow error.',
      params: dpidParams,
      body: packetOutSchema,
      response: {
        200: {
          type: 'object',
          properties: {
            dpid: { type: 'string' },
            in_port: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
            actions: { type: 'array', items: { type: 'object', additionalProperties: true } },
            bytes: { type: 'integer', description: 'frame length sent' },
          },
          required: ['dpid', 'in_port', 'actions', 'bytes'],
        },
        ...errorResponses,
      },
    },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    const msg = packetOutOf(req.body);
    await ctx.core.flows.sendConfirmed(sw.dpid, [msg], 'api');
    return { dpid: sw.id, in_port: msg.in_port, actions: toJsonValue(msg.actions), bytes: msg.data.length };
  });
};
