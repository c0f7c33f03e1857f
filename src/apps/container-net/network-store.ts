// Networks, pools, addresses and endpoints over the app's durable store.
// Every change is one store batch, so it is all on disk or none of it (a
// kill -9 between "address taken" and "endpoint recorded" cannot leak an
// address). Checks run first against the in-memory copy, which is only
// changed after the batch committed: a refused or failed change leaves
// both as they were. Callers serialise changes with `exclusive`.
//
// Keys:  meta/next-id          the next network id (never reused)
//        net/<id>              Network
//        pool/<cidr>           Pool
//        addr/<cidr>/<ip>      Allocation
//        ep/<endpoint id>      Endpoint

import type { KvStore, JsonValue, StoreOp } from '../../core/store/types.js';
import { checkRequested, gatewayOf, lowestFree, overlaps, parseSubnet, type Subnet } from './ipam.js';
import { NetError, type Allocation, type Endpoint, type Network, type Pool } from './types.js';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const put = (key: string, value: unknown): StoreOp => ({ op: 'put', key, value: value as JsonValue });
const del = (key: string): StoreOp => ({ op: 'delete', key });
const addrKey = (subnet: string, ip: string): string => `addr/${subnet}/${ip}`;

export interface NewNetwork {
  readonly name: string;
  readonly subnet: string;
  readonly gateway?: string;
  readonly bridge: string;
  readonly driver: Network['driver'];
  readonly docker_id?: string;
}

/** What the app shows of the model: networks and endpoints, for telling what another instance changed. */
export interface NetSnapshot {
  readonly networks: ReadonlyMap<number, Network>;
  readonly endpoints: ReadonlyMap<string, Endpoint>;
}

export class NetworkStore {
  private nets = new Map<number, Network>();
  private pools = new Map<string, Pool>();
  private addrs = new Map<string, Map<string, Allocation>>();
  private eps = new Map<string, Endpoint>();
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private reloadPending = false;

  constructor(private readonly kv: KvStore) {}

  /** (Re)read the whole model from the store. */
  async load(): Promise<void> {
    const entries = await this.kv.list('');
    this.nets = new Map();
    this.pools = new Map();
    this.addrs = new Map();
    this.eps = new Map();
    this.nextId = 1;
    for (const e of entries) {
      const v = e.value as never;
      if (e.key === 'meta/next-id') this.nextId = v;
      else if (e.key.startsWith('net/')) this.nets.set((v as Network).id, v);
      else if (e.key.startsWith('pool/')) this.pools.set((v as Pool).subnet, v);
      else if (e.key.startsWith('ep/')) this.eps.set((v as Endpoint).id, v);
      else if (e.key.startsWith('addr/')) {
        const subnet = e.key.slice(5, e.key.lastIndexOf('/'));
        this.poolAddrs(subnet).set((v as Allocation).ip, v);
      }
    }
  }

  /**
   * Follow changes other writers make (another instance of a cluster): on
   * any change the model is read again, in turn with this instance's own
   * changes (so never halfway through one), and `fn` hears the before and
   * after when they differ. This instance's own writes come back too and
   * find the model already as the store has it: no call.
   */
  follow(fn: (before: NetSnapshot, after: NetSnapshot) => void): () => void {
    return this.kv.watch('', () => {
      if (this.reloadPending) return;
      this.reloadPending = true;
      setImmediate(() => {
        void this.exclusive(async () => {
          this.reloadPending = false;
          const before = this.snapshot();
          await this.load();
          const after = this.snapshot();
          if (!sameSnapshot(before, after)) fn(before, after);
        });
      });
    });
  }

  snapshot(): NetSnapshot {
    return { networks: new Map(this.nets), endpoints: new Map(this.eps) };
  }

  /** Run changes one at a time (an HTTP handler and a Docker call may race for the last address). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // ---- reads ----

  networks(): Network[] {
    return [...this.nets.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** By name, or by Docker's network id (full or the 12-digit short form `docker network ls` shows). */
  find(ref: string): Network | undefined {
    for (const n of this.nets.values()) if (n.name === ref) return n;
    if (/^[0-9a-f]{12,64}$/.test(ref)) for (const n of this.nets.values()) if (n.docker_id?.startsWith(ref)) return n;
    return undefined;
  }

  get(ref: string): Network {
    const n = this.find(ref);
    if (!n) throw new NetError(404, 'unknown_network', `no network ${JSON.stringify(ref)}; GET /api/v1/networks lists them`);
    return n;
  }

