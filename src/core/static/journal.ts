import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * An append-only JSON-lines file: each change is one line, appended before
 * the caller is told it is done; load() replays it and rewrites it compacted.
 * Appends that arrive while one is being written go out together as one write.
 */
export class Journal<T> {
  private queue: string[] = [];
  private writing: Promise<void> | undefined;
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(readonly file: string) {}

  /** Every record in the file, in order; a torn last line (crash mid-write) is skipped. */
  async load(): Promise<T[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: T[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        out.push(JSON.parse(line) as T);
      } catch {
        // Only the last line can be torn; anything else would be a hand edit, skipped the same way.
      }
    }
    return out;
  }

  /** Replace the file with exactly these records (write to a temporary file, then rename). */
  async rewrite(records: readonly T[]): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = this.file + '.tmp';
    await writeFile(tmp, records.map((r) => JSON.stringify(r) + '\n').join(''));
    await rename(tmp, this.file);
  }

  /** Resolves once the record is in the file. */
  append(record: T): Promise<void> {
    this.queue.push(JSON.stringify(record) + '\n');
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.writing ??= this.drain();
    return p;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const lines = this.queue.join('');
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      // mkdir inside the try: a directory that cannot be made fails these appends, not the writer (which would hang every later one).
      try {
        await mkdir(dirname(this.file), { recursive: true });
        await appendFile(this.file, lines);
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e);
      }
    }
    this.writing = undefined;
  }
}
