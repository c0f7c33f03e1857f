import type { MeterStats } from '../../openflow/multipart/meter-stats.js';
import { OfpErrorReply } from '../../openflow/channel/errors.js';
import type { SwitchRecord } from '../../core/switches.js';
import type { StaticMeterMod } from '../../core/static/static-store.js';
import type { RouteModule } from './route.js';
import { requireSwitch, type ApiContext } from '../context.js';
import { ApiError, openflowErrorBody } from '../errors.js';
import { dpidSchema, dpidParams, errorResponses, errorSchema } from '../schemas.js';
import {
  meterAddBody, meterDeleteMod, meterIdSchema, meterModFromJson, meterPutBody, meterSchema, meterToJson,
  type MeterBody, type MeterJson,
} from '../json/group-meter.js';

interface DpidParams {
  readonly dpid: string;
}
interface MeterParams extends DpidParams {
  readonly meter_id: number;
}

const meterParams = {
  type: 'object',
  properties: { dpid: dpidSchema, meter_id: meterIdSchema },
  required: ['dpid', 'meter_id'],
  additionalProperties: false,
} as const;

const TAGS = ['meters'];

/** Every meter on the switch (meter_config) with its counters (meter stats), read live. */
async function readMeters(ctx: ApiContext, sw: SwitchRecord): Promise<MeterJson[]> {
  const [configs, stats] = await Promise.all([
    sw.link.multipart({ type: 'meter_config', meter_id: 'all' }),
    sw.link.multipart({ type: 'meter', meter_id: 'all' }),
  ]);
  const byId = new Map<unknown, MeterStats>();
  for (const b of stats) if (b.type === 'meter') for (const s of b.stats) byId.set(s.meter_id, s);
  const stored = new Set(ctx.store.meters(sw.dpid).map((m) => m.meter_id));
  const out: MeterJson[] = [];
  for (const b of configs) {
    if (b.type !== 'meter_config') continue;
    for (const c of b.configs) out.push(meterToJson(sw.id, c, byId.get(c.meter_id), stored.has(c.meter_id)));
  }
  return out.sort((a, b) => Number(a.meter_id) - Number(b.meter_id));
}

async function readMeter(ctx: ApiContext, sw: SwitchRecord, id: number): Promise<MeterJson> {
  const m = (await readMeters(ctx, sw)).find((x) => x.meter_id === id);
  if (m === undefined) throw new ApiError(404, 'meter_not_found', `switch ${sw.id} has no meter ${id}`);
  return m;
}

/** The switch's refusal, with the statuses a REST client expects for "already there" and "not there". */
async function applyMeter(ctx: ApiContext, sw: SwitchRecord, mm: StaticMeterMod): Promise<void> {
  try {
    await ctx.store.apply(sw.dpid, mm);
  } catch (e) {
    if (e instanceof OfpErrorReply && e.code === 'meter_exists') throw new ApiError(409, 'openflow_error', e.message, openflowErrorBody(e).details);
    if (e instanceof OfpErrorReply && e.code === 'unknown_meter') throw new ApiError(404, 'meter_not_found', e.message, openflowErrorBody(e).details);
    throw e;
  }
}

export const meterRoutes: RouteModule = (app, ctx) => {
  app.get<{ Params: DpidParams }>('/switches/:dpid/meters', {
    schema: {
      tags: TAGS,
      summary: 'Meters on a switch with their counters, read live',
      params: dpidParams,
      response: { 200: { type: 'object', properties: { dpid: dpidSchema, meters: { type: 'array', items: meterSchema } }, required: ['dpid', 'meters'] }, ...errorResponses },
    },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    return { dpid: sw.id, meters: await readMeters(ctx, sw) };
  });

  app.get<{ Params: MeterParams }>('/switches/:dpid/meters/:meter_id', {
    schema: { tags: TAGS, summary: 'One meter with its counters', params: meterParams, response: { 200: meterSchema, ...errorResponses } },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    return readMeter(ctx, sw, req.params.meter_id);
  });

  app.post<{ Params: DpidParams; Body: MeterBody }>('/switches/:dpid/meters', {
    schema: {
      tags: TAGS,
      summary: 'Add a meter (stored: re-installed when the switch reconnects)',
      description: '201 with the meter once a barrier confirmed it; 409 when the switch already has a meter with this id (PUT modifies it); ' +
        'a switch\'s other refusals (e.g. a band type it does not support) are 400s naming the OpenFlow error.',
      params: dpidParams,
      body: meterAddBody,
      response: { 201: meterSchema, 409: errorSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    const mm = meterModFromJson(req.body, 'add');
    await applyMeter(ctx, sw, mm);
    return reply.status(201).send(await readMeter(ctx, sw, mm.meter_id as number));
  });

  app.put<{ Params: MeterParams; Body: MeterBody }>('/switches/:dpid/meters/:meter_id', {
    schema: {
      tags: TAGS,
      summary: 'Replace a meter\'s flags and bands',
      description: '404 when the switch has no such meter.',
      params: meterParams,
      body: meterPutBody,
      response: { 200: meterSchema, ...errorResponses },
    },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    const mm = meterModFromJson(req.body, 'modify', req.params.meter_id);
    await readMeter(ctx, sw, req.params.meter_id);
    await applyMeter(ctx, sw, mm);
    return readMeter(ctx, sw, req.params.meter_id);
  });

  app.delete<{ Params: MeterParams }>('/switches/:dpid/meters/:meter_id', {
    schema: {
      tags: TAGS,
      summary: 'Delete a meter (and, as OpenFlow does, the flows that use it)',
      params: meterParams,
      response: {
        200: {
          type: 'object',
          properties: { dpid: dpidSchema, meter_id: { type: 'integer' }, stored_flows_removed: { type: 'integer', description: 'stored flows that used the meter, gone with it' } },
          required: ['dpid', 'meter_id', 'stored_flows_removed'],
        },
        ...errorResponses,
      },
    },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    await readMeter(ctx, sw, req.params.meter_id);
    const before = ctx.store.flows(sw.dpid).length;
    await applyMeter(ctx, sw, meterDeleteMod(req.params.meter_id));
    return { dpid: sw.id, meter_id: req.params.meter_id, stored_flows_removed: before - ctx.store.flows(sw.dpid).length };
  });
};
