import type { RouteModule } from './route.js';
import { ApiError, badRequest } from '../errors.js';
import { errorSchema } from '../schemas.js';
import { knownEventTypes, parseEventFilter, type EventFilter } from '../event-filter.js';
import { EventStream } from '../event-stream.js';

interface EventsQuery {
  types?: string;
  since?: number;
  stats?: '0' | '1' | 'true' | 'false';
  access_token?: string;
}

const querystringOf = (types: readonly string[]) => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    types: { type: 'string', minLength: 1, maxLength: 1024, description: `event types to receive, comma separated; a prefix like link.* or * for all (default: all but stats.ports). Types: ${types.join(', ')}` },
    since: { type: 'integer', minimum: 0, description: 'resume: replay the events after this sequence number first (from a bounded buffer; a {"type":"stream.gap"} message says when some are no longer there)' },
    stats: { type: 'string', enum: ['0', '1', 'true', 'false'], description: '1: also send the periodic port statistics (stats.ports)' },
    access_token: { type: 'string', minLength: 1, maxLength: 4096, description: 'API token, for clients that cannot set an Authorization header (browsers)' },
  },
} as const);

function filterOf(q: EventsQuery, known: readonly string[]): EventFilter {
  const f = parseEventFilter(q.types, q.stats === '1' || q.stats === 'true', known);
  if ('error' in f) throw badRequest(f.error);
  return f;
}

/**
 * GET /events: the WebSocket event stream. Each message is
 * {seq, time, type, data}. The query is checked before the upgrade, so a
 * bad one is an ordinary 400.
 */
export const eventRoutes: RouteModule = (app, ctx) => {
  const stream = new EventStream(ctx.core.events, ctx.core.clock, app.log.child({ svc: 'events' }));
  ctx.metrics.trackEventStream(() => stream.get());
  app.addHook('onClose', async () => stream.close());
  const known = knownEventTypes(ctx.core.apps.eventTypes());
  const querystring = querystringOf(known);

  app.route<{ Querystring: EventsQuery }>({
    method: 'GET',
    url: '/events',
    schema: {
      tags: ['events'],
      summary: 'Event stream (WebSocket)',
      description:
        'Upgrade to a WebSocket to receive {seq, time, type, data} messages: switch.up/down, port.added/modified/removed, link.up/down, ' +
        'host.added/moved/removed, flow.removed, flow.error, port.claimed/released, app.enabled/disabled, the events apps publish (network.created, ...) and, with stats=1, stats.ports. Resume with since=<seq>. A client more than ' +
        '1 MiB behind is closed with code 1008 "too slow". With API tokens configured, send "Authorization: Bearer <token>" or ?access_token=.',
      querystring,
      response: { 400: errorSchema, 401: errorSchema, 403: errorSchema, 426: errorSchema },
    },
    // Validation of types happens here, before the upgrade, so a bad filter is a 400 and not a socket that closes.
    preHandler: async (req) => {
      filterOf(req.query, known);
    },
    handler: async () => {
      throw new ApiError(426, 'upgrade_required', 'GET /api/v1/events is a WebSocket: connect with a WebSocket client (ws://host:port/api/v1/events)');
    },
    wsHandler: (socket, req) => {
      stream.attach(socket, { filter: filterOf(req.query, known), since: req.query.since });
    },
  });
};
