import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { FlowService } from '../flows/flow-service.js';
import type { HostTracker } from '../hosts/host-tracker.js';
import type { PacketService } from '../packets/packet-service.js';
import type { PortClaims } from '../ports/port-claims.js';
import type { StatsService } from '../stats/stats-service.js';
import type { StateStore, JsonValue } from '../store/types.js';
import type { SwitchRegistry } from '../switches.js';
import type { TopologyService } from '../topology/topology-service.js';
import type { App, AppContext, AppDefinition, AppLog } from './app-context.js';

export interface AppManagerDeps {
  readonly switches: SwitchRegistry;
  readonly flows: FlowService;
  readonly packets: PacketService;
  readonly topology: TopologyService;
  readonly hosts: HostTracker;
  readonly stats: StatsService;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly store: StateStore;
  readonly claims: PortClaims;
  /** The OpenFlow listener's address, once it listens. */
  readonly openflowAddress: () => { readonly host: string; readonly port: number } | undefined;
  readonly log: (app: string) => AppLog;
  readonly config: (app: string) => Readonly<Record<string, unknown>>;
}

interface Running {
  readonly app: App;
  readonly active: { on: boolean };
  readonly cleanups: (() => void)[];
  readonly upHooks: ((sw: never) => void)[];
}

export class AppError extends Error {
  override readonly name = 'AppError';
}

/** Names core keeps for itself: an app by that name would share their cookies or store space. */
const RESERVED = new Set(['core', 'api', 'topology', 'hosts', 'stats', 'flows']);

/** Apps by name: defined once, enabled and disabled at run time. */
export class AppManager {
  private readonly defs = new Map<string, AppDefinition>();
  private readonly running = new Map<string, Running>();

  constructor(private readonly deps: AppManagerDeps) {}

  define(def: AppDefinition): void {
    if (this.defs.has(def.name)) throw new AppError(`app ${def.name} is defined twice`);
    if (RESERVED.has(def.name)) throw new AppError(`app name ${def.name} is reserved for the core`);
    for (const t of def.events ?? []) {
      if (!/^[a-z][a-z0-9-]*\.[a-z][a-z0-9_.-]*$/.test(t)) throw new AppError(`app ${def.name}: event type ${JSON.stringify(t)} must look like "thing.happened"`);
      for (const other of this.defs.values()) if (other.events?.includes(t)) throw new AppError(`app ${def.name}: event type ${t} is already published by ${other.name}`);
    }
    this.defs.set(def.name, def);
  }

  list(): { name: string; description: string; enabled: boolean }[] {
    return [...this.defs.values()].map((d) => ({ name: d.name, description: d.description, enabled: this.running.has(d.name) }));
  }

  definitions(): readonly AppDefinition[] {
    return [...this.defs.values()];
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  isEnabled(name: string): boolean {
    return this.running.has(name);
  }

  /** The running instance of an app (what its routes are handed), or undefined while it is disabled. */
  instance(name: string): App | undefined {
    return this.running.get(name)?.app;
  }

  /** Event types apps publish, for the event stream's filter. */
  eventTypes(): string[] {
    return [...this.defs.values()].flatMap((d) => d.events ?? []);
  }

  /** Sections running apps add to the topology answer. */
  topologySections(): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    for (const [, run] of this.running) Object.assign(out, run.app.topology?.() ?? {});
    return out;
  }

  async enable(name: string): Promise<void> {
    const def = this.defs.get(name);
    if (!def) throw new AppError(`unknown app ${JSON.stringify(name)}; known apps: ${[...this.defs.keys()].join(', ') || 'none'}`);
    if (this.running.has(name)) return;
    const app = def.create();
    const run: Running = { app, active: { on: true }, cleanups: [], upHooks: [] };
    this.running.set(name, run);
    try {
      await app.start(this.context(def, run));
    } catch (e) {
      this.running.delete(name);
      this.teardown(name, run);
      throw e;
    }
    // Switches already up when the app starts get the same treatment as new ones.
    for (const sw of this.deps.switches.all()) for (const fn of run.upHooks) fn(sw as never);
    this.deps.events.emit('app.enabled', { name });
  }

  async disable(name: string): Promise<void> {
    const run = this.running.get(name);
    if (!run) return;
    this.running.delete(name);
    this.teardown(name, run);
    await run.app.stop?.();
    await this.deps.flows.forOwner(name).removeAll();
    this.deps.events.emit('app.disabled', { name });
  }

  async stopAll(): Promise<void> {
    for (const [name, run] of this.running) {
      this.teardown(name, run);
      await run.app.stop?.();
    }
    this.running.clear();
  }

  private teardown(name: string, run: Running): void {
    run.active.on = false;
    for (const c of run.cleanups.splice(0)) c();
    this.deps.claims.releaseAll(name);
  }

  private context(def: AppDefinition, run: Running): AppContext {
    const d = this.deps;
    const name = def.name;
    const guard = <A extends unknown[]>(fn: (...a: A) => void) => (...a: A): void => {
      if (run.active.on) fn(...a);
    };
    const own = (remove: () => void): void => {
      run.cleanups.push(remove);
    };
    const dpidText = (dpid: bigint): string => dpid.toString(16).padStart(16, '0');
    const allowed = new Set(def.events ?? []);
    return {
      name,
      flows: d.flows.forOwner(name),
      packets: {
        register: (p) => own(d.packets.register(p)),
        packetOut: (dpid, spec) => run.active.on && d.packets.packetOut(dpid, spec),
      },
      topology: d.topology,
      hosts: d.hosts,
      stats: d.stats,
      switches: {
        all: () => d.switches.all(),
        get: (dpid) => d.switches.get(dpid),
        onSwitchUp: (fn) => {
          run.upHooks.push(fn as never);
          own(d.switches.onSwitchUp(guard(fn)));
        },
        onSwitchDown: (fn) => own(d.switches.onSwitchDown(guard(fn))),
        onPortChange: (fn) => own(d.switches.onPortChange(guard(fn))),
      },
      ports: {
        claim: (dpid, port) => {
          const held = d.claims.claim(name, dpidText(dpid), port);
          if (held !== undefined) throw new AppError(`port ${JSON.stringify(port)} of switch ${dpidText(dpid)} is claimed by app ${held}`);
        },
        release: (dpid, port) => d.claims.release(name, dpidText(dpid), port),
      },
      store: d.store.namespace(name),
      events: {
        on: (type, fn) => own(d.events.on(type, guard(fn))),
        emit: (type, data) => {
          if (!allowed.has(type)) throw new AppError(`app ${name} emits ${type}, which its definition does not list in events`);
          if (run.active.on) d.events.emit(type, data);
        },
      },
      openflowAddress: d.openflowAddress,
      log: d.log(name),
      clock: d.clock,
      config: d.config(name),
    };
  }
}
