// The container-network manager: networks with their own subnets on an
// OVS bridge, containers attached through REST or Docker's plugin
// protocol, isolation and forwarding in flows (flows.ts), ARP and gateway
// answers from the controller (responder.ts). State is in ctx.store
// (network-store.ts), so a restarted controller has the same networks,
// endpoints and addresses, and puts the same flows back.

import { randomBytes } from 'node:crypto';
import type { App, AppContext } from '../../core/apps/app-context.js';
import type { JsonValue } from '../../core/store/types.js';
import type { Match } from '../../openflow/structs/match.js';
import { PIPELINE } from '../pipeline.js';
import { DockerClient, DockerError, type ContainerInfo } from './docker-client.js';
import { flowsFor } from './flows.js';
import { macForIp, parseSubnet } from './ipam.js';
import { NetworkStore, type NetSnapshot } from './network-store.js';
import { ensureBridge, setController } from './ovs-bridge.js';
import { plugHostSide, unplug } from './plumbing.js';
import { PluginServer } from './plugin-server.js';
import { DockerPlugin } from './docker-plugin.js';
import { answer } from './responder.js';
import { readSettings, type Settings } from './settings.js';
import { NetError, type Endpoint, type Network } from './types.js';
import { plugIntoContainer } from './veth.js';

declare module '../../core/events.js' {
  interface CoreEventMap {
    'network.created': { name: string; subnet: string; gateway: string; bridge: string; driver: string };
    'network.deleted': { name: string; subnet: string };
    'network.renamed': { from: string; to: string };
    'endpoint.attached': { network: string; container: string; ip: string; mac: string; dpid: string; port_no: number };
    'endpoint.detached': { network: string; container: string; ip: string };
    'endpoint.updated': { network: string; container: string; ip: string };
  }
}

export const CNET_EVENTS = ['network.created', 'network.deleted', 'network.renamed', 'endpoint.attached', 'endpoint.detached', 'endpoint.updated'] as const;

const CNET_TABLE = PIPELINE.findIndex((t) => t.name === 'cnet');
const hex = (d: bigint): string => d.toString(16).padStart(16, '0');

export type NetworkView = Network & { endpoints: Endpoint[] };

export class ContainerNet implements App {
  ctx!: AppContext;
  settings!: Settings;
  store!: NetworkStore;
  docker!: DockerClient;
  private plugin: PluginServer | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private unfollow: (() => void) | undefined;
  /** The pass queued behind the running one, not started yet. */
  private queued: Promise<void> | undefined;
  private readonly isRoot = process.getuid?.() === 0;

  async start(ctx: AppContext): Promise<void> {
    this.ctx = ctx;
    this.settings = readSettings(ctx.config);
    this.store = new NetworkStore(ctx.store);
    this.docker = new DockerClient(this.settings.dockerSocket);
    await this.store.load();
    this.unfollow = this.store.follow((before, after) => this.changedElsewhere(before, after));
    for (const e of this.store.endpoints()) this.claim(e);
    ctx.packets.register({ name: 'container-net', kind: 'director', order: 50, process: (p) => this.onPacket(p.sw.dpid, p.inPort, p.msg.table_id, p.msg.match, p.data) });
    // A switch that comes up needs only its own flows (links coming up re-sync everything): with a thousand
    // switches connecting, a full pass per switch-up was most of the controller's handshake time.
    ctx.switches.onSwitchUp((sw) => void this.syncSwitch(hex(sw.dpid)));
    ctx.events.on('link.up', () => this.sync());
    ctx.events.on('link.down', () => this.sync());
    ctx.events.on('openflow.listening', () => void this.pointBridges());
    if (this.isRoot) {
      for (const b of this.ownBridges()) await ensureBridge(b).catch((e: unknown) => ctx.log.warn({ bridge: b, err: String(e) }, 'could not create the bridge'));
      await this.pointBridges();
      if (this.settings.plugin && (await this.docker.ping())) {
        const driver = new DockerPlugin(this);
        this.plugin = new PluginServer(this.settings.pluginDir, this.settings.pluginName, driver, ctx.log);
        if (await this.plugin.start()) driver.resume();
      } else ctx.log.info({ docker: this.settings.dockerSocket }, 'Docker plugin not served (disabled, or no Docker engine)');
    } else ctx.log.info({}, 'not running as root: networks can be defined but containers cannot be attached');
    this.sync();
  }

