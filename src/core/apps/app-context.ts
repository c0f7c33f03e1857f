import type { Clock } from '../clock.js';
import type { CoreEvent, CoreEventType } from '../events.js';
import type { FlowOwner } from '../flows/flow-service.js';
import type { HostTracker } from '../hosts/host-tracker.js';
import type { PacketOutSpec, PacketProcessor } from '../packets/packet-service.js';
import type { StatsService } from '../stats/stats-service.js';
import type { SwitchRecord } from '../switches.js';
import type { TopologyService } from '../topology/topology-service.js';
import type { Port } from '../../openflow/structs/port.js';

/** A switch as apps see it: no connection handle. */
export type SwitchView = Omit<SwitchRecord, 'link'>;

export interface AppLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Everything an app may use. Hooks and processors registered through it
 * are removed when the app is disabled, and its flows deleted with one
 * masked flow_mod per switch.
 */
export interface AppContext {
  readonly name: string;
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
  readonly events: {
    on<K extends CoreEventType>(type: K, fn: (e: CoreEvent<K>) => void): void;
  };
  readonly log: AppLog;
  readonly clock: Clock;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface App {
  start(ctx: AppContext): void | Promise<void>;
  stop?(): void | Promise<void>;
}

export interface AppDefinition {
  readonly name: string;
  readonly description: string;
  create(): App;
}
