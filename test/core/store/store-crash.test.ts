import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LmdbStore } from '../../../src/core/store/lmdb-store.js';

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const CHILD = fileURLToPath(new URL('./crash-writer' + ext, import.meta.url));

/** Run the writer, SIGKILL it once it acknowledged `killAfter` writes (plus a moment); the acknowledged numbers. */
function writeAndKill(path: string, killAfter: number, extraDelayUs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, CHILD, path, '100000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let buf = '';
    let err = '';
    let killing = false;
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (/^\d+$/.test(l)) acked.push(Number(l));
      if (!killing && acked.length >= killAfter) {
        killing = true;
        // Busy-wait a few microseconds so the kill lands at varying points inside the next write.
        const until = process.hrtime.bigint() + BigInt(extraDelayUs) * 1000n;
        while (process.hrtime.bigint() < until);
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited ${code} ${signal}: ${err}`));
      else resolve(acked);
    });
  });
}

t.test('lmdb: kill -9 at many points inside writes loses no acknowledged write and leaves nothing half-written', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-crash-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const rounds = 8;
  for (let round = 0; round < rounds; round++) {
    const path = join(dir, `state-${round}`);
    const acked = await writeAndKill(path, 5 + round * 7, (round * 37) % 400);
    const store = new LmdbStore(path);
    await store.open();
    const entries = await store.namespace('crash').list('r/');
    await store.close();
    const present = new Set(entries.map((e) => (e.value as { i: number }).i));
    const missing = acked.filter((i) => !present.has(i));
    t.same(missing, [], `round ${round}: every one of ${acked.length} acknowledged writes survived`);
    const torn = entries.filter((e) => {
      const v = e.value as { i: number; payload: string };
      return e.key !== `r/${String(v.i).padStart(6, '0')}` || v.payload.length !== 2000;
    });
    t.same(torn, [], `round ${round}: no half-written record (${entries.length} records, at most one more than acknowledged)`);
    t.ok(entries.length <= acked.length + 1, `round ${round}: at most the one write in flight beyond those acknowledged`);
  }
});
