import type { Clock } from '../clock.js';
import type { CoreEvent, CoreEventMap, CoreEventType } from '../events.js';
import type { FlowOwner } from '../flows/flow-service.js';
import type { HostTracker } from '../hosts/host-tracker.js';
import type { PacketOutSpec, PacketProcessor } from '../packets/packet-service.js';
import type { PortSelector } from '../ports/port-claims.js';
import type { StatsService } from '../stats/stats-service.js';
import type { KvStore, JsonValue } from '../store/types.js';
import type { SwitchView } from '../switches.js';
import type { TopologyService } from '../topology/topology-service.js';
import type { Port } from '../../openflow/structs/port.js';
import type { AppRoute } from './app-routes.js';

export type { SwitchView };

export interface AppLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Everything an app may use. Everything registered through it (hooks,
 * processors, event listeners, port claims) is removed when the app is
 * disabled, and its flows deleted with one masked flow_mod per switch.
 */
export interface AppContext {
  readonly name: string;
  /** This app's flows; tables and priority bands are declared in src/apps/pipeline.ts. */
  readonly flows: FlowOwner;
  readonly packets: {
    register(p: PacketProcessor): void;
    packetOut(dpid: bigint, spec: PacketOutSpec): boolean;
  };
  readonly topology: Pick<TopologyService, 'links' | 'isInterSwitchPort' | 'neighbors' | 'shortestPath' | 'spanningTree' | 'floodPorts' | 'snapshot'>;
  readonly hosts: Pick<HostTracker, 'all' | 'byMac' | 'byIp' | 'at'>;
  readonly stats: Pick<StatsService, 'ports' | 'port' | 'history' | 'tables' | 'flowSummary'>;
  readonly switches: {
    all(): SwitchView[];
    get(dpid: bigint): SwitchView | undefined;
    onSwitchUp(fn: (sw: SwitchView) => void): void;
    onSwitchDown(fn: (sw: SwitchView, reason: string) => void): void;
    onPortChange(fn: (sw: SwitchView, port: Port, reason: 'add' | 'delete' | 'modify', before: Port | undefined) => void): void;
  };
  /** Ports this app takes for itself: other apps do not flood or forward into them. */
  readonly ports: {
    /** Throws when another app holds the port. */
    claim(dpid: bigint, port: PortSelector): void;
    release(dpid: bigint, port: PortSelector): void;
  };
  /** This app's durable state (a namespace of its own; every write is on disk before it resolves). */
  readonly store: KvStore;
  readonly events: {
    on<K extends CoreEventType>(type: K, fn: (e: CoreEvent<K>) => void): void;
    /** Publish one of the types listed in this app's definition (`events`). */
    emit<K extends CoreEventType>(type: K, data: CoreEventMap[K]): void;
  };
  /**
   * Where this controller listens for switches (for an app that creates a bridge and points it here).
   * Undefined while apps start (they start before the listener binds); the event openflow.listening says when.
   */
  openflowAddress(): { readonly host: string; readonly port: number } | undefined;
  readonly log: AppLog;
  readonly clock: Clock;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface App {
  start(ctx: AppContext): void | Promise<void>;
  stop?(): void | Promise<void>;
  /**
   * Sections this app adds to GET /api/v1/topology (e.g. `{networks: [...]}`),
   * by key. The topology answer is cached per event sequence number, so an
   * app emits an event whenever what this returns changes.
   */
  topology?(): Readonly<Record<string, JsonValue>>;
}

export interface AppDefinition<A extends App = App> {
  readonly name: string;
  readonly description: string;
  /** Event types this app emits (declared in CoreEventMap by module augmentation); the stream filter knows them. */
  readonly events?: readonly string[];
  /** REST routes under /api/v1 (see AppRoute). */
  readonly routes?: readonly AppRoute<A>[];
  create(): A;
}