  async stop(): Promise<void> {
    this.unfollow?.();
    await this.plugin?.stop();
    await this.syncing;
  }

  topology(): Readonly<Record<string, JsonValue>> {
    const networks = this.store.networks().map((n) => ({ name: n.name, subnet: n.subnet, gateway: n.gateway, bridge: n.bridge, driver: n.driver }));
    const endpoints = this.store.endpoints().map((e) => ({ network: e.network, container: e.container_name, container_id: e.container_id, ip: e.ip, mac: e.mac, dpid: e.dpid, port_no: e.port_no }));
    return { networks, endpoints };
  }

  view(n: Network): NetworkView {
    return { ...n, endpoints: this.store.endpoints(n.name) };
  }

  // ---- networks (REST) ----

  createNetwork(body: { name: string; subnet: string; gateway?: string; bridge?: string }): Promise<NetworkView> {
    return this.store.exclusive(async () => {
      const bridge = body.bridge ?? this.settings.bridge;
      const net = await this.store.createNetwork({ name: body.name, subnet: body.subnet, ...(body.gateway ? { gateway: body.gateway } : {}), bridge, driver: 'rest' });
      if (this.isRoot) await this.bridgeFor(net).catch((e: unknown) => this.ctx.log.warn({ bridge, err: String(e) }, 'could not create the bridge'));
      this.announceNetwork(net);
      return this.view(net);
    });
  }

  deleteNetwork(ref: string): Promise<void> {
    return this.store.exclusive(async () => {
      const n = this.store.get(ref);
      if (n.driver === 'docker') throw new NetError(409, 'docker_network', `network ${n.name} was created by Docker; remove it with docker network rm ${n.name}`);
      await this.dropNetwork(n);
    });
  }

  async dropNetwork(n: Network): Promise<void> {
    await this.store.deleteNetwork(n.name);
    this.ctx.events.emit('network.deleted', { name: n.name, subnet: n.subnet });
    this.sync();
  }

  announceNetwork(n: Network): void {
    this.ctx.events.emit('network.created', { name: n.name, subnet: n.subnet, gateway: n.gateway, bridge: n.bridge, driver: n.driver });
  }

  // ---- endpoints (REST) ----

  /**
   * Attach a running container. `bridge` puts this endpoint on another OVS
   * bridge than its network's (another switch of the same network: the
   * topology service's paths carry the traffic between them).
   */
  attach(ref: string, body: { container: string; ip?: string; bridge?: string }): Promise<Endpoint> {
    return this.store.exclusive(async () => {
      const net = this.store.get(ref);
      if (net.driver === 'docker') throw new NetError(409, 'docker_network', `network ${net.name} is Docker's; use docker network connect ${net.name} ${body.container}`);
      this.needRoot();
      const c = await this.container(body.container);
      this.store.checkNotAttached(net.name, c.id);
      const ip = this.store.peekAddress(net.subnet, body.ip);
      const bridge = body.bridge ?? net.bridge;
      const own = bridge === this.settings.bridge;
      if (own) await this.plugOrFail(() => ensureBridge(bridge));
      const id = randomBytes(32).toString('hex');
      const mac = macForIp(ip);
      const p = await this.plugOrFail(() => plugHostSide(this.ctx, { bridge, own, prefix: this.settings.vethPrefix, endpointId: id, externalIds: { container_id: c.id, endpoint_id: id, network: net.name } }));
      const ep: Endpoint = { id, network: net.name, container_id: c.id, container_name: c.name, mac, ip, dpid: p.dpid, port_no: p.port_no, port_name: p.host, via: 'rest', ...(bridge !== net.bridge ? { bridge } : {}) };
      try {
        await plugIntoContainer(c.pid, p.peer, { mac, ip, prefix: parseSubnet(net.subnet).prefix, gateway: net.gateway });
        await this.store.addEndpoint(ep, true);
      } catch (e) {
        await unplug(this.ctx, bridge, { host: p.host, dpid: p.dpid, port_no: p.port_no });
        const now = await this.docker.container(c.id).catch(() => undefined);
        if (!now?.running) throw new NetError(409, 'container_died', `container ${c.name} stopped while it was being attached; nothing was changed`);
        throw e;
      }
      await this.endpointUp(ep);
      return ep;
    });
  }

