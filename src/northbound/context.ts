import type { Core } from '../core/index.js';
import type { SwitchRecord } from '../core/switches.js';
import type { StaticStore } from '../core/static/static-store.js';
import type { ApiMetrics } from './metrics.js';
import { badRequest, notFound } from './errors.js';
import { formatDpid, parseDpid } from './ids.js';

/** What every route module gets: the core and the API's own services. */
export interface ApiContext {
  readonly core: Core;
  readonly store: StaticStore;
  readonly metrics: ApiMetrics;
}

/** A dpid from a path or query, or a 400 naming what was wrong. */
export function dpidParam(text: string | number): bigint {
  const d = parseDpid(text);
  if (d === undefined) throw badRequest(`"${String(text)}" is not a datapath id: use 16 hex digits (0000000000000001), 0x1, or decimal 1`);
  return d;
}

/** The connected switch, or a 404 that says which switches there are. */
export function requireSwitch(ctx: ApiContext, text: string | number): SwitchRecord {
  const dpid = dpidParam(text);
  const sw = ctx.core.switches.get(dpid);
  if (sw === undefined) {
    const known = ctx.core.switches.all().map((s) => s.id);
    throw notFound('switch', `switch ${formatDpid(dpid)} is not connected${known.length ? ` (connected: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''})` : ' (no switch is connected)'}`);
  }
  return sw;
}
