import type { FlowStats } from '../../openflow/multipart/flow-stats.js';
import { parseCookie } from './cookie.js';
import { slotOfStats, statsMatchDesired, type DesiredFlow } from './flow-spec.js';
import type { TableRegistry } from './tables.js';

/** What to do so a switch holds exactly the desired flows of ours. */
export interface ReconcilePlan {
  /** Desired flows missing from the switch or different there (an add replaces the slot). */
  readonly add: DesiredFlow[];
  /** Flows with our magic that nobody desires: stale generations, removed apps, forgotten keys. */
  readonly remove: FlowStats[];
  /** Flows with a timeout that the switch no longer has: they expired while we were not listening. */
  readonly forget: DesiredFlow[];
  /** Desired flows already present and identical: left alone (no counter reset, no duplicate). */
  readonly kept: number;
}

/**
 * Pure: compares the desired cache of one switch (by slot) with a dump of the
 * switch's flows that carry our magic. Flows without our magic never get
 * here (the dump is filtered by cookie) and are never touched.
 *
 * Timed flows that are missing are forgotten rather than re-added: the
 * likeliest reason is that they expired unobserved, and their owner
 * re-learns them from traffic (as Faucet treats learned flows). Permanent
 * flows are re-added.
 */
export function planReconcile(desired: ReadonlyMap<string, DesiredFlow>, present: readonly FlowStats[], tables: TableRegistry): ReconcilePlan {
  const add: DesiredFlow[] = [];
  const remove: FlowStats[] = [];
  const forget: DesiredFlow[] = [];
  const seen = new Set<string>();
  let kept = 0;
  for (const s of present) {
    if (parseCookie(s.cookie) === undefined) continue; // a switch that ignored the cookie filter
    const slot = slotOfStats(s, tables);
    const d = desired.get(slot);
    if (d === undefined) remove.push(s);
    else {
      seen.add(slot);
      if (statsMatchDesired(s, d)) kept++;
      else add.push(d);
    }
  }
  for (const [slot, d] of desired) {
    if (seen.has(slot)) continue;
    if (d.idleTimeout !== 0 || d.hardTimeout !== 0) forget.push(d);
    else add.push(d);
  }
  return { add, remove, forget, kept };
}
