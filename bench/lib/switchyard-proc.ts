// Switchyard as the flow benchmark runs it: its own process (so its CPU time
// is its own), the default apps, every core service (topology, hosts, stats,
// the flow service with reconciliation, the REST API and event stream) and
// the LMDB store, in a temporary state directory. Tells its parent the
// OpenFlow port over IPC: {port}; {cmd:'stop'} ends it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createController } from '../../src/controller.js';
import { BUILTIN_APPS } from '../../src/apps/index.js';

async function main(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-flows-'));
  const ctl = createController({
    config: { of: { port: 0, address: '127.0.0.1' }, http: { port: 0, address: '127.0.0.1' }, stateDir },
    apps: BUILTIN_APPS,
    log: pino({ level: process.env.SY_LOG ?? 'error' }, pino.destination(2)),
  });
  await ctl.start();
  process.send?.({ port: ctl.ofAddress!.port, switches: 0 });
  const status = setInterval(() => process.send?.({ switches: ctl.switches.size }), 100);
  process.on('message', (m: { cmd?: string }) => {
    if (m.cmd !== 'stop') return;
    clearInterval(status);
    void ctl.stop().finally(() => {
      rmSync(stateDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  process.on('disconnect', () => process.exit(0));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
