import type { RouteModule } from './route.js';
import { requireSwitch } from '../context.js';
import { dpidSchema, errorResponses } from '../schemas.js';
import { acceptsGzip, linkSchema, topologySchema, TopologyCache } from '../topology-snapshot.js';

/** The network as discovered: switches, links (per direction) and hosts, with the event seq they reflect. */
export const topologyRoutes: RouteModule = (app, ctx) => {
  const { core: ctl } = ctx;
  const cache = new TopologyCache(ctl);

  app.get('/topology', {
    schema: {
      tags: ['topology'],
      summary: 'Switches, links and hosts, with the event sequence number they reflect',
      description:
        'A snapshot for clients that then follow the event stream: apply events with seq greater than the snapshot\'s. ' +
        'links has one entry per direction (a cable between two switches appears twice, src and dst swapped).',
      response: { 200: topologySchema, ...errorResponses },
    },
  }, async (req, reply) => {
    // Serialized once per seq by this route's own response serializer (so the schema above still governs the
    // bytes); a Buffer is sent as is, never serialized again. Compressed once per seq for clients that take gzip:
    // with a hundred switches 67 kB become under 5 kB, and writing the plain body was a third of a request's CPU.
    const body = cache.body((t) => reply.serialize(t) as string);
    reply.type('application/json; charset=utf-8').header('vary', 'Accept-Encoding');
    if (acceptsGzip(req.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(body.gzipped());
    return reply.send(body.plain);
  });

  app.get<{ Querystring: { dpid?: string } }>('/links', {
    schema: {
      tags: ['topology'],
      summary: 'Inter-switch links, one entry per direction',
      description: 'Every link LLDP discovered, one entry per direction, sorted. With dpid, only links with an end on that switch (404 when it is not connected).',
      querystring: { type: 'object', properties: { dpid: dpidSchema }, additionalProperties: false },
      response: { 200: { type: 'array', items: linkSchema }, ...errorResponses },
    },
  }, async (req) => {
    const links = ctl.topology.links();
    if (req.query.dpid === undefined) return links;
    const id = requireSwitch(ctx, req.query.dpid).id;
    return links.filter((l) => l.src.dpid === id || l.dst.dpid === id);
  });
};
