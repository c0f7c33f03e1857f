// Text for the panels: rates, matches, actions, trace outcomes. Pure.

export function formatBps(bps: number): string {
  if (!Number.isFinite(bps) || bps <= 0) return '0 bit/s';
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let v = bps;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** Utilisation levels for colour and legend, by absolute rate (the API does not know a link's capacity for every switch). */
export const LEVELS = [
  { min: 0, label: 'idle', color: '#9aa5b1' },
  { min: 1_000, label: '≥ 1 kbit/s', color: '#3f9b5b' },
  { min: 1_000_000, label: '≥ 1 Mbit/s', color: '#d9a21b' },
  { min: 10_000_000, label: '≥ 10 Mbit/s', color: '#e8692c' },
  { min: 100_000_000, label: '≥ 100 Mbit/s', color: '#c62828' },
] as const;

export function levelOf(bps: number): number {
  let l = 0;
  for (let i = 0; i < LEVELS.length; i++) if (bps >= LEVELS[i]!.min) l = i;
  return l;
}

/** Edge width in px: grows with the log of the rate. */
export function widthOf(bps: number): number {
  if (bps < 1000) return 2;
  return Math.min(10, 2 + Math.log10(bps / 1000) * 1.4);
}

function value(v: unknown): string {
  if (v !== null && typeof v === 'object' && 'value' in (v as object)) {
    const m = v as { value: unknown; mask: unknown };
    return `${String(m.value)}/${String(m.mask)}`;
  }
  return Array.isArray(v) ? v.join('|') : String(v);
}

export function matchText(m: Record<string, unknown>): string {
  const parts = Object.entries(m).map(([k, v]) => `${k}=${value(v)}`);
  return parts.length ? parts.join(', ') : '(any)';
}

export function actionText(a: Record<string, unknown>): string {
  switch (a.type) {
    case 'output': return `output:${String(a.port)}`;
    case 'group': return `group:${String(a.group_id)}`;
    case 'set_field': return `set ${String(a.field)}=${value(a.value)}`;
    case 'push_vlan': return 'push_vlan';
    case 'pop_vlan': return 'pop_vlan';
    default: {
      const rest = Object.entries(a).filter(([k]) => k !== 'type').map(([k, v]) => `${k}=${value(v)}`);
      return rest.length ? `${String(a.type)}(${rest.join(',')})` : String(a.type);
    }
  }
}

/** A flow's instructions as one line: apply/write actions, goto, metadata. */
export function instructionsText(ins: readonly Record<string, unknown>[]): string {
  if (ins.length === 0) return 'drop';
  return ins.map((i) => {
    switch (i.type) {
      case 'apply_actions': {
        const acts = (i.actions as Record<string, unknown>[]) ?? [];
        return acts.length ? acts.map(actionText).join(', ') : 'drop';
      }
      case 'write_actions': return `write(${((i.actions as Record<string, unknown>[]) ?? []).map(actionText).join(', ')})`;
      case 'goto_table': return `goto:${String(i.table_id)}`;
      case 'clear_actions': return 'clear_actions';
      case 'write_metadata': return `metadata=${String(i.metadata)}/${String(i.metadata_mask)}`;
      case 'meter': return `meter:${String(i.meter_id)}`;
      default: return String(i.type);
    }
  }).join('; ');
}

export interface OutcomeJson {
  readonly kind: string;
  readonly port_no?: number | string;
  readonly to?: { dpid: string; port_no: number };
  readonly host?: { mac: string; ipv4: readonly string[]; name?: string } | null;
  readonly reason?: string;
  readonly detail?: string;
  readonly first_hop?: number;
}

export function outcomeText(o: OutcomeJson, nameOf: (dpid: string) => string): string {
  switch (o.kind) {
    case 'forwarded': return `port ${String(o.port_no)} → ${nameOf(o.to!.dpid)} port ${o.to!.port_no}`;
    case 'delivered': return o.host ? `delivered to ${o.host.name ?? o.host.ipv4[0] ?? o.host.mac} (port ${String(o.port_no)})` : `out of edge port ${String(o.port_no)} (no known host there)`;
    case 'controller': return 'sent to the controller';
    case 'local': return 'to the switch\'s local port';
    case 'normal': return 'to the switch\'s NORMAL pipeline';
    case 'dropped': return `dropped: ${o.detail ?? o.reason ?? ''}`;
    case 'looped': return `port ${String(o.port_no)} → ${nameOf(o.to!.dpid)}: a loop (it was there at step ${(o.first_hop ?? 0) + 1} with the same header)`;
    case 'truncated': return `port ${String(o.port_no)} → ${nameOf(o.to!.dpid)}: not followed (hop limit)`;
    default: return o.kind;
  }
}

export function ownerText(owner: string | null | undefined): string {
  return owner ?? 'unknown';
}