  byDockerId(id: string): Network | undefined {
    for (const n of this.nets.values()) if (n.docker_id === id) return n;
    return undefined;
  }

  byId(id: number): Network | undefined {
    return this.nets.get(id);
  }

  /** Endpoints of one network (or all), ordered by address so answers are stable. */
  endpoints(network?: string): Endpoint[] {
    const all = [...this.eps.values()].filter((e) => network === undefined || e.network === network);
    const key = (e: Endpoint): number => e.ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    return all.sort((a, b) => (a.network < b.network ? -1 : a.network > b.network ? 1 : key(a) - key(b)));
  }

  endpoint(id: string): Endpoint | undefined {
    return this.eps.get(id);
  }

  pool(subnet: string): Pool | undefined {
    return this.pools.get(subnet);
  }

  allocations(subnet: string): Allocation[] {
    return [...(this.addrs.get(subnet)?.values() ?? [])];
  }

  // ---- networks ----

  async createNetwork(n: NewNetwork, again = true): Promise<Network> {
    if (!NAME.test(n.name)) throw new NetError(400, 'invalid_name', `network name ${JSON.stringify(n.name)} must be 1-63 letters, digits, "_", "." or "-", starting with a letter or digit`);
    if (this.find(n.name)) throw new NetError(409, 'network_exists', `a network named ${n.name} already exists`);
    const s = parseSubnet(n.subnet);
    const pending = this.pools.get(s.cidr);
    // Docker asks for the pool (IPAM) before it creates the network: that pool is this network's.
    const adopt = n.driver === 'docker' && pending !== undefined && pending.network === undefined;
    if (!adopt) this.checkNoOverlap(s);
    const gateway = adopt && pending.gateway !== undefined ? pending.gateway : gatewayOf(s, n.gateway);
    const net: Network = { name: n.name, id: this.nextId, subnet: s.cidr, gateway, bridge: n.bridge, driver: n.driver, ...(n.docker_id ? { docker_id: n.docker_id } : {}) };
    const pool: Pool = { subnet: s.cidr, gateway, network: net.id, ...(adopt && pending.docker_ipam ? { docker_ipam: true } : {}) };
    const ops: StoreOp[] = [put('meta/next-id', net.id + 1), put(`net/${net.id}`, net), put(`pool/${s.cidr}`, pool)];
    const gwTaken = this.addrs.get(s.cidr)?.has(gateway) === true;
    if (!gwTaken) ops.push(put(addrKey(s.cidr, gateway), { ip: gateway, use: 'gateway' } satisfies Allocation));
    // Another instance may take the same id (or subnet) at the same moment: the guard lets one of us win;
    // the other reads the model again and decides anew (a name or subnet now taken is a 409).
    if (!(await this.kv.batch(ops, [`net/${net.id}`, ...(adopt ? [] : [`pool/${s.cidr}`])]))) {
      await this.load();
      if (again) return this.createNetwork(n, false);
      throw new NetError(409, 'concurrent_change', 'another controller instance changed the networks at the same moment; retry');
    }
    this.nextId = net.id + 1;
    this.nets.set(net.id, net);
    this.pools.set(s.cidr, pool);
    if (!gwTaken) this.poolAddrs(s.cidr).set(gateway, { ip: gateway, use: 'gateway' });
    return net;
  }

  /** Delete a network without endpoints. Its pool goes too, unless Docker still holds it (it releases it next). */
  async deleteNetwork(ref: string): Promise<Network> {
    const net = this.get(ref);
    const keepPool = this.pools.get(net.subnet)?.docker_ipam === true;
    const eps = this.endpoints(net.name);
    if (eps.length > 0) {
      throw new NetError(409, 'network_in_use', `network ${net.name} still has ${eps.length} endpoint(s) (${eps.map((e) => e.container_name).join(', ')}); detach them first`);
    }
    const ops: StoreOp[] = [del(`net/${net.id}`)];
    const pool = this.pools.get(net.subnet);
    const kept: Pool | undefined = pool && { subnet: pool.subnet, gateway: pool.gateway, docker_ipam: true };
    if (keepPool && kept) ops.push(put(`pool/${net.subnet}`, kept));
    else ops.push(del(`pool/${net.subnet}`), ...this.allocations(net.subnet).map((a) => del(addrKey(net.subnet, a.ip))));
    await this.commit(ops);
    this.nets.delete(net.id);
    if (keepPool && kept) this.pools.set(net.subnet, kept);
    else {
      this.pools.delete(net.subnet);
      this.addrs.delete(net.subnet);
    }
    return net;
  }

