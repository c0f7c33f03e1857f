// The checks of a lab against the OpenFlow messages tshark decoded. Pure, so
// a recorded capture's JSON can be evaluated in a unit test.
import type { Check, FieldWant, MessageMatch, SequenceItem } from './spec.js';
import { OFPT_NAMES, type OfMessage } from './of-messages.js';

export interface CheckRow {
  readonly label: string;
  readonly ok: boolean;
  readonly detail: string;
}

function fieldHolds(values: readonly string[] | undefined, want: FieldWant): boolean {
  const wants = typeof want === 'string' ? [want] : want;
  return wants.some((w) => {
    if (w === '!') return values === undefined;
    if (values === undefined) return false;
    if (w.startsWith('~')) {
      const re = new RegExp(w.slice(1));
      return values.some((v) => re.test(v));
    }
    return values.includes(w);
  });
}

export function matches(m: OfMessage, want: MessageMatch): boolean {
  if (want.type !== undefined && m.type !== want.type) return false;
  if (want.version !== undefined && m.version !== want.version) return false;
  if (want.from !== undefined && m.from !== want.from) return false;
  for (const [k, v] of Object.entries(want.fields ?? {})) if (!fieldHolds(m.fields.get(k), v)) return false;
  return true;
}

export function describe(want: MessageMatch): string {
  if (want.label) return want.label;
  const parts = [want.type !== undefined ? (OFPT_NAMES[want.type] ?? `type ${want.type}`) : 'any message'];
  if (want.from) parts.push(`from the ${want.from}`);
  for (const [k, v] of Object.entries(want.fields ?? {})) parts.push(`${k}=${String(v)}`);
  return parts.join(' ');
}

export function describeItem(item: SequenceItem): string {
  return 'anyOrder' in item ? item.anyOrder.map(describe).join(' and ') + ' (any order)' : describe(item);
}

/** How far an ordered sequence gets in one list of messages: the frames found, and the first item missing. */
function follow(msgs: readonly OfMessage[], seq: readonly SequenceItem[]): { found: number[]; missing: number } {
  const found: number[] = [];
  let at = 0; // the next item must come after msgs[at - 1]
  for (let i = 0; i < seq.length; i++) {
    const item = seq[i];
    if (item === undefined) break;
    const group = 'anyOrder' in item ? item.anyOrder : [item];
    let end = at;
    for (const want of group) {
      const k = msgs.findIndex((m, j) => j >= at && matches(m, want));
      if (k < 0) return { found, missing: i };
      found.push(msgs[k]?.frame ?? 0);
      end = Math.max(end, k + 1);
    }
    at = end;
  }
  return { found, missing: seq.length };
}

function evaluateSequence(msgs: readonly OfMessage[], c: Extract<Check, { kind: 'sequence' }>): CheckRow {
  const groups = new Map<number, OfMessage[]>();
  for (const m of msgs) {
    const key = c.per === 'capture' ? 0 : m.stream;
    const g = groups.get(key) ?? [];
    g.push(m);
    groups.set(key, g);
  }
  const selected = [...groups.entries()].filter(([, g]) => c.in === undefined || g.some((m) => c.in !== undefined && matches(m, c.in)));
  if (selected.length === 0) return { label: c.label, ok: false, detail: c.in ? `no connection has ${describe(c.in)}` : 'no OpenFlow messages in the capture' };
  const results = selected.map(([stream, g]) => ({ stream, dpid: g.find((m) => m.dpid)?.dpid ?? null, ...follow(g, c.messages) }));
  const complete = results.filter((r) => r.missing === c.messages.length);
  const need = c.connections === 'all' ? selected.length : (c.connections ?? 1);
  const where = (r: (typeof results)[number]): string => (c.per === 'capture' ? 'capture' : `tcp.stream ${r.stream}${r.dpid ? ` (dpid ${r.dpid})` : ''}`);
  if (complete.length >= need) {
    const r = complete[0];
    return { label: c.label, ok: true, detail: r ? `${where(r)}: frames ${r.found.join(', ')}${complete.length > 1 ? ` (+${complete.length - 1} more)` : ''}` : '' };
  }
  const worst = results.filter((r) => r.missing < c.messages.length).sort((a, b) => b.missing - a.missing)[0];
  const miss = worst ? c.messages[worst.missing] : undefined;
  return {
    label: c.label,
    ok: false,
    detail: worst && miss
      ? `${complete.length}/${need} connections complete; ${where(worst)}: ${describeItem(miss)} not found` +
        (worst.found.length ? ` after frame ${worst.found[worst.found.length - 1]}` : '')
      : `${complete.length}/${need} connections complete`,
  };
}

function bounds(n: number, min: number | undefined, max: number | undefined): boolean {
  return n >= (min ?? 1) && (max === undefined || n <= max);
}

export function boundsText(min: number | undefined, max: number | undefined): string {
  const lo = min ?? 1;
  if (max === undefined) return `>= ${lo}`;
  return lo === max ? `exactly ${lo}` : `${lo}..${max}`;
}

/** One row per message check (`frames` checks need tshark itself: run-lab.ts does those). */
export function evaluateMessages(msgs: readonly OfMessage[], checks: readonly Check[]): CheckRow[] {
  const rows: CheckRow[] = [];
  for (const c of checks) {
    if (c.kind === 'sequence') rows.push(evaluateSequence(msgs, c));
    else if (c.kind === 'count') {
      const hits = msgs.filter((m) => matches(m, c.match));
      rows.push({
        label: c.label,
        ok: bounds(hits.length, c.min, c.max),
        detail: `${hits.length} ${describe(c.match)} (want ${boundsText(c.min, c.max)})${hits.length ? `; first in frame ${hits[0]?.frame}` : ''}`,
      });
    }
  }
  return rows;
}
