import { pino, type Logger } from 'pino';
import { OpenFlowServer } from './openflow/channel/server.js';
import { realClock, type Clock } from './core/clock.js';
import { EventBus } from './core/events.js';
import { SwitchRegistry } from './core/switches.js';
import { FlowService } from './core/flows/flow-service.js';
import { PacketService } from './core/packets/packet-service.js';
import { TopologyService, lldpFlowSpecs } from './core/topology/topology-service.js';
import { HostTracker } from './core/hosts/host-tracker.js';
import { StatsService } from './core/stats/stats-service.js';
import { AppManager } from './core/apps/app-manager.js';
import type { AppDefinition } from './core/apps/app-context.js';
import { StaticStore } from './core/static/static-store.js';
import { buildApi, type Api } from './northbound/api.js';
import type { ControllerConfig } from './config.js';
import { defaults } from './config.js';

/** The running controller's parts, for the CLI, the northbound and tests. */
export interface Controller {
  readonly config: ControllerConfig;
  readonly log: Logger;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly server: OpenFlowServer;
  readonly switches: SwitchRegistry;
  readonly flows: FlowService;
  readonly packets: PacketService;
  readonly topology: TopologyService;
  readonly hosts: HostTracker;
  readonly stats: StatsService;
  readonly apps: AppManager;
  /** Flows, groups and meters users created through the API (kept across restarts). */
  readonly staticFlows: StaticStore;
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
}

/** Composition root: wires the layers together and holds no logic of its own. */
export function createController(opts: ControllerOptions = {}): Controller {
  const config: ControllerConfig = { ...defaults, ...opts.config };
  const log = opts.log ?? pino({ name: 'switchyard', level: config.logLevel });
  const clock = opts.clock ?? realClock;
  const events = new EventBus(clock, 10_000, (err) => log.warn({ err: String(err) }, 'event listener failed'));
  const server = new OpenFlowServer({
    port: config.of.port,
    host: config.of.address,
    ...(config.of.tls ? { tls: config.of.tls } : {}),
    echoIntervalMs: config.echoIntervalMs,
    deadAfterMs: config.deadAfterMs,
    missSendLen: config.missSendLen,
    log: log.child({ svc: 'openflow' }),
  });
  const switches = new SwitchRegistry(server, events, clock);
  const flows = new FlowService({ switches, events, clock, log: log.child({ svc: 'flows' }) });
  const packets = new PacketService(switches, log.child({ svc: 'packets' }));
  const topology = new TopologyService({ switches, events, clock }, { probeIntervalMs: config.lldpIntervalMs });
  const hosts = new HostTracker({ events, clock, topology }, { idleTimeoutMs: config.hostIdleMs });
  const stats = new StatsService({ switches, events, clock, intervalMs: config.statsIntervalMs, naming: flows, log: log.child({ svc: 'stats' }) });

  // LLDP must reach the controller on every switch, whichever apps run.
  const topologyFlows = flows.forOwner('topology');
  switches.onSwitchUp((sw) => {
    topologyFlows.install(sw.dpid, lldpFlowSpecs()).catch((e: unknown) => log.warn({ switch: sw.id, err: String(e) }, 'could not install the LLDP flow'));
  });
  packets.register({ name: 'topology', kind: 'director', order: 0, process: (c) => topology.handlePacketIn(c.sw, c.msg) });
  packets.register({
    name: 'hosts',
    kind: 'observer',
    process: (c) => {
      if (c.handledBy !== 'topology') hosts.handlePacketIn(c.sw, c.msg);
    },
  });

  // Topology changes are what operators look for in the log; ports and hosts are noisier.
  events.subscribe((e) => {
    if (e.type === 'link.up' || e.type === 'link.down') log.info({ event: e.type, seq: e.seq, ...e.data }, e.type);
    else if (e.type === 'host.moved') log.info({ event: e.type, seq: e.seq, ...e.data }, e.type);
    else if (e.type !== 'stats.ports') log.debug({ event: e.type, seq: e.seq, data: e.data }, e.type);
  });

  const apps = new AppManager({
    switches, flows, packets, topology, hosts, stats, events, clock,
    log: (name) => log.child({ app: name }),
    config: (name) => config.appConfig[name] ?? {},
  });
  for (const def of opts.apps ?? []) apps.define(def);
  const staticFlows = new StaticStore({ switches, flows, log: log.child({ svc: 'static' }) }, config.stateDir);

  const controller: Controller = {
    config, log, clock, events, server, switches, flows, packets, topology, hosts, stats, apps, staticFlows,
    api: undefined,
    httpAddress: undefined,
    ofAddress: undefined,
    async start() {
      await staticFlows.open();
      for (const name of config.apps) await apps.enable(name);
      stats.start();
      if (config.http.port >= 0) {
        controller.api = await buildApi(controller, staticFlows, {
          auth: { tokens: config.http.tokens ?? [], openReads: config.http.openReads ?? false },
          bodyLimit: config.http.bodyLimit ?? 1_048_576,
          log: log.child({ svc: 'api' }),
        });
        await controller.api.app.listen({ port: config.http.port, host: config.http.address });
        const a = controller.api.app.server.address();
        if (a !== null && typeof a === 'object') controller.httpAddress = { port: a.port, host: a.address };
      }
      controller.ofAddress = await server.listen();
    },
    async stop() {
      await controller.api?.app.close();
      stats.stop();
      topology.stop();
      hosts.stop();
      await apps.stopAll();
      await server.close();
      // Last: with the API and the switches gone nothing records any more; this waits for writes in flight and closes the journal.
      await staticFlows.close();
    },
  };
  return controller;
}