  async rename(id: number, name: string): Promise<Network | undefined> {
    const net = this.nets.get(id);
    if (!net || !NAME.test(name) || this.find(name)) return undefined;
    const renamed: Network = { ...net, name };
    const moved = this.endpoints(net.name).map((e) => ({ ...e, network: name }));
    await this.commit([put(`net/${id}`, renamed), ...moved.map((e) => put(`ep/${e.id}`, e))]);
    this.nets.set(id, renamed);
    for (const e of moved) this.eps.set(e.id, e);
    return renamed;
  }

  // ---- pools (Docker's IPAM calls them before and after the network) ----

  async requestPool(subnet: string): Promise<Pool> {
    const s = parseSubnet(subnet);
    this.checkNoOverlap(s);
    const pool: Pool = { subnet: s.cidr, gateway: gatewayOf(s), docker_ipam: true };
    if (!(await this.kv.batch([put(`pool/${s.cidr}`, pool)], [`pool/${s.cidr}`]))) {
      throw new NetError(409, 'subnet_overlaps', `subnet ${s.cidr} was just taken by another controller instance; pick a subnet that does not overlap`);
    }
    this.pools.set(s.cidr, pool);
    return pool;
  }

  /** Drop a pool no network uses any more (with whatever addresses Docker did not release). */
  async releasePool(subnet: string): Promise<void> {
    const pool = this.pools.get(subnet);
    if (!pool) return;
    if (pool.network !== undefined && this.nets.has(pool.network)) {
      throw new NetError(409, 'pool_in_use', `pool ${subnet} still belongs to network ${this.nets.get(pool.network)!.name}`);
    }
    await this.commit([del(`pool/${subnet}`), ...this.allocations(subnet).map((a) => del(addrKey(subnet, a.ip)))]);
    this.pools.delete(subnet);
    this.addrs.delete(subnet);
  }

  /**
   * Take an address of a pool: the one asked for, or the lowest free one.
   * `gateway` takes the pool's gateway (Docker asks for it like any address).
   */
  async allocate(subnet: string, opts: { ip?: string; use: Allocation['use']; gateway?: boolean }): Promise<string> {
    const pool = this.pools.get(subnet);
    if (!pool) throw new NetError(404, 'unknown_pool', `no address pool ${subnet}`);
    const s = parseSubnet(subnet);
    const taken = new Set(this.poolAddrs(subnet).keys());
    let ip: string;
    if (opts.gateway) {
      ip = opts.ip === undefined ? pool.gateway ?? gatewayOf(s) : gatewayOf(s, opts.ip);
      if (taken.has(ip)) throw new NetError(409, 'address_taken', `gateway ${ip} of ${subnet} is already allocated`);
    } else ip = opts.ip === undefined ? lowestFree(s, taken) : checkRequested(s, opts.ip, taken);
    const a: Allocation = { ip, use: opts.gateway ? 'gateway' : opts.use };
    const ops = [put(addrKey(subnet, ip), a)];
    const newPool: Pool = { ...pool, gateway: ip };
    if (opts.gateway && pool.gateway !== ip) ops.push(put(`pool/${subnet}`, newPool));
    // ifAbsent: even a second writer outside this process could not get the same address.
    if (!(await this.kv.batch(ops, [addrKey(subnet, ip)]))) throw new NetError(409, 'address_taken', `address ${ip} of ${subnet} is already allocated`);
    this.poolAddrs(subnet).set(ip, a);
    if (opts.gateway && pool.gateway !== ip) this.pools.set(subnet, newPool);
    return ip;
  }

  async release(subnet: string, ip: string): Promise<boolean> {
    const a = this.addrs.get(subnet)?.get(ip);
    if (!a) return false;
    if (a.endpoint !== undefined && this.eps.has(a.endpoint)) throw new NetError(409, 'address_in_use', `address ${ip} is still used by endpoint ${a.endpoint.slice(0, 12)}`);
    await this.commit([del(addrKey(subnet, ip))]);
    this.addrs.get(subnet)?.delete(ip);
    return true;
  }

  // ---- endpoints ----

  /** The address an allocation would take now (requested and checked, or the lowest free), without taking it. */
  peekAddress(subnet: string, ip?: string): string {
    const s = parseSubnet(subnet);
    const taken = new Set(this.poolAddrs(subnet).keys());
    return ip === undefined ? lowestFree(s, taken) : checkRequested(s, ip, taken);
  }

