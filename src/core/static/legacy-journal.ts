import { readFile, rename } from 'node:fs/promises';
import type { JsonValue, KvStore, StoreOp } from '../store/types.js';

interface LegacyRecord {
  readonly op: 'put' | 'del';
  readonly kind: 'flow' | 'group' | 'meter';
  readonly dpid: string;
  readonly key: string;
  readonly msg?: JsonValue;
}

/**
 * Versions before the state store kept static flows in a JSON-lines journal
 * (`<state-dir>/static.jsonl`). Replay it once into the store (the last
 * record per entry wins, as it did), then rename it to `.imported` so it is
 * neither read again nor lost. A torn last line (a crash mid-append) is
 * reported, not silently dropped.
 */
export async function importLegacyJournal(file: string, kv: KvStore, log: { info(o: object, m: string): void; warn(o: object, m: string): void }): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const entries = new Map<string, JsonValue | undefined>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let r: LegacyRecord;
    try {
      r = JSON.parse(line) as LegacyRecord;
    } catch {
      log.warn({ file, line: i + 1 }, i === lines.length - 1 ? 'the journal ends in a torn record (a crash mid-write); it is skipped' : 'skipping an unreadable journal line');
      return;
    }
    // The new store keys flows by its own slot; the message decides it at load time, so the old key is only a unique name here.
    const key = `${r.kind}/${r.dpid}/legacy-${r.key}`;
    entries.set(key, r.op === 'put' ? r.msg : undefined);
  });
  const ops: StoreOp[] = [];
  for (const [key, value] of entries) if (value !== undefined) ops.push({ op: 'put', key, value });
  if (ops.length > 0) await kv.batch(ops);
  await rename(file, file + '.imported');
  log.info({ file, entries: ops.length }, 'imported static flows from the old journal');
}
