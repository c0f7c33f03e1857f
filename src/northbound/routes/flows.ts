import type { FastifyBaseLogger } from 'fastify';
import type { FlowStats } from '../../openflow/multipart/flow-stats.js';
import type { StaticFlowMod } from '../../core/static/static-store.js';
import { requestSelects } from '../../core/static/flow-filter.js';
import type { SwitchRecord } from '../../core/switches.js';
import type { RouteModule } from './route.js';
import { requireSwitch, type ApiContext } from '../context.js';
import { ApiError, badRequest } from '../errors.js';
import { dpidParams, errorResponses, errorSchema } from '../schemas.js';
import {
  flowAddFromJson, flowDeleteFromJson, flowModifyFromJson, flowToJson, statsOfAdd,
  type FlowAddBody, type FlowJson, type FlowModifyBody, type FlowSelector,
} from '../json/flow.js';
import {
  flowAddBody, flowDeleteBody, flowDeleteQuery, flowDeleteResult, flowListQuery, flowListSchema, flowModifyBody, flowSchema,
} from '../flow-schemas.js';
import { matchFromQuery, reachesControllerFlows, selectedFlows, selectorFromQuery, statsFilterFromQuery, type FlowQuery } from '../flow-query.js';
import { matchFromJson } from '../json/match.js';
import { flowWarnings } from '../flow-warnings.js';

interface DpidParams {
  readonly dpid: string;
}

/** The app whose cookie a flow carries, "api" for a flow in the static store, or null. */
function ownerOf(ctx: ApiContext, dpid: bigint, f: FlowStats): string | null {
  return ctx.core.flows.ownerOfStats(dpid, f);
}

function toJson(ctx: ApiContext, dpid: bigint, f: FlowStats): FlowJson {
  return flowToJson(dpid, f, ownerOf(ctx, dpid, f));
}

/** Put back the controller's own flows after a change that may have hit them; how many it re-added. */
async function restoreControllerFlows(ctx: ApiContext, sw: SwitchRecord, fm: StaticFlowMod, log: FastifyBaseLogger): Promise<number> {
  if (!reachesControllerFlows(fm)) return 0;
  try {
    return (await ctx.core.flows.reconcile(sw.dpid)).added;
  } catch (e) {
    log.warn({ switch: sw.id, err: String(e) }, 'reconcile after a REST flow change failed');
    return 0;
  }
}

/**
 * A delete narrowed to one owner: the selectors pick flows as the switch
 * would, the owner filter keeps those of "api" or of nobody, and each is
 * deleted strictly by its own cookie, so flows of other owners that the
 * same selectors reach are left alone. An app's flows are its desired
 * state: deleting them here would only have them re-installed.
 */
async function deleteOwned(ctx: ApiContext, sw: SwitchRecord, fm: StaticFlowMod, owner: string): Promise<{ dpid: string; stored_flows_removed: number; controller_flows_restored: number; flows_deleted: number }> {
  if (owner !== 'api' && owner !== 'none') {
    throw new ApiError(409, 'owned_by_app', `flows of "${owner}" are kept by that app and would be re-installed; disable it (POST /api/v1/apps/${owner}/disable) to remove its flows, or delete with owner "api" or "none"`);
  }
  const chosen = (await selectedFlows(sw, fm)).filter((f) => (ownerOf(ctx, sw.dpid, f) ?? 'none') === owner);
  if (chosen.length === 0 && fm.command === 'delete_strict') {
    throw new ApiError(404, 'flow_not_found', `no flow of owner "${owner}" with priority ${fm.priority} and exactly this match in table ${String(fm.table_id)}; nothing was deleted`);
  }
  const storedBefore = ctx.store.flows(sw.dpid).length;
  for (const f of chosen) {
    await ctx.store.apply(sw.dpid, { ...fm, command: 'delete_strict', table_id: f.table_id, priority: f.priority, match: f.match, cookie: f.cookie, cookie_mask: 0xffffffffffffffffn, out_port: 'any', out_group: 'any' });
  }
  return { dpid: sw.id, stored_flows_removed: storedBefore - ctx.store.flows(sw.dpid).length, controller_flows_restored: 0, flows_deleted: chosen.length };
}

const TAGS = ['flows'];

