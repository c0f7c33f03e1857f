// The core's one face: every service, built and wired here once. The
// composition root (src/controller.ts) hands this object to the northbound
// and to tests; apps get the narrower AppContext the app manager builds
// from it.

import type { ChannelCounters } from '../openflow/channel/connection.js';
import { AppManager } from './apps/app-manager.js';
import type { AppDefinition, AppLog } from './apps/app-context.js';
import type { Clock } from './clock.js';
import { singleNodeView, type ClusterView } from './cluster/cluster-view.js';
import type { Coordinator } from './cluster/coordinator.js';
import { RoleManager } from './cluster/role-manager.js';
import { EventBus } from './events.js';
import { FlowService } from './flows/flow-service.js';
import type { TableDecl } from './flows/tables.js';
import { HostTracker } from './hosts/host-tracker.js';
import type { HostCapOptions } from './hosts/host-caps.js';
import type { PendingCapOptions } from './flows/pending-caps.js';
import { LogSummaries } from './log-summary.js';
import { PacketInMeter } from './flows/packet-in-meter.js';
import { PacketService } from './packets/packet-service.js';
import { PortClaims } from './ports/port-claims.js';
import type { Southbound } from './southbound.js';
import { StaticStore } from './static/static-store.js';
import { StatsService } from './stats/stats-service.js';
import type { StateStore } from './store/types.js';
import { SwitchRegistry } from './switches.js';
import { TopologyService, lldpFlowSpecs } from './topology/topology-service.js';

/** What core logs through: pino's Logger fits, and so does a test's silent stub. */
export interface CoreLog extends AppLog {
  child(bindings: Record<string, unknown>): CoreLog;
}

export interface CoreOptions {
  readonly southbound: Southbound;
  readonly store: StateStore;
  readonly clock: Clock;
  readonly log: CoreLog;
  readonly tables?: readonly TableDecl[];
  readonly apps?: readonly AppDefinition[];
  readonly appConfig?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly statsIntervalMs: number;
  readonly lldpIntervalMs: number;
  readonly hostIdleMs: number;
  /** How long a host whose switch left stays listed (detached) before it is forgotten. */
  readonly hostDetachedMs?: number;
  /** A static.jsonl from before the state store, imported once. */
  readonly legacyJournal?: string;
  /** Replay buffer of the event bus (events a client can resume from). */
  readonly eventReplay?: number;
  /** A cluster's election (etcd): OpenFlow master/slave roles per switch. Absent: this instance controls every switch. */
  readonly coordinator?: Coordinator;
  /** Caps on tracked hosts and on flow batches waiting for a barrier (issue 15 item 2). */
  readonly hostCaps?: HostCapOptions;
  readonly pendingCaps?: PendingCapOptions;
  /** Summarises per-packet warnings; pass one to share it with the OpenFlow listener's log. */
  readonly logSummaries?: LogSummaries;
  /** Packets/s of the OFPM_CONTROLLER meter set on switches with meters; 0 or absent: none. */
  readonly packetInMeter?: number;
}

/** The channel as metrics see it: counters over every connection, and how many are open. */
export interface ChannelView {
  totals(): ChannelCounters;
  readonly connectionCount: number;
  readonly address: { port: number; host: string } | undefined;
}

export interface Core {
  readonly clock: Clock;
  readonly events: EventBus;
  readonly switches: SwitchRegistry;
  readonly flows: FlowService;
  readonly packets: PacketService;
  readonly topology: TopologyService;
  readonly hosts: HostTracker;
  readonly stats: StatsService;
  readonly claims: PortClaims;
  readonly apps: AppManager;
  /** Flows, groups and meters users created through the API (kept across restarts). */
  readonly staticFlows: StaticStore;
  readonly store: StateStore;
  readonly channel: ChannelView;
  /** Members, masters and this instance's roles (GET /api/v1/cluster); a single-node view without a cluster. */
  readonly cluster: ClusterView;
  /** Per-packet warnings folded into summary lines (counted for /metrics). */
  readonly logSummaries: LogSummaries;
  readonly packetInMeter: PacketInMeter;
  /** Open the store, load users' state, enable these apps, start polling. */
  start(apps: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export function createCore(o: CoreOptions): Core {
  const { clock, southbound } = o;
  const logSummaries = o.logSummaries ?? new LogSummaries(clock);
  const log = logSummaries.wrap(o.log);
  const events = new EventBus(clock, o.eventReplay ?? 10_000, (err) => log.warn({ err: String(err) }, 'event listener failed'));
  const switches = new SwitchRegistry(southbound, events, clock);
  const flows = new FlowService({ switches, events, clock, log: logSummaries.wrap(log.child({ svc: 'flows' })), ...(o.tables ? { tables: o.tables } : {}), ...(o.pendingCaps && { pendingCaps: o.pendingCaps }) });
  const packets = new PacketService(switches, logSummaries.wrap(log.child({ svc: 'packets' })));
  const claims = new PortClaims(events);
  const topology = new TopologyService({ switches, events, clock, claims, log: log.child({ svc: 'topology' }) }, { probeIntervalMs: o.lldpIntervalMs });
  const hosts = new HostTracker({
    events, clock, topology,
    probe: (dpid, port, frame) => {
      packets.packetOut(BigInt(`0x${dpid}`), { actions: [{ type: 'output', port, max_len: 0 }], data: frame });
    },
  }, { idleTimeoutMs: o.hostIdleMs, ...(o.hostDetachedMs !== undefined && { detachedTimeoutMs: o.hostDetachedMs }), ...(o.hostCaps && { caps: o.hostCaps }) });
  const stats = new StatsService({ switches, events, clock, intervalMs: o.statsIntervalMs, naming: flows, log: logSummaries.wrap(log.child({ svc: 'stats' })) });

  const packetInMeter = new PacketInMeter({ switches, events, sendConfirmed: (d, m, owner) => flows.sendConfirmed(d, m, owner), log: log.child({ svc: 'meter' }) }, o.packetInMeter ?? 0);
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
      if (c.handledBy !== 'topology') hosts.notePacketIn(c.sw, c.msg);
    },
  });

  const apps = new AppManager({
    switches, flows, packets, topology, hosts, stats, events, clock, claims, store: o.store,
    openflowAddress: () => southbound.address,
    log: (name) => logSummaries.wrap(log.child({ app: name })),
    config: (name) => o.appConfig?.[name] ?? {},
  });
  for (const def of o.apps ?? []) apps.define(def);
  const coordinator = o.coordinator;
  const roles = coordinator && new RoleManager({ switches, flows, topology, events, coordinator, clock, log: log.child({ svc: 'cluster' }) });
  const cluster = roles ?? singleNodeView(switches);
  const staticFlows = new StaticStore({ flows, kv: o.store.namespace('api'), log: log.child({ svc: 'static' }), ...(o.legacyJournal ? { legacyJournal: o.legacyJournal } : {}) });

  return {
    clock, events, switches, flows, packets, topology, hosts, stats, claims, apps, staticFlows, store: o.store, channel: southbound, cluster, logSummaries, packetInMeter,
    async start(enable) {
      await o.store.open();
      log.info({ store: o.store.description }, 'state store open');
      await staticFlows.open();
      await coordinator?.start();
      for (const name of enable) await apps.enable(name);
      stats.start();
    },
    async stop() {
      stats.stop();
      packetInMeter.stop();
      topology.stop();
      hosts.stop();
      await apps.stopAll();
      await staticFlows.close();
      roles?.stop();
      // Revokes this instance's lease: the others take its switches over at once.
      await coordinator?.stop();
      await o.store.close();
    },
  };
}
