import type { GroupDesc } from '../../openflow/multipart/group-desc.js';
import type { GroupStats } from '../../openflow/multipart/group-stats.js';
import { OfpErrorReply } from '../../openflow/channel/errors.js';
import type { SwitchRecord } from '../../core/switches.js';
import type { RouteModule } from './route.js';
import { requireSwitch, type ApiContext } from '../context.js';
import { ApiError, openflowErrorBody } from '../errors.js';
import { dpidSchema, dpidParams, errorResponses, errorSchema } from '../schemas.js';
import {
  groupAddBody, groupDeleteMod, groupIdSchema, groupModFromJson, groupPutBody, groupSchema, groupToJson,
  type GroupBody, type GroupJson,
} from '../json/group-meter.js';

interface DpidParams {
  readonly dpid: string;
}
interface GroupParams extends DpidParams {
  readonly group_id: number;
}

const groupParams = {
  type: 'object',
  properties: { dpid: dpidSchema, group_id: groupIdSchema },
  required: ['dpid', 'group_id'],
  additionalProperties: false,
} as const;

const TAGS = ['groups'];

/** Every group on the switch (group_desc) with its counters (group stats), read live. */
async function readGroups(ctx: ApiContext, sw: SwitchRecord): Promise<GroupJson[]> {
  const [descs, stats] = await Promise.all([sw.link.multipart({ type: 'group_desc' }), sw.link.multipart({ type: 'group', group_id: 'all' })]);
  const byId = new Map<unknown, GroupStats>();
  for (const b of stats) if (b.type === 'group') for (const s of b.stats) byId.set(s.group_id, s);
  const stored = new Set(ctx.store.groups(sw.dpid).map((g) => g.group_id));
  const out: GroupJson[] = [];
  for (const b of descs) {
    if (b.type !== 'group_desc') continue;
    for (const d of b.groups as readonly GroupDesc[]) out.push(groupToJson(sw.id, d, byId.get(d.group_id), stored.has(d.group_id)));
  }
  return out.sort((a, b) => a.group_id - b.group_id);
}

async function readGroup(ctx: ApiContext, sw: SwitchRecord, id: number): Promise<GroupJson> {
  const g = (await readGroups(ctx, sw)).find((x) => x.group_id === id);
  if (g === undefined) throw new ApiError(404, 'group_not_found', `switch ${sw.id} has no group ${id}`);
  return g;
}

/** The switch's refusal, with the statuses a REST client expects for "already there" and "not there". */
async function applyGroup(ctx: ApiContext, sw: SwitchRecord, gm: Parameters<ApiContext['store']['apply']>[1]): Promise<void> {
  try {
    await ctx.store.apply(sw.dpid, gm);
  } catch (e) {
    if (e instanceof OfpErrorReply && e.code === 'group_exists') throw new ApiError(409, 'openflow_error', e.message, openflowErrorBody(e).details);
    if (e instanceof OfpErrorReply && e.code === 'unknown_group') throw new ApiError(404, 'group_not_found', e.message, openflowErrorBody(e).details);
    throw e;
  }
}

export const groupRoutes: RouteModule = (app, ctx) => {
  app.get<{ Params: DpidParams }>('/switches/:dpid/groups', {
    schema: {
      tags: TAGS,
      summary: 'Groups on a switch with their counters, read live',
      params: dpidParams,
      response: { 200: { type: 'object', properties: { dpid: dpidSchema, groups: { type: 'array', items: groupSchema } }, required: ['dpid', 'groups'] }, ...errorResponses },
    },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    return { dpid: sw.id, groups: await readGroups(ctx, sw) };
  });

  app.get<{ Params: GroupParams }>('/switches/:dpid/groups/:group_id', {
    schema: { tags: TAGS, summary: 'One group with its counters', params: groupParams, response: { 200: groupSchema, ...errorResponses } },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    return readGroup(ctx, sw, req.params.group_id);
  });

  app.post<{ Params: DpidParams; Body: GroupBody }>('/switches/:dpid/groups', {
    schema: {
      tags: TAGS,
      summary: 'Add a group (stored: re-installed when the switch reconnects)',
      description: '201 with the group once a barrier confirmed it; 409 when the switch already has a group with this id (PUT modifies it); ' +
        'a switch\'s other refusals are 400s naming the OpenFlow error.',
      params: dpidParams,
      body: groupAddBody,
      response: { 201: groupSchema, 409: errorSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    const gm = groupModFromJson(req.body, 'add');
    await applyGroup(ctx, sw, gm);
    return reply.status(201).send(await readGroup(ctx, sw, gm.group_id as number));
  });

  app.put<{ Params: GroupParams; Body: GroupBody }>('/switches/:dpid/groups/:group_id', {
    schema: {
      tags: TAGS,
      summary: 'Replace a group\'s type and buckets',
      description: '404 when the switch has no such group.',
      params: groupParams,
      body: groupPutBody,
      response: { 200: groupSchema, ...errorResponses },
    },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    const gm = groupModFromJson(req.body, 'modify', req.params.group_id);
    await readGroup(ctx, sw, req.params.group_id);
    await applyGroup(ctx, sw, gm);
    return readGroup(ctx, sw, req.params.group_id);
  });

  app.delete<{ Params: GroupParams }>('/switches/:dpid/groups/:group_id', {
    schema: {
      tags: TAGS,
      summary: 'Delete a group (and, as OpenFlow does, the flows that forward to it)',
      params: groupParams,
      response: {
        200: {
          type: 'object',
          properties: { dpid: dpidSchema, group_id: { type: 'integer' }, stored_flows_removed: { type: 'integer', description: 'stored flows that forwarded to the group, gone with it' } },
          required: ['dpid', 'group_id', 'stored_flows_removed'],
        },
        ...errorResponses,
      },
    },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    await readGroup(ctx, sw, req.params.group_id);
    const before = ctx.store.flows(sw.dpid).length;
    await applyGroup(ctx, sw, groupDeleteMod(req.params.group_id));
    return { dpid: sw.id, group_id: req.params.group_id, stored_flows_removed: before - ctx.store.flows(sw.dpid).length };
  });
};
