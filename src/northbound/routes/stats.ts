import type { FastifyInstance } from 'fastify';
import type { RouteModule } from './route.js';
import type { ApiContext } from '../context.js';
import { requireSwitch } from '../context.js';
import { badRequest } from '../errors.js';
import { parseU64 } from '../ids.js';
import { dpidParams, errorResponses, u64Schema } from '../schemas.js';
import { OFPP_MAX, portNotFound, ratesJson } from '../json/switch.js';
import { toJsonValue } from '../../openflow/json.js';
import type { MultipartReplyBody, MultipartRequestBody } from '../../openflow/messages/multipart.js';
import type { FlowFilter } from '../../openflow/multipart/flow-stats.js';
import type { SwitchRecord } from '../../core/switches.js';

/** How long a statistics request may take before the answer is 504. */
export const STATS_TIMEOUT_MS = 5000;

const portNo = { type: 'integer', minimum: 1, maximum: OFPP_MAX, description: 'OpenFlow port number' } as const;
const tableId = { type: 'integer', minimum: 0, maximum: 254, description: 'flow table number' } as const;

const flowFilterQuery = {
  type: 'object',
  properties: {
    table_id: tableId,
    out_port: { ...portNo, description: 'only flows that output to this port' },
    out_group: { type: 'integer', minimum: 0, maximum: 0xffffff00, description: 'only flows that output to this group' },
    cookie: { ...u64Schema, description: 'only flows whose cookie matches (under cookie_mask; all 64 bits when no mask is given)' },
    cookie_mask: { ...u64Schema, description: 'bits of cookie that must match; needs cookie' },
  },
  additionalProperties: false,
} as const;

interface FlowFilterQuery {
  table_id?: number;
  out_port?: number;
  out_group?: number;
  cookie?: string | number;
  cookie_mask?: string | number;
}

/** An array of decoded OpenFlow records: every field kept, 64-bit values as decimal strings. */
const records = (description: string) => ({ type: 'array', description, items: { type: 'object', additionalProperties: true } }) as const;

function flowFilter(q: FlowFilterQuery): FlowFilter {
  if (q.cookie_mask !== undefined && q.cookie === undefined) throw badRequest('cookie_mask needs a cookie to compare with');
  const cookie = q.cookie === undefined ? 0n : parseU64(q.cookie);
  const mask = q.cookie === undefined ? 0n : q.cookie_mask === undefined ? 0xffff_ffff_ffff_ffffn : parseU64(q.cookie_mask);
  if (cookie === undefined) throw badRequest(`cookie "${String(q.cookie)}" is not a 64-bit value: use decimal or 0x-hex`);
  if (mask === undefined) throw badRequest(`cookie_mask "${String(q.cookie_mask)}" is not a 64-bit value: use decimal or 0x-hex`);
  return { table_id: q.table_id ?? 'all', out_port: q.out_port ?? 'any', out_group: q.out_group ?? 'any', cookie, cookie_mask: mask, match: [] };
}

async function ask(sw: SwitchRecord, body: MultipartRequestBody): Promise<MultipartReplyBody[]> {
  return sw.link.multipart(body, STATS_TIMEOUT_MS);
}

/** Every list in the replies of one type, joined (a reply may come in several parts). */
function collect<T extends MultipartReplyBody['type'], R>(bodies: readonly MultipartReplyBody[], type: T, pick: (b: Extract<MultipartReplyBody, { type: T }>) => readonly R[]): R[] {
  const out: R[] = [];
  for (const b of bodies) if (b.type === type) out.push(...pick(b as Extract<MultipartReplyBody, { type: T }>));
  return out;
}

const json = <T>(v: readonly T[]): unknown[] => toJsonValue(v) as unknown[];

type Route<Q> = { Params: { dpid: string }; Querystring: Q };

function statsRoute<Q>(app: FastifyInstance, path: string, summary: string, query: object, response: object, handler: (sw: SwitchRecord, q: Q) => Promise<unknown>, ctx: ApiContext): void {
  app.get<Route<Q>>(`/switches/:dpid/stats/${path}`, {
    schema: { tags: ['statistics'], summary, params: dpidParams, querystring: query, response: { 200: response, ...errorResponses } },
  }, async (req) => handler(requireSwitch(ctx, req.params.dpid), req.query as Q));
}

