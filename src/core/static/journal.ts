import { appendFile, mkdir, open, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * An append-only JSON-lines file: each change is one line, appended before
 * the caller is told it is done; load() replays it and rewrites it compacted.
 * Appends that arrive while one is being written go out together as one write,
 * through a handle kept open rather than opening and closing the file per
 * batch (a stream of REST flow adds is a batch every few hundred µs); close()
 * lets it go.
 */
export class Journal<T> {
  private queue: string[] = [];
  private writing: Promise<void> | undefined;
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private handle: FileHandle | undefined;
  private closed = false;

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
    // The open handle would go on appending to the replaced file: finish pending appends, then drop it.
    await this.writing;
    await this.release();
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

  /** Wait for pending appends and close the file; an append after this still lands, opening the file just for it. */
  async close(): Promise<void> {
    this.closed = true;
    await this.writing;
    await this.release();
  }

  private async release(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }

  private async write(lines: string): Promise<void> {
    if (this.closed) {
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, lines);
      return;
    }
    if (this.handle === undefined) {
      await mkdir(dirname(this.file), { recursive: true });
      this.handle = await open(this.file, 'a');
    }
    // FileHandle.appendFile writes it all (looping over short writes); 'a' puts every write at the end.
    await this.handle.appendFile(lines);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const lines = this.queue.join('');
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      // Opening inside the try: a directory that cannot be made fails these appends, not the writer (which would hang every later one).
      try {
        await this.write(lines);
        for (const w of waiters) w.resolve();
      } catch (e) {
        // A handle that failed a write is not trusted with the next one.
        await this.release().catch(() => {});
        for (const w of waiters) w.reject(e);
      }
    }
    this.writing = undefined;
  }
}
