import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { FlowService } from '../flows/flow-service.js';
import type { HostTracker } from '../hosts/host-tracker.js';
import type { PacketService } from '../packets/packet-service.js';
import type { StatsService } from '../stats/stats-service.js';
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
  readonly log: (app: string) => AppLog;
  readonly config: (app: string) => Readonly<Record<string, unknown>>;
}

interface Running {
  readonly app: App;
  readonly active: { on: boolean };
  readonly cleanups: (() => void)[];
}

export class AppError extends Error {
  override readonly name = 'AppError';
}

/** Apps by name: defined once, enabled and disabled at run time. */
export class AppManager {
  private readonly defs = new Map<string, AppDefinition>();
  private readonly running = new Map<string, Running>();

  constructor(private readonly deps: AppManagerDeps) {}

  define(def: AppDefinition): void {
    if (this.defs.has(def.name)) throw new AppError(`app ${def.name} is defined twice`);
    this.defs.set(def.name, def);
  }

  list(): { name: string; description: string; enabled: boolean }[] {
    return [...this.defs.values()].map((d) => ({ name: d.name, description: d.description, enabled: this.running.has(d.name) }));
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  isEnabled(name: string): boolean {
    return this.running.has(name);
  }

  async enable(name: string): Promise<void> {
    const def = this.defs.get(name);
    if (!def) throw new AppError(`unknown app ${JSON.stringify(name)}; known apps: ${[...this.defs.keys()].join(', ') || 'none'}`);
    if (this.running.has(name)) return;
    const app = def.create();
    const run: Running = { app, active: { on: true }, cleanups: [] };
    this.running.set(name, run);
    try {
      await app.start(this.context(name, run));
    } catch (e) {
      this.running.delete(name);
      run.active.on = false;
      for (const c of run.cleanups) c();
      throw e;
    }
    // Switches already up when the app starts get the same treatment as new ones.
    for (const sw of this.deps.switches.all()) for (const fn of upHooks.get(run) ?? []) fn(sw);
  }

  async disable(name: string): Promise<void> {
    const run = this.running.get(name);
    if (!run) return;
    this.running.delete(name);
    run.active.on = false;
    for (const c of run.cleanups) c();
    await run.app.stop?.();
    await this.deps.flows.forOwner(name).removeAll();
  }

  async stopAll(): Promise<void> {
    for (const [, run] of this.running) {
      run.active.on = false;
      for (const c of run.cleanups) c();
      await run.app.stop?.();
    }
    this.running.clear();
  }

  private context(name: string, run: Running): AppContext {
    const d = this.deps;
    const guard = <A extends unknown[]>(fn: (...a: A) => void) => (...a: A): void => {
      if (run.active.on) fn(...a);
    };
    const ups: ((sw: never) => void)[] = [];
    upHooks.set(run, ups as never);
    return {
      name,
      flows: d.flows.forOwner(name),
      packets: {
        register: (p) => run.cleanups.push(d.packets.register(p)),
        packetOut: (dpid, spec) => run.active.on && d.packets.packetOut(dpid, spec),
      },
      topology: d.topology,
      hosts: d.hosts,
      stats: d.stats,
      switches: {
        all: () => d.switches.all(),
        get: (dpid) => d.switches.get(dpid),
        onSwitchUp: (fn) => {
          ups.push(fn as never);
          d.switches.onSwitchUp(guard(fn));
        },
        onSwitchDown: (fn) => d.switches.onSwitchDown(guard(fn)),
        onPortChange: (fn) => d.switches.onPortChange(guard(fn)),
      },
      events: {
        on: (type, fn) => {
          run.cleanups.push(d.events.on(type, fn));
        },
      },
      log: d.log(name),
      clock: d.clock,
      config: d.config(name),
    };
  }
}

const upHooks = new WeakMap<Running, ((sw: import('../switches.js').SwitchRecord) => void)[]>();
