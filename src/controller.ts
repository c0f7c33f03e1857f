import { join } from 'node:path';
import type { Logger } from 'pino';
import { createLog, openflowLog } from './log.js';
import { logEvents } from './core/event-log.js';
import { OpenFlowServer } from './openflow/channel/server.js';
import { realClock, type Clock } from './core/clock.js';
import { createCore, type Core } from './core/index.js';
import type { AppDefinition } from './core/apps/app-context.js';
import { LmdbStore } from './core/store/lmdb-store.js';
import { clusterStore } from './cluster-store.js';
import type { StateStore } from './core/store/types.js';
import { PIPELINE } from './apps/pipeline.js';
import { buildApi, type Api } from './northbound/api.js';
import type { ControllerConfig } from './config.js';
import { defaults } from './config.js';
import type { Coordinator } from './core/cluster/coordinator.js';
import { clusterElection } from './cluster-election.js';
import { LogSummaries } from './core/log-summary.js';

/** The running controller: its core, the OpenFlow listener and the REST API, for the CLI and tests. */
export interface Controller extends Core {
  readonly core: Core;
  readonly config: ControllerConfig;
  readonly log: Logger;
  readonly server: OpenFlowServer;
  /** The REST API and event stream, once started (absent with http port -1). */
  api: Api | undefined;
  httpAddress: { port: number; host: string } | undefined;
  /** Address the OpenFlow listener is bound to (port 0 in config = any free port). */
  ofAddress: { port: number; host: string } | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ControllerOptions {
  readonly config?: Partial<ControllerConfig>;
  readonly apps?: readonly AppDefinition[];
  readonly log?: Logger;
  readonly clock?: Clock;
  /** The state store; default etcd with config.cluster, else LMDB in `<stateDir>/state`. */
  readonly store?: StateStore;
  /** The per-switch role election; default etcd with config.cluster, else none (no role request is sent). */
  readonly coordinator?: Coordinator;
}

/** Composition root: builds the listener, the core and the northbound, and holds no logic of its own. */
export function createController(opts: ControllerOptions = {}): Controller {
  const config: ControllerConfig = { ...defaults, ...opts.config };
  const log = opts.log ?? createLog({ level: config.logLevel, format: config.logFormat, secrets: config.http.tokens ?? [] });
  const clock = opts.clock ?? realClock;
  const logSummaries = new LogSummaries(clock);
  const server = new OpenFlowServer({
    port: config.of.port,
    host: config.of.address,
    ...(config.of.tls ? { tls: config.of.tls } : {}),
    echoIntervalMs: config.echoIntervalMs,
    deadAfterMs: config.deadAfterMs,
    handshakeTimeoutMs: config.handshakeTimeoutMs,
    frameTimeoutMs: config.frameTimeoutMs,
    maxUnidentified: config.maxPendingSwitches,
    missSendLen: config.missSendLen,
    maxPacketInsPerSec: config.packetInRate,
    log: logSummaries.wrap(openflowLog(log.child({ svc: 'openflow' }))),
  });
  const coordinator = opts.coordinator ?? (config.cluster ? clusterElection(config.cluster, log.child({ svc: 'election' })) : undefined);
  const core = createCore({
    ...(coordinator ? { coordinator } : {}),
    southbound: server,
    store: opts.store ?? (config.cluster ? clusterStore(config.cluster, log.child({ svc: 'store' })) : new LmdbStore(join(config.stateDir, 'state'))),
    clock,
    log,
    tables: PIPELINE,
    apps: opts.apps ?? [],
    appConfig: config.appConfig,
    statsIntervalMs: config.statsIntervalMs,
    lldpIntervalMs: config.lldpIntervalMs,
    hostIdleMs: config.hostIdleMs,
    hostDetachedMs: config.hostDetachedMs,
    // A journal of a pre-store version is one instance's: a cluster starts from what etcd holds.
    ...(config.cluster ? {} : { legacyJournal: join(config.stateDir, 'static.jsonl') }),
    logSummaries,
    hostCaps: { maxPerSwitch: config.maxHostsPerSwitch, maxTotal: config.maxHosts },
    pendingCaps: { maxPerSwitch: config.maxPendingFlowsPerSwitch, maxTotal: config.maxPendingFlows },
    packetInMeter: config.packetInMeter,
  });

  // Which events reach the log, and how bursts are summarised: src/core/event-log.ts.
  const stopEventLog = logEvents(core.events, { clock, log: log.child({ svc: 'events' }) });

  const controller: Controller = {
    ...core,
    core,
    config, log, server,
    api: undefined,
    httpAddress: undefined,
    ofAddress: undefined,
    async start() {
      await core.start(config.apps);
      if (config.http.port >= 0) {
        controller.api = await buildApi(core, {
          auth: { tokens: config.http.tokens ?? [], openReads: config.http.openReads ?? false },
          bodyLimit: config.http.bodyLimit ?? 1_048_576,
          log: log.child({ svc: 'api' }),
        });
        await controller.api.app.listen({ port: config.http.port, host: config.http.address });
        const a = controller.api.app.server.address();
        if (a !== null && typeof a === 'object') controller.httpAddress = { port: a.port, host: a.address };
      }
      controller.ofAddress = await server.listen();
      coordinator?.advertise({
        flow_generation: core.flows.generation,
        openflow: `${controller.ofAddress.host}:${controller.ofAddress.port}`,
        ...(controller.httpAddress ? { api: `${controller.httpAddress.host}:${controller.httpAddress.port}` } : {}),
      });
      core.events.emit('openflow.listening', { ...controller.ofAddress });
    },
    async stop() {
      await controller.api?.app.close();
      await server.close();
      // Last: with the API and the switches gone nothing records any more; this waits for writes in flight and closes the store.
      await core.stop();
      stopEventLog();
    },
  };
  return controller;
}
