import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { createController } from '/work/main/src/controller.js';
const token = 'tok-3f9a61c2-stream-secret';
const c = createController({
  config: { of: { port: 0, address: '127.0.0.1' }, http: { port: 0, address: '127.0.0.1', tokens: [token], openReads: true }, apps: [], stateDir: mkdtempSync(join(tmpdir(), 'switchyard-state-')) },
  log: pino({ level: 'debug' }),
});
await c.start();
console.log('started', c.httpAddress);
const ws = new WebSocket(`ws://127.0.0.1:${c.httpAddress!.port}/api/v1/events`);
for (const ev of ['open', 'error', 'close', 'unexpected-response', 'upgrade']) ws.on(ev, (...a: any[]) => console.log('client', ev, a[1]?.statusCode ?? String(a[0]).slice(0, 100)));
setTimeout(() => { console.log('timeout'); process.exit(0); }, 3000);
