import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createController } from '/work/main/src/controller.js';
import { openEvents } from '/work/main/test/helpers/event-client.js';
const token = 'tok-3f9a61c2-stream-secret';
const c = createController({
  config: { of: { port: 0, address: '127.0.0.1' }, http: { port: 0, address: '127.0.0.1', tokens: [token], openReads: true }, apps: [], stateDir: mkdtempSync(join(tmpdir(), 'switchyard-state-')) },
  log: pino({ level: 'silent' }),
});
await c.start();
const url = `http://127.0.0.1:${c.httpAddress!.port}`;
const step = process.argv[2] ?? 'all';
if (step === 'all' || step === '401') console.log(await openEvents(url).catch((e: any) => e.status));
if (step === 'all' || step === '400') console.log(await openEvents(url, `?types=bad.*&access_token=${token}`).catch((e: any) => e.status));
if (step === 'all' || step === 'ok') { const b = await openEvents(url, `?access_token=${token}`); b.close(); await b.closed; }
const t0 = Date.now();
const timer = setTimeout(() => console.log('stop hung', c.api!.app.server.listenerCount('connection')), 3000);
await c.stop();
clearTimeout(timer);
console.log('stopped in', Date.now() - t0);