/** Statistics straight from the switch (one multipart request per call), as JSON. */
export const statsRoutes: RouteModule = (app, ctx) => {
  const { core: ctl } = ctx;

  statsRoute<{ port_no?: number }>(app, 'ports', 'Port counters from the switch, with the rates of the periodic poll',
    { type: 'object', properties: { port_no: portNo }, additionalProperties: false },
    records('ofp_port_stats per port, plus `rates` (bps and pps between the last two periodic polls, or null)'),
    async (sw, q) => {
      if (q.port_no !== undefined && !sw.ports.has(q.port_no)) throw portNotFound(sw, q.port_no);
      const stats = collect(await ask(sw, { type: 'port_stats', port_no: q.port_no ?? 'any' }), 'port_stats', (b) => b.stats);
      return stats.map((s) => ({
        ...(toJsonValue(s) as object),
        rates: typeof s.port_no === 'number' ? ratesJson(ctl.stats.port(sw.dpid, s.port_no)?.rates) : null,
      }));
    }, ctx);

  statsRoute<FlowFilterQuery>(app, 'flows', 'Flow entries with their counters, as the switch reports them (OFPMP_FLOW)',
    flowFilterQuery, records('ofp_flow_stats: table_id, priority, cookie, counters, match, instructions'),
    async (sw, q) => json(collect(await ask(sw, { type: 'flow', ...flowFilter(q) }), 'flow', (b) => b.flows)), ctx);

  statsRoute<FlowFilterQuery>(app, 'aggregate', 'Totals over the selected flows (OFPMP_AGGREGATE)',
    flowFilterQuery,
    { type: 'object', properties: { packet_count: { type: 'string' }, byte_count: { type: 'string' }, flow_count: { type: 'integer' } }, required: ['packet_count', 'byte_count', 'flow_count'] },
    async (sw, q) => {
      const a = (await ask(sw, { type: 'aggregate', ...flowFilter(q) })).find((b) => b.type === 'aggregate');
      if (a === undefined || a.type !== 'aggregate') throw new Error(`switch ${sw.id} sent no aggregate statistics`);
      return { packet_count: a.packet_count.toString(), byte_count: a.byte_count.toString(), flow_count: a.flow_count };
    }, ctx);

  statsRoute<{ table_id?: number; active?: boolean }>(app, 'tables', 'Flow table counters (OFPMP_TABLE)',
    { type: 'object', properties: { table_id: tableId, active: { type: 'boolean', description: 'true: only tables holding at least one flow' } }, additionalProperties: false },
    records('ofp_table_stats: table_id, active_count, lookup_count, matched_count'),
    async (sw, q) => {
      const tables = collect(await ask(sw, { type: 'table' }), 'table', (b) => b.tables)
        .filter((t) => (q.table_id === undefined || t.table_id === q.table_id) && (q.active !== true || t.active_count > 0));
      return json(tables);
    }, ctx);

  statsRoute<{ port_no?: number; queue_id?: number }>(app, 'queues', 'Queue counters (OFPMP_QUEUE)',
    { type: 'object', properties: { port_no: portNo, queue_id: { type: 'integer', minimum: 0, maximum: 0xfffffffe } }, additionalProperties: false },
    records('ofp_queue_stats: port_no, queue_id, tx_bytes, tx_packets, tx_errors, duration'),
    async (sw, q) => {
      if (q.port_no !== undefined && !sw.ports.has(q.port_no)) throw portNotFound(sw, q.port_no);
      return json(collect(await ask(sw, { type: 'queue', port_no: q.port_no ?? 'any', queue_id: q.queue_id ?? 'all' }), 'queue', (b) => b.stats));
    }, ctx);

  statsRoute<{ group_id?: number }>(app, 'groups', 'Group counters (OFPMP_GROUP)',
    { type: 'object', properties: { group_id: { type: 'integer', minimum: 0, maximum: 0xffffff00 } }, additionalProperties: false },
    records('ofp_group_stats: group_id, ref_count, packet_count, byte_count, duration, bucket_stats'),
    async (sw, q) => json(collect(await ask(sw, { type: 'group', group_id: q.group_id ?? 'all' }), 'group', (b) => b.stats)), ctx);

  statsRoute<{ meter_id?: number }>(app, 'meters', 'Meter counters (OFPMP_METER)',
    { type: 'object', properties: { meter_id: { type: 'integer', minimum: 1, maximum: 0xffff0000 } }, additionalProperties: false },
    records('ofp_meter_stats: meter_id, flow_count, packet_in_count, byte_in_count, duration, band_stats'),
    async (sw, q) => json(collect(await ask(sw, { type: 'meter', meter_id: q.meter_id ?? 'all' }), 'meter', (b) => b.stats)), ctx);
};