  detach(ref: string, endpointRef: string): Promise<Endpoint> {
    return this.store.exclusive(async () => {
      const net = this.store.get(ref);
      const ep = this.findEndpoint(net, endpointRef);
      if (ep.via === 'docker') throw new NetError(409, 'docker_endpoint', `${ep.container_name} was attached by Docker; use docker network disconnect ${net.name} ${ep.container_name}`);
      this.needRoot();
      await unplug(this.ctx, ep.bridge ?? net.bridge, { host: ep.port_name, dpid: ep.dpid, port_no: ep.port_no });
      await this.store.removeEndpoint(ep.id, true);
      this.endpointDown(ep);
      return ep;
    });
  }

  findEndpoint(net: Network, ref: string): Endpoint {
    const eps = this.store.endpoints(net.name);
    const ep = eps.find((e) => e.container_name === ref || e.id === ref || e.container_id === ref || e.ip === ref) ??
      (/^[0-9a-f]{6,}$/.test(ref) ? eps.find((e) => e.container_id.startsWith(ref) || e.id.startsWith(ref)) : undefined);
    if (!ep) throw new NetError(404, 'unknown_endpoint', `no container ${JSON.stringify(ref)} on network ${net.name}; GET /api/v1/networks/${net.name} lists its endpoints`);
    return ep;
  }

  async endpointUp(ep: Endpoint): Promise<void> {
    this.claim(ep);
    this.ctx.events.emit('endpoint.attached', { network: ep.network, container: ep.container_name, ip: ep.ip, mac: ep.mac, dpid: ep.dpid, port_no: ep.port_no });
    await this.sync();
  }

  endpointDown(ep: Endpoint): void {
    this.ctx.events.emit('endpoint.detached', { network: ep.network, container: ep.container_name, ip: ep.ip });
    this.sync();
  }

  /**
   * Another instance of the cluster changed networks or endpoints: tell
   * the event stream what changed, as that instance did, and bring the
   * flows to the new model (this instance may master the switches).
   */
  private changedElsewhere(before: NetSnapshot, after: NetSnapshot): void {
    for (const [id, n] of after.networks) {
      const old = before.networks.get(id);
      if (old === undefined) this.announceNetwork(n);
      else if (old.name !== n.name) this.ctx.events.emit('network.renamed', { from: old.name, to: n.name });
    }
    for (const [id, n] of before.networks) if (!after.networks.has(id)) this.ctx.events.emit('network.deleted', { name: n.name, subnet: n.subnet });
    for (const [id, e] of after.endpoints) {
      const old = before.endpoints.get(id);
      if (old === undefined) {
        this.claim(e);
        this.ctx.events.emit('endpoint.attached', { network: e.network, container: e.container_name, ip: e.ip, mac: e.mac, dpid: e.dpid, port_no: e.port_no });
      } else if (JSON.stringify(old) !== JSON.stringify(e)) this.ctx.events.emit('endpoint.updated', { network: e.network, container: e.container_name, ip: e.ip });
    }
    for (const [id, e] of before.endpoints) if (!after.endpoints.has(id)) this.ctx.events.emit('endpoint.detached', { network: e.network, container: e.container_name, ip: e.ip });
    void this.sync();
  }

  // ---- helpers ----

  needRoot(): void {
    if (!this.isRoot) throw new NetError(503, 'not_root', 'attaching containers needs the controller to run as root (it creates veth pairs and OVS ports)');
  }