  /** Refuse a second endpoint of one container on one network. */
  checkNotAttached(network: string, containerId: string): void {
    const e = [...this.eps.values()].find((x) => x.network === network && x.container_id === containerId);
    if (e) throw new NetError(409, 'already_attached', `container ${e.container_name} is already attached to ${network} (address ${e.ip})`);
  }

  /**
   * Record an endpoint. With `allocate` its address is taken in the same
   * batch (REST attach); otherwise the address must already be allocated
   * (Docker asked the IPAM for it first) and is bound to the endpoint.
   */
  async addEndpoint(ep: Endpoint, allocate: boolean): Promise<void> {
    const net = this.get(ep.network);
    // Docker names an endpoint's container only after Join (and refuses double attaches itself).
    if (ep.container_id !== '') this.checkNotAttached(net.name, ep.container_id);
    if (this.eps.has(ep.id)) throw new NetError(409, 'endpoint_exists', `endpoint ${ep.id.slice(0, 12)} already exists`);
    const held = this.addrs.get(net.subnet)?.get(ep.ip);
    if (allocate && held) throw new NetError(409, 'address_taken', `address ${ep.ip} of ${net.subnet} is already allocated`);
    if (!allocate && held?.endpoint !== undefined) throw new NetError(409, 'address_taken', `address ${ep.ip} is already used by endpoint ${held.endpoint.slice(0, 12)}`);
    const a: Allocation = { ip: ep.ip, use: 'endpoint', endpoint: ep.id };
    const ok = await this.kv.batch([put(`ep/${ep.id}`, ep), put(addrKey(net.subnet, ep.ip), a)], allocate ? [addrKey(net.subnet, ep.ip)] : []);
    if (!ok) throw new NetError(409, 'address_taken', `address ${ep.ip} of ${net.subnet} is already allocated`);
    this.eps.set(ep.id, ep);
    this.poolAddrs(net.subnet).set(ep.ip, a);
  }

  /** Replace an endpoint's record (Docker tells us its container only after Join). */
  async updateEndpoint(ep: Endpoint): Promise<void> {
    if (!this.eps.has(ep.id)) return;
    await this.commit([put(`ep/${ep.id}`, ep)]);
    this.eps.set(ep.id, ep);
  }

  /** Forget an endpoint; `free` also returns its address to the pool (REST; Docker releases it itself). */
  async removeEndpoint(id: string, free: boolean): Promise<Endpoint | undefined> {
    const ep = this.eps.get(id);
    if (!ep) return undefined;
    const net = this.find(ep.network);
    const ops: StoreOp[] = [del(`ep/${id}`)];
    const subnet = net?.subnet;
    if (subnet !== undefined) {
      if (free) ops.push(del(addrKey(subnet, ep.ip)));
      else ops.push(put(addrKey(subnet, ep.ip), { ip: ep.ip, use: 'reserved' } satisfies Allocation));
    }
    await this.commit(ops);
    this.eps.delete(id);
    if (subnet !== undefined) {
      if (free) this.addrs.get(subnet)?.delete(ep.ip);
      else this.poolAddrs(subnet).set(ep.ip, { ip: ep.ip, use: 'reserved' });
    }
    return ep;
  }

  // ---- helpers ----

  private checkNoOverlap(s: Subnet): void {
    for (const p of this.pools.values()) {
      if (!overlaps(s, parseSubnet(p.subnet))) continue;
      const owner = p.network === undefined ? undefined : this.nets.get(p.network);
      throw new NetError(409, 'subnet_overlaps', `subnet ${s.cidr} overlaps ${p.subnet}${owner ? ` of network ${owner.name}` : ' (an address pool Docker holds)'}; pick a subnet that does not`);
    }
  }

  private poolAddrs(subnet: string): Map<string, Allocation> {
    let m = this.addrs.get(subnet);
    if (!m) this.addrs.set(subnet, (m = new Map()));
    return m;
  }

  private async commit(ops: StoreOp[]): Promise<void> {
    await this.kv.batch(ops);
  }
}

function sameSnapshot(a: NetSnapshot, b: NetSnapshot): boolean {
  const same = <K, V>(x: ReadonlyMap<K, V>, y: ReadonlyMap<K, V>): boolean => x.size === y.size && [...x].every(([k, v]) => JSON.stringify(y.get(k)) === JSON.stringify(v));
  return same(a.networks, b.networks) && same(a.endpoints, b.endpoints);
}
