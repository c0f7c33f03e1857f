import { createLog } from '../log.js';
import { ConfigError, parseStartArgs, START_USAGE } from '../config.js';
import { createController } from '../controller.js';
import { BUILTIN_APPS } from '../apps/index.js';
import { describeExposure } from './exposure.js';

/** How long a SIGINT/SIGTERM waits for the controller to stop cleanly. */
const STOP_DEADLINE_MS = 15_000;

/** `switchyard start`: the controller in the foreground until SIGINT/SIGTERM. */
export async function start(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(START_USAGE + '\n');
    return 0;
  }
  let config;
  try {
    config = parseStartArgs(args);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`switchyard start: ${e.message}\n\n${START_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  const log = createLog({ level: config.logLevel, format: config.logFormat, secrets: config.http.tokens ?? [] });
  const known = new Set(BUILTIN_APPS.map((a) => a.name));
  const unknown = config.apps.filter((a) => !known.has(a));
  if (unknown.length > 0) {
    process.stderr.write(`switchyard start: unknown app(s) ${unknown.join(', ')}; available: ${[...known].join(', ') || 'none'}\n`);
    return 2;
  }
  const controller = createController({ config, apps: BUILTIN_APPS, log });
  try {
    await controller.start();
  } catch (e) {
    log.error({ err: (e as Error).message }, 'could not start');
    await controller.stop().catch(() => {});
    return 1;
  }
  const rest = controller.httpAddress;
  const exposure = describeExposure(config, controller.ofAddress, rest);
  log.info({ exposure: { openflow: exposure.openflow, rest: exposure.rest, tls: exposure.tls, tokens: exposure.tokens } }, exposure.line);
  log.info(
    { openflow: controller.ofAddress, rest: rest ? `http://${rest.host}:${rest.port}/api/v1` : 'off', docs: rest ? `http://${rest.host}:${rest.port}/api/v1/docs` : undefined, auth: (config.http.tokens?.length ?? 0) > 0 ? 'bearer tokens' : 'open', apps: config.apps },
    'Switchyard is running',
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'shutting down');
      // A stop step waiting on a peer that never answers must not keep the process alive for ever.
      const late = setTimeout(() => {
        log.error({ afterMs: STOP_DEADLINE_MS }, 'stopping did not finish in time; exiting anyway');
        // What it waits on still holds the event loop: leave now.
        process.exit(1);
      }, STOP_DEADLINE_MS);
      late.unref();
      controller.stop().then(
        () => {
          clearTimeout(late);
          resolve();
        },
        (e: unknown) => {
          clearTimeout(late);
          log.error({ err: String(e) }, 'error while stopping');
          resolve();
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
