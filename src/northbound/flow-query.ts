import type { FlowStats, FlowStatsRequest } from '../openflow/multipart/flow-stats.js';
import type { Match } from '../openflow/structs/match.js';
import { OXM_FIELD_BY_NAME } from '../openflow/structs/oxm.js';
import { MAGIC_COOKIE, MAGIC_MASK } from '../core/flows/cookie.js';
import { flowSlot } from '../core/static/flow-filter.js';
import type { StaticFlowMod } from '../core/static/static-store.js';
import type { SwitchRecord } from '../core/switches.js';
import { badRequest } from './errors.js';
import { matchFromJson } from './json/match.js';
import { flowDeleteFromJson, type FlowSelector } from './json/flow.js';

// Flow selection shared by the flow routes: the query-string form of a
// selector, flow dumps narrowed like the switch narrows a modify or delete,
// and whether a change can reach the controller's own flows.

/** Query parameters of GET and DELETE /switches/:dpid/flows (all text, parsed here). */
export type FlowQuery = Readonly<Record<string, string | number | boolean | undefined>>;

/** The match a query gives: `match` as JSON text, plus one parameter per OXM field; undefined when neither is there. */
export function matchFromQuery(q: FlowQuery): Match | undefined {
  let base: unknown;
  if (typeof q.match === 'string') {
    try {
      base = JSON.parse(q.match);
    } catch (e) {
      throw badRequest(`query match is not JSON (${(e as Error).message}); write it like match={"eth_type":2048} (URL-encoded)`);
    }
  }
  const fields = Object.keys(q).filter((k) => OXM_FIELD_BY_NAME.has(k));
  if (fields.length > 0) {
    if (Array.isArray(base)) throw badRequest('query match in the list form cannot be combined with field parameters; use the object form');
    const obj: Record<string, unknown> = { ...(base as Record<string, unknown> | undefined) };
    for (const k of fields) {
      if (k in obj) throw badRequest(`query gives ${k} twice (in match and as a parameter)`);
      obj[k] = q[k];
    }
    base = obj;
  }
  return base === undefined ? undefined : matchFromJson(base, 'query match');
}

/** A selector from query parameters (values checked by flowDeleteFromJson and friends). */
export function selectorFromQuery(q: FlowQuery): FlowSelector {
  const s = (k: string): string | undefined => (q[k] === undefined ? undefined : String(q[k]));
  return {
    ...(q.match !== undefined ? { match: q.match } : {}),
    ...(s('table_id') !== undefined ? { table_id: s('table_id') } : {}),
    ...(typeof q.priority === 'number' ? { priority: q.priority } : {}),
    ...(s('cookie') !== undefined ? { cookie: s('cookie') } : {}),
    ...(s('cookie_mask') !== undefined ? { cookie_mask: s('cookie_mask') } : {}),
    ...(s('out_port') !== undefined ? { out_port: s('out_port') } : {}),
    ...(s('out_group') !== undefined ? { out_group: s('out_group') } : {}),
    ...(typeof q.strict === 'boolean' ? { strict: q.strict } : {}),
  };
}

/** A GET filter: the flow stats request of a delete with the same selectors (table "all" unless given). */
export function statsFilterFromQuery(q: FlowQuery): FlowStatsRequest {
  const match = matchFromQuery(q);
  const sel = selectorFromQuery(q);
  // Built as a delete so the values are checked the same way; a filter may be empty (every flow).
  const fm = flowDeleteFromJson({ ...sel, match: match === undefined ? {} : sel.match, strict: false }, match ?? []);
  return statsRequestOf(fm);
}

export function statsRequestOf(fm: Pick<StaticFlowMod, 'table_id' | 'out_port' | 'out_group' | 'cookie' | 'cookie_mask' | 'match'>): FlowStatsRequest {
  return { type: 'flow', table_id: fm.table_id, out_port: fm.out_port, out_group: fm.out_group, cookie: fm.cookie, cookie_mask: fm.cookie_mask, match: fm.match };
}

/** The flows a modify or delete selects, as a flow dump shows them (strict: same priority and match). */
export async function selectedFlows(sw: SwitchRecord, fm: StaticFlowMod): Promise<FlowStats[]> {
  const bodies = await sw.link.multipart(statsRequestOf(fm));
  const flows = bodies.flatMap((b) => (b.type === 'flow' ? b.flows : []));
  const strict = fm.command === 'modify_strict' || fm.command === 'delete_strict';
  if (!strict) return flows;
  const slot = flowSlot({ table_id: 0, priority: fm.priority, match: fm.match });
  return flows.filter((f) => f.priority === fm.priority && flowSlot({ table_id: 0, priority: f.priority, match: f.match }) === slot);
}

/** Whether a modify or delete can select flows carrying the controller's cookie magic (so a reconcile must put them back). */
export function reachesControllerFlows(fm: Pick<StaticFlowMod, 'cookie' | 'cookie_mask'>): boolean {
  return ((fm.cookie ^ MAGIC_COOKIE) & fm.cookie_mask & MAGIC_MASK) === 0n;
}
