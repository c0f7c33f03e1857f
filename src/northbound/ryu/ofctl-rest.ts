import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MultipartReplyBody, MultipartRequestBody } from '../../openflow/messages/multipart.js';
import { OfpErrorReply } from '../../openflow/channel/errors.js';
import type { RouteModule } from '../routes/route.js';
import type { ApiContext } from '../context.js';
import { parseRyuBody } from './ryu-body.js';
import { sendRyu } from './ryu-json.js';
import { flowFilterFromRyu, type RyuBody } from './ryu-mods.js';
import { ofctlModRoutes } from './ofctl-mods.js';
import {
  byDpidList, byDpidObject, errorResponses, flowFilterBody, noQuery, ryuDpidParams, ryuIdSchema,
} from './ryu-schemas.js';
import {
  aggregateToRyu, descToRyu, flowsToRyu, groupDescToRyu, groupFeaturesToRyu, groupStatsToRyu, meterConfigToRyu,
  meterFeaturesToRyu, meterStatsToRyu, portDescToRyu, portStatsToRyu, queueStatsToRyu, tableFeaturesToRyu, tablesToRyu,
} from './ryu-stats.js';
import { checkEncodes, ryuSwitch } from './ryu-switch.js';
import { optionalId } from './ryu-values.js';

const TAGS = ['ryu ofctl_rest'];

type Params = Readonly<Record<string, string>>;

interface StatsRoute {
  readonly path: string;
  readonly summary: string;
  /** Optional trailing path ids (port, queue_id, group_id, meter_id), each a number or ALL. */
  readonly ids?: readonly string[];
  readonly request: (p: Params, body: RyuBody) => MultipartRequestBody;
  readonly convert: (bodies: readonly MultipartReplyBody[], p: Params, body: RyuBody) => unknown;
  /** Also answer POST with a filter body (flow, aggregateflow). */
  readonly post?: boolean;
  /** desc answers one object per switch, every other stats call a list. */
  readonly single?: boolean;
}

const flowReq = (type: 'flow' | 'aggregate') => (_p: Params, b: RyuBody): MultipartRequestBody => ({ type, ...flowFilterFromRyu(b).filter });
const id = (p: Params, key: string, what: string, all: number): number => optionalId(p[key], what) ?? all;

const STATS: readonly StatsRoute[] = [
  { path: '/stats/desc', summary: 'Switch description (ofctl_rest get_desc_stats)', single: true, request: () => ({ type: 'desc' }), convert: descToRyu },
  ...['flow', 'flowdesc'].map((name): StatsRoute => ({
    path: `/stats/${name}`, summary: `Flow entries in Ryu's form (ofctl_rest get_flow_stats${name === 'flowdesc' ? ', flowdesc alias' : ''})`, post: true,
    request: flowReq('flow'), convert: (bodies, _p, b) => flowsToRyu(bodies, flowFilterFromRyu(b).priority),
  })),
  { path: '/stats/aggregateflow', summary: 'Aggregate flow counters (ofctl_rest get_aggregate_flow_stats)', post: true, request: flowReq('aggregate'), convert: aggregateToRyu },
  { path: '/stats/table', summary: 'Table counters (ofctl_rest get_table_stats)', request: () => ({ type: 'table' }), convert: tablesToRyu },
  { path: '/stats/tablefeatures', summary: 'Table features (ofctl_rest get_table_features)', request: () => ({ type: 'table_features', tables: [] }), convert: tableFeaturesToRyu },
  {
    path: '/stats/port', summary: 'Port counters (ofctl_rest get_port_stats)', ids: ['port'],
    request: (p) => ({ type: 'port_stats', port_no: id(p, 'port', 'port', 0xffffffff) }), convert: portStatsToRyu,
  },
  // The port number is an OpenFlow 1.5 filter; ofctl_rest ignores it for 1.3.
  { path: '/stats/portdesc', summary: 'Port descriptions (ofctl_rest get_port_desc)', ids: ['port_no'], request: () => ({ type: 'port_desc' }), convert: portDescToRyu },
  {
    path: '/stats/queue', summary: 'Queue counters (ofctl_rest get_queue_stats); ALL for the port selects every port', ids: ['port', 'queue_id'],
    request: (p) => ({ type: 'queue', port_no: id(p, 'port', 'port', 0xffffffff), queue_id: id(p, 'queue_id', 'queue_id', 0xffffffff) }), convert: queueStatsToRyu,
  },
  {
    path: '/stats/group', summary: 'Group counters (ofctl_rest get_group_stats)', ids: ['group_id'],
    request: (p) => ({ type: 'group', group_id: id(p, 'group_id', 'group_id', 0xfffffffc) }), convert: groupStatsToRyu,
  },
  // OpenFlow 1.3 has no per-group desc request; ofctl_rest ignores the id there too.
  { path: '/stats/groupdesc', summary: 'Group descriptions (ofctl_rest get_group_desc)', ids: ['group_id'], request: () => ({ type: 'group_desc' }), convert: groupDescToRyu },
  { path: '/stats/groupfeatures', summary: 'Group features (ofctl_rest get_group_features)', request: () => ({ type: 'group_features' }), convert: groupFeaturesToRyu },
  {
    path: '/stats/meter', summary: 'Meter counters (ofctl_rest get_meter_stats)', ids: ['meter_id'],
    request: (p) => ({ type: 'meter', meter_id: id(p, 'meter_id', 'meter_id', 0xffffffff) }), convert: meterStatsToRyu,
  },
  {
    path: '/stats/meterconfig', summary: 'Meter configurations (ofctl_rest get_meter_config)', ids: ['meter_id'],
    request: (p) => ({ type: 'meter_config', meter_id: id(p, 'meter_id', 'meter_id', 0xffffffff) }), convert: meterConfigToRyu,
  },
  { path: '/stats/meterfeatures', summary: 'Meter features (ofctl_rest get_meter_features)', request: () => ({ type: 'meter_features' }), convert: meterFeaturesToRyu },
];