export const flowRoutes: RouteModule = (app, ctx) => {
  app.get<{ Params: DpidParams; Querystring: FlowQuery }>('/switches/:dpid/flows', {
    schema: {
      tags: TAGS,
      summary: 'Flows on a switch, read live (flow stats), with filters',
      description: 'Filters: table_id, cookie with cookie_mask, out_port, out_group and a match (OpenFlow non-strict: flows whose match is at least as specific), ' +
        'given as `match` JSON text and/or one parameter per OXM field (`?eth_type=2048&ipv4_dst=10.0.0.0/24`); `owner` keeps the flows of one owner. ' +
        'Each flow names its owner: an app (by cookie), "api" (added here and stored), or null.',
      params: dpidParams,
      querystring: flowListQuery,
      response: { 200: flowListSchema, ...errorResponses },
    },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    const filter = statsFilterFromQuery(req.query);
    const bodies = await sw.link.multipart(filter);
    let flows = bodies.flatMap((b) => (b.type === 'flow' ? b.flows : [])).map((f) => toJson(ctx, sw.dpid, f));
    const owner = req.query.owner;
    if (typeof owner === 'string') flows = flows.filter((f) => (owner === 'none' ? f.owner === null : f.owner === owner));
    return { dpid: sw.id, flows };
  });

  app.post<{ Params: DpidParams; Body: FlowAddBody }>('/switches/:dpid/flows', {
    schema: {
      tags: TAGS,
      summary: 'Add a flow (stored: re-installed when the switch reconnects or the controller restarts)',
      description: 'Answers 201 with the flow once a barrier confirmed the add (match normalised as switches report it; a timed flow gets send_flow_rem, ' +
        'so its expiry is heard and it is not re-installed after it expired). `actions` is shorthand for one apply_actions ' +
        'instruction. A switch\'s refusal (OFPT_ERROR) is a 400 naming the OpenFlow error type and code; 409 for check_overlap or a slot the controller\'s own flows hold.',
      params: dpidParams,
      body: flowAddBody,
      response: { 201: flowSchema, 409: errorSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    const fm = flowAddFromJson(req.body ?? {});
    const added = await ctx.store.apply(sw.dpid, fm);
    // The flow as confirmed, not re-read: a flow dump per add made adds four times slower on OVS, and the
    // match is already normalised the way switches report it (masked bits cleared, exact masks dropped).
    // Its owner is "api": the store refuses the controller's cookies, and it now holds this slot.
    const stored = added.stored?.instructions as Record<string, unknown>[] | undefined;
    const json = flowToJson(sw.dpid, statsOfAdd(added.msg as StaticFlowMod), 'api', stored);
    const warnings = flowWarnings(sw, fm.instructions);
    if (warnings.length > 0) req.log.info({ switch: sw.id, warnings }, 'flow added with warnings');
    return reply.status(201).send(warnings.length > 0 ? { ...json, warnings } : json);
  });

  app.patch<{ Params: DpidParams; Body: FlowModifyBody }>('/switches/:dpid/flows', {
    schema: {
      tags: TAGS,
      summary: 'Modify the instructions of the selected flows (strict or not)',
      description: 'Selects flows by table_id (default 0), match (required; {} for all), cookie/cookie_mask, and with strict=true exactly one flow by priority and match; ' +
        'their instructions become `actions`/`instructions` (cookies, timeouts and counters stay). Answers with the selected flows after the change; ' +
        '404 when a strict modify found no flow. Controller flows a non-cookie-selective modify touched are put back by a reconcile.',
      params: dpidParams,
      body: flowModifyBody,
      response: { 200: flowListSchema, ...errorResponses },
    },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    const fm = flowModifyFromJson(req.body ?? {});
    await ctx.store.apply(sw.dpid, fm);
    await restoreControllerFlows(ctx, sw, fm, req.log);
    const flows = await selectedFlows(sw, fm);
    if (flows.length === 0 && fm.command === 'modify_strict') {
      throw new ApiError(404, 'flow_not_found', `no flow in table ${String(fm.table_id)} with priority ${fm.priority} and exactly this match (and cookie); nothing was modified`);
    }
    return { dpid: sw.id, flows: flows.map((f) => toJson(ctx, sw.dpid, f)) };
  });

  app.delete<{ Params: DpidParams; Querystring: FlowQuery; Body: (FlowSelector & { readonly owner?: string }) | undefined }>('/switches/:dpid/flows', {
    schema: {
      tags: TAGS,
      summary: 'Delete the selected flows (strict or not); the controller\'s own flows come back',
      description: 'Selectors in a JSON body or in the query (not both): match (required unless selecting by cookie_mask, out_port or out_group; ' +
        'give {} to delete everything), table_id (default "all"), cookie/cookie_mask, out_port, out_group, and strict=true with priority for exactly one flow. ' +
        'Stored flows the delete selects are forgotten too. When the delete does not select on cookies (cookie_mask 0, or a mask that does not exclude the ' +
        'controller\'s cookies), the controller then reconciles the switch, so its own flows (table-miss, LLDP, app flows) are re-installed. 404 when a strict delete found no flow. ' +
        '`owner` narrows the delete like the GET filter: "api" (flows added here) or "none" (flows nobody owns, such as another controller\'s); an app\'s flows are a 409 (disable the app instead).',
      params: dpidParams,
      querystring: flowDeleteQuery,
      body: flowDeleteBody,
      response: { 200: flowDeleteResult, ...errorResponses },
    },
  }, async (req) => {
    const sw = requireSwitch(ctx, req.params.dpid);
    const body = req.body;
    const hasBody = body !== undefined && body !== null && Object.keys(body).length > 0;
    if (hasBody && Object.keys(req.query).length > 0) throw badRequest('give the delete selectors in the JSON body or in the query, not both');
    const { owner, ...sel } = hasBody ? body : { ...selectorFromQuery(req.query), owner: req.query.owner as string | undefined };
    const match = hasBody ? (body.match === undefined ? undefined : matchFromJson(body.match)) : matchFromQuery(req.query);
    const fm = flowDeleteFromJson(sel, match);
    if (owner !== undefined) return deleteOwned(ctx, sw, fm, owner);
    // A stored flow the switch does not hold (yet: a reconcile after a restart re-installs it) is still deleted:
    // answering 404 and keeping it would bring back a flow its owner deleted.
    if (fm.command === 'delete_strict' && !ctx.store.flows(sw.dpid).some((f) => requestSelects(fm, f)) && (await selectedFlows(sw, fm)).length === 0) {
      throw new ApiError(404, 'flow_not_found', `no flow with priority ${fm.priority} and exactly this match (and cookie) in table ${String(fm.table_id)}; nothing was deleted`);
    }
    const storedBefore = ctx.store.flows(sw.dpid).length;
    await ctx.store.apply(sw.dpid, fm);
    const stored = storedBefore - ctx.store.flows(sw.dpid).length;
    const restored = await restoreControllerFlows(ctx, sw, fm, req.log);
    return { dpid: sw.id, stored_flows_removed: stored, controller_flows_restored: restored };
  });
};
