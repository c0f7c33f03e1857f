import { CORE_EVENT_TYPES } from '../core/events.js';

/** Periodic statistics are many and large: a client gets them only when it asks. */
const OPT_IN: ReadonlySet<string> = new Set<string>(['stats.ports']);

export type EventFilter = ReadonlySet<string>;

/** Every type the stream can carry: core's and those the defined apps declare. */
export function knownEventTypes(appTypes: readonly string[]): string[] {
  return [...CORE_EVENT_TYPES, ...appTypes];
}

/**
 * `types` as the client wrote it: comma-separated names (`link.up`),
 * prefixes (`link.*`) or `*`. Absent or `*` means every type except the
 * opt-in statistics, which come with `stats=1` or when named (`stats.ports`,
 * `stats.*`). Returns a message naming the bad entry when one is unknown.
 */
export function parseEventFilter(types: string | undefined, stats: boolean, known: readonly string[]): EventFilter | { error: string } {
  const out = new Set<string>();
  const entries = types === undefined ? ['*'] : types.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (entries.length === 0) return { error: 'types is empty: give event types separated by commas, e.g. types=link.up,link.down or types=link.*' };
  const all = new Set(known);
  for (const entry of entries) {
    if (entry === '*') {
      for (const t of known) if (!OPT_IN.has(t)) out.add(t);
      continue;
    }
    if (entry.endsWith('.*')) {
      const prefix = entry.slice(0, -1);
      const hit = known.filter((t) => t.startsWith(prefix));
      if (hit.length === 0) return { error: `types: no event type starts with "${prefix}" (prefixes: ${prefixes(known).join(', ')})` };
      for (const t of hit) out.add(t);
      continue;
    }
    if (!all.has(entry)) return { error: `types: "${entry}" is not an event type (known: ${known.join(', ')}; a prefix like link.* or * also works)` };
    out.add(entry);
  }
  if (stats) for (const t of OPT_IN) out.add(t);
  return out;
}

function prefixes(known: readonly string[]): string[] {
  return [...new Set(known.map((t) => `${t.slice(0, t.indexOf('.'))}.*`))];
}
