import type { CoreEventType } from '../core/events.js';

// Every core event type, checked against CoreEventMap at compile time so a new type cannot be forgotten here.
const ALL: Record<CoreEventType, true> = {
  'switch.up': true,
  'switch.down': true,
  'port.added': true,
  'port.modified': true,
  'port.removed': true,
  'link.up': true,
  'link.down': true,
  'host.added': true,
  'host.moved': true,
  'host.removed': true,
  'flow.removed': true,
  'flow.error': true,
  'stats.ports': true,
};

export const EVENT_TYPES: readonly CoreEventType[] = Object.keys(ALL) as CoreEventType[];

/** Periodic statistics are many and large: a client gets them only when it asks. */
const OPT_IN: ReadonlySet<CoreEventType> = new Set<CoreEventType>(['stats.ports']);

export type EventFilter = ReadonlySet<CoreEventType>;

/**
 * `types` as the client wrote it: comma-separated names (`link.up`),
 * prefixes (`link.*`) or `*`. Absent or `*` means every type except the
 * opt-in statistics, which come with `stats=1` or when named (`stats.ports`,
 * `stats.*`). Returns a message naming the bad entry when one is unknown.
 */
export function parseEventFilter(types: string | undefined, stats: boolean): EventFilter | { error: string } {
  const out = new Set<CoreEventType>();
  const entries = types === undefined ? ['*'] : types.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (entries.length === 0) return { error: 'types is empty: give event types separated by commas, e.g. types=link.up,link.down or types=link.*' };
  for (const entry of entries) {
    if (entry === '*') {
      for (const t of EVENT_TYPES) if (!OPT_IN.has(t)) out.add(t);
      continue;
    }
    if (entry.endsWith('.*')) {
      const prefix = entry.slice(0, -1);
      const hit = EVENT_TYPES.filter((t) => t.startsWith(prefix));
      if (hit.length === 0) return { error: `types: no event type starts with "${prefix}" (prefixes: ${prefixes().join(', ')})` };
      for (const t of hit) out.add(t);
      continue;
    }
    if (!(entry in ALL)) return { error: `types: "${entry}" is not an event type (known: ${EVENT_TYPES.join(', ')}; a prefix like link.* or * also works)` };
    out.add(entry as CoreEventType);
  }
  if (stats) for (const t of OPT_IN) out.add(t);
  return out;
}

function prefixes(): string[] {
  return [...new Set(EVENT_TYPES.map((t) => `${t.slice(0, t.indexOf('.'))}.*`))];
}