/**
 * A stats call: one multipart request on the switch's connection, the reply
 * in ofctl's shape under the decimal dpid. A switch that refuses the request
 * gets Ryu's answer for that case, an empty list (ofctl waits for a stats
 * reply that never comes), and the refusal in a header.
 */
async function answer(ctx: ApiContext, r: StatsRoute, params: Params, body: RyuBody, reply: FastifyReply): Promise<FastifyReply> {
  const sw = ryuSwitch(ctx, params.dpid);
  const request = r.request(params, body);
  checkEncodes({ type: 'multipart_request', xid: 0, flags: [], body: request });
  let bodies: MultipartReplyBody[];
  try {
    bodies = await sw.link.multipart(request);
  } catch (e) {
    if (!(e instanceof OfpErrorReply)) throw e;
    void reply.header('x-switchyard-openflow-error', `${String(e.errType)}/${String(e.code)}: ${e.hint}`);
    bodies = [];
  }
  return sendRyu(reply, { [sw.dpid.toString()]: r.convert(bodies, params, body) });
}

function statsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  for (const r of STATS) {
    const ids = r.ids ?? [];
    // /stats/port/:dpid, /stats/port/:dpid/:port, ...: each optional id is its own path, as ofctl_rest maps them.
    for (let n = 0; n <= ids.length; n++) {
      const names = ids.slice(0, n);
      const url = `${r.path}/:dpid${names.map((x) => `/:${x}`).join('')}`;
      const params = {
        type: 'object',
        properties: { ...ryuDpidParams.properties, ...Object.fromEntries(names.map((x) => [x, ryuIdSchema])) },
        required: ['dpid', ...names],
        additionalProperties: false,
      };
      const response = { 200: r.single ? byDpidObject : byDpidList, ...errorResponses };
      app.get(url, { schema: { tags: TAGS, summary: r.summary, params, querystring: noQuery, response } }, (req, reply) =>
        answer(ctx, r, req.params as Params, {}, reply));
      if (r.post && n === 0) {
        app.post(url, {
          config: { read: true },
          schema: { tags: TAGS, summary: `${r.summary}, filtered by the body`, params, querystring: noQuery, body: flowFilterBody, response },
        }, (req, reply) => answer(ctx, r, req.params as Params, req.body as RyuBody, reply));
      }
    }
  }
}

/**
 * Ryu's ofctl_rest (OpenFlow 1.3) at Ryu's paths, in its own scope because
 * its bodies are parsed as Ryu parses them: whatever the Content-Type (curl
 * -d sends form-urlencoded, urllib too), as JSON or a Python literal.
 */
export const ofctlRestRoutes: RouteModule = (app, ctx) => {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, text, done) => {
      try {
        done(null, parseRyuBody(String(text)));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    // No body at all (no Content-Type, nothing sent) is {} too; fastify skips the parser then.
    scope.addHook('preValidation', async (req) => {
      if (req.body === undefined && req.method !== 'GET') req.body = {};
    });
    scope.get('/stats/switches', {
      schema: {
        tags: TAGS, summary: 'Connected switches as decimal datapath ids (ofctl_rest get_dpids)', querystring: noQuery,
        response: { 200: { type: 'array', items: { type: 'integer' }, description: 'datapath ids, exact even above 2^53' }, ...errorResponses },
      },
    }, (_req, reply) => sendRyu(reply, ctx.core.switches.all().map((s) => s.dpid)));
    statsRoutes(scope, ctx);
    ofctlModRoutes(scope, ctx);
  });
};
