import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JsonValue, KvStore, StoreOp } from '../store/types.js';

interface LegacyRecord {
  readonly op: 'put' | 'del';
  readonly kind: 'flow' | 'group' | 'meter';
  readonly dpid: string;
  readonly key: string;
  readonly msg?: JsonValue;
}

interface Log {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
}

const RECORD_START = '{"op":';

/**
 * One journal line as records. The old journal appended after a torn line
 * without repairing it, so an acknowledged record can sit on the same line,
 * right after the fragment a crash left: the line is read from each record
 * start until one parses to its end.
 */
function recordsOf(line: string): { record: LegacyRecord | undefined; tornPrefix: number } {
  for (let at = 0; at >= 0; at = line.indexOf(RECORD_START, at + 1)) {
    try {
      return { record: JSON.parse(line.slice(at)) as LegacyRecord, tornPrefix: at };
    } catch {
      // not a whole record from here: try the next record start
    }
  }
  return { record: undefined, tornPrefix: line.length };
}

/**
 * Versions before the state store kept static flows in a JSON-lines journal
 * (`<state-dir>/static.jsonl`). Replay it once into the store (the last
 * record per entry wins, as it did), then rename it to `.imported` so it is
 * neither read again nor lost. Nothing is ever appended to it again, so
 * there is no torn tail to repair in place: a torn record (a crash
 * mid-append) is logged with its line, and a whole record written after it
 * on the same line is kept. The rename is made durable (directory fsync)
 * before the controller accepts changes: a journal that came back after a
 * power cut would be imported again over them.
 */
export async function importLegacyJournal(file: string, kv: KvStore, log: Log): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const entries = new Map<string, JsonValue | undefined>();
  const lines = text.split('\n');
  let torn = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const { record: r, tornPrefix } = recordsOf(line);
    if (tornPrefix > 0) {
      torn++;
      const where = i === lines.length - 1 ? 'the journal ends in a torn record (a crash mid-write)' : 'a torn journal record (a crash mid-write)';
      log.warn({ file, line: i + 1, tornBytes: tornPrefix, kept: r !== undefined }, r === undefined ? `${where}; it is skipped` : `${where}; the record written after it on the same line is kept`);
    }
    if (r === undefined || typeof r.kind !== 'string' || typeof r.dpid !== 'string') return;
    // The new store keys flows by its own slot; the message decides it at load time, so the old key is only a unique name here.
    const key = `${r.kind}/${r.dpid}/legacy-${r.key}`;
    entries.set(key, r.op === 'put' ? r.msg : undefined);
  });
  const ops: StoreOp[] = [];
  for (const [key, value] of entries) if (value !== undefined) ops.push({ op: 'put', key, value });
  if (ops.length > 0) await kv.batch(ops);
  await rename(file, file + '.imported');
  await fsyncDir(dirname(file));
  log.info({ file, entries: ops.length, tornRecords: torn }, 'imported static flows from the old journal');
}

async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