  async plugOrFail<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof NetError) throw e;
      throw new NetError(503, 'plumbing_failed', `could not plug the container in: ${(e as Error).message}`);
    }
  }

  private async container(ref: string): Promise<ContainerInfo> {
    let c: ContainerInfo;
    try {
      c = await this.docker.container(ref);
    } catch (e) {
      if (e instanceof DockerError && e.status === 404) throw new NetError(404, 'unknown_container', `Docker has no container ${JSON.stringify(ref)} (docker ps lists the running ones)`);
      throw new NetError(503, 'docker_unavailable', (e as Error).message);
    }
    if (!c.running || c.pid <= 0) throw new NetError(409, 'container_not_running', `container ${c.name} is not running; start it first`);
    return c;
  }

  private claim(e: Endpoint): void {
    const dp = BigInt('0x' + e.dpid);
    try {
      this.ctx.ports.claim(dp, { name: e.port_name });
      this.ctx.ports.claim(dp, { port_no: e.port_no });
    } catch (err) {
      this.ctx.log.warn({ endpoint: e.id, err: String(err) }, 'could not claim an endpoint port');
    }
  }

  /** The bridge the app manages itself, once a network lives on it (a user's bridge is the user's). */
  private ownBridges(): string[] {
    return this.store.networks().some((n) => n.bridge === this.settings.bridge) ? [this.settings.bridge] : [];
  }

  /** Point our bridges at this controller (its address may have changed since the last run). */
  private async pointBridges(): Promise<void> {
    const a = this.ctx.openflowAddress();
    if (!a || !this.isRoot) return;
    const host = a.host === '0.0.0.0' || a.host === '::' ? '127.0.0.1' : a.host;
    for (const b of this.ownBridges()) {
      await setController(b, `tcp:${host}:${a.port}`).catch((e: unknown) => this.ctx.log.warn({ bridge: b, err: String(e) }, 'could not set the controller'));
    }
  }

  /** Ensure the bridge exists before the first endpoint (a network on our default bridge). */
  async bridgeFor(net: Network): Promise<void> {
    if (net.bridge !== this.settings.bridge) return;
    await ensureBridge(net.bridge);
    await this.pointBridges();
  }

  /** Bring every switch's container-net flows to what the model says (serialised; identical flows are not re-sent). */
  sync(): Promise<void> {
    // Asked again before the waiting pass started: that pass reads the state when it starts, so it serves this call
    // too. A burst of switch-ups (a thousand switches connecting) is then a few passes, not one per switch (each O(switches)).
    if (this.queued !== undefined) return this.queued;
    const run = this.syncing.then(() => {
      this.queued = undefined;
      return this.syncNow();
    });
    this.syncing = run.catch((e: unknown) => this.ctx.log.warn({ err: String(e) }, 'container-net flow sync failed'));
    this.queued = this.syncing;
    return this.syncing;
  }

  /** One switch's flows only, in turn with the full passes; a full pass already waiting covers it. */
  private syncSwitch(d: string): Promise<void> {
    if (this.queued !== undefined) return this.queued;
    const run = this.syncing.then(() => this.syncOne(d, this.store.networks(), this.store.endpoints()));
    this.syncing = run.catch((e: unknown) => this.ctx.log.warn({ switch: d, err: String(e) }, 'container-net flow sync failed'));
    return this.syncing;
  }

  private async syncNow(): Promise<void> {
    const nets = this.store.networks();
    const eps = this.store.endpoints();
    const dpids = new Set<string>([...this.ctx.switches.all().map((s) => hex(s.dpid)), ...eps.map((e) => e.dpid), ...this.ctx.flows.list().map((f) => hex(f.dpid))]);
    await Promise.all([...dpids].map((d) => this.syncOne(d, nets, eps)));
  }

  private async syncOne(d: string, nets: ReturnType<NetworkStore['networks']>, eps: ReturnType<NetworkStore['endpoints']>): Promise<void> {
    const nextHop = (from: string, to: string): number | undefined => this.ctx.topology.shortestPath(BigInt('0x' + from), BigInt('0x' + to))?.[0]?.outPort;
    const dp = BigInt('0x' + d);
    const want = flowsFor(d, nets, eps, nextHop);
    const keys = new Set(want.map((f) => f.key));
    const stale = this.ctx.flows.list(dp).map((f) => f.key).filter((k) => !keys.has(k));
    if (want.length === 0 && stale.length === 0) return;
    await this.ctx.flows.apply(dp, { remove: stale, install: want });
  }

  private onPacket(dpid: bigint, inPort: number, tableId: number, match: Match, data: Buffer): boolean {
    const d = hex(dpid);
    const field = match.find((f) => 'field' in f && f.field === 'metadata');
    const meta = field && 'value' in field ? field.value : undefined;
    const eps = this.store.endpoints();
    const from = eps.find((e) => e.dpid === d && e.port_no === inPort);
    const net = typeof meta === 'bigint' && meta > 0n ? this.store.byId(Number(meta)) : from ? this.store.find(from.network) : undefined;
    if (!net) return tableId === CNET_TABLE || from !== undefined;
    const reply = answer(data, net, eps);
    if (reply) this.ctx.packets.packetOut(dpid, { actions: [{ type: 'output', port: 'in_port', max_len: 0 }], inPort, data: reply });
    return true;
  }
}
