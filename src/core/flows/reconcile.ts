import type { FlowStats } from '../../openflow/multipart/flow-stats.js';
import type { GroupDesc } from '../../openflow/multipart/group-desc.js';
import type { MeterConfig } from '../../openflow/multipart/meter-config.js';
import { Writer } from '../../openflow/writer.js';
import { encodeBuckets } from '../../openflow/structs/bucket.js';
import { encodeMeterBands } from '../../openflow/structs/meter-band.js';
import { parseCookie } from './cookie.js';
import { slotOfStats, statsMatchDesired, type DesiredFlow } from './flow-spec.js';
import type { GroupEntry, MeterEntry } from './switch-state.js';
import type { TableRegistry } from './tables.js';

/** What to do so a switch holds exactly the desired flows. */
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
 * Pure: compares the desired flows of one switch (by slot) with a dump of
 * the switch's flows. A flow with our cookie magic that nobody desires is
 * removed; a flow without it is someone else's (ovs-ofctl, another
 * controller) and never touched, unless it sits in a slot the API's owner
 * desires, where it counts as present when it is identical.
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
    const ours = parseCookie(s.cookie) !== undefined;
    const slot = slotOfStats(s, tables);
    const d = desired.get(slot);
    if (d === undefined) {
      if (ours) remove.push(s);
      continue;
    }
    if (!ours && d.owner !== 'api') continue; // a stranger's flow in an app's slot: the add below replaces it
    seen.add(slot);
    if (statsMatchDesired(s, d)) kept++;
    else add.push(d);
  }
  for (const [slot, d] of desired) {
    if (seen.has(slot)) continue;
    if (d.idleTimeout !== 0 || d.hardTimeout !== 0) forget.push(d);
    else add.push(d);
  }
  return { add, remove, forget, kept };
}

const w = new Writer(1024);
function bytesOf(fn: (w: Writer) => void): string {
  w.reset();
  fn(w);
  return w.buf.toString('latin1', 0, w.pos);
}

/** Group and meter mods that make the switch hold the desired ones: add what is missing, modify what differs; others are left alone. */
export function planGroupsAndMeters(
  groups: ReadonlyMap<number, GroupEntry>,
  presentGroups: readonly GroupDesc[] | undefined,
  meters: ReadonlyMap<number, MeterEntry>,
  presentMeters: readonly MeterConfig[] | undefined,
): { groups: GroupEntry[]; meters: MeterEntry[] } {
  const outG: GroupEntry[] = [];
  const haveG = new Map<unknown, GroupDesc>((presentGroups ?? []).map((g) => [g.group_id, g]));
  for (const g of groups.values()) {
    const p = haveG.get(g.group_id);
    if (p === undefined) outG.push({ ...g, command: 'add' });
    else if (String(p.group_type) !== String(g.group_type) || bytesOf((x) => encodeBuckets(x, p.buckets)) !== bytesOf((x) => encodeBuckets(x, g.buckets))) {
      outG.push({ ...g, command: 'modify' });
    }
  }
  const outM: MeterEntry[] = [];
  const haveM = new Map<unknown, MeterConfig>((presentMeters ?? []).map((m) => [m.meter_id, m]));
  for (const m of meters.values()) {
    const p = haveM.get(m.meter_id);
    if (p === undefined) outM.push({ ...m, command: 'add' });
    else if ([...p.flags].sort().join() !== [...m.flags].sort().join() || bytesOf((x) => encodeMeterBands(x, p.bands)) !== bytesOf((x) => encodeMeterBands(x, m.bands))) {
      outM.push({ ...m, command: 'modify' });
    }
  }
  return { groups: outG, meters: outM };
}
