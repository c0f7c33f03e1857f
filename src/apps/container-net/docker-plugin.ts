// Docker's remote NetworkDriver and IpamDriver protocol (libnetwork's
// docs/remote.md and docs/ipam.md), answered from the same model the REST
// API uses. Docker calls, for `docker network create -d sy --ipam-driver sy
// --subnet S name` then `docker run --network name`:
//   IpamDriver.RequestPool(S) → RequestAddress(gateway) → NetworkDriver.CreateNetwork
//   IpamDriver.RequestAddress → CreateEndpoint → Join          (docker run / network connect)
//   Leave → DeleteEndpoint → IpamDriver.ReleaseAddress         (stop, rm, network disconnect)
//   DeleteNetwork → ReleaseAddress(gateway) → ReleasePool      (docker network rm)
// Docker does not tell the driver a network's name or an endpoint's
// container: both are asked of the Engine API once the call has returned.

import type { AppContext } from '../../core/apps/app-context.js';
import type { DockerClient } from './docker-client.js';
import type { NetworkStore } from './network-store.js';
import type { Settings } from './settings.js';
import { macForIp, parseSubnet } from './ipam.js';
import { plugHostSide, unplug } from './plumbing.js';
import { PluginError } from './plugin-server.js';
import { NetError, type Endpoint, type Network } from './types.js';

type Body = Record<string, unknown>;
const GATEWAY_TYPE = 'com.docker.network.gateway';
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const bare = (cidr: string): string => cidr.replace(/\/\d+$/, '');

/** What the plugin needs of the app (ContainerNet): the model, the plumbing, the announcements. */
export interface PluginHost {
  readonly ctx: AppContext;
  readonly settings: Settings;
  readonly store: NetworkStore;
  readonly docker: DockerClient;
  dropNetwork(n: Network): Promise<void>;
  announceNetwork(n: Network): void;
  endpointUp(ep: Endpoint): Promise<void>;
  endpointDown(ep: Endpoint): void;
  plugOrFail<T>(fn: () => Promise<T>): Promise<T>;
  bridgeFor(net: Network): Promise<void>;
}

export class DockerPlugin {
  constructor(private readonly app: PluginHost) {}

  /** After a restart: finish naming what a killed controller had not learnt from Docker yet. */
  resume(): void {
    for (const n of this.app.store.networks()) {
      if (n.driver !== 'docker') continue;
      if (n.name === `docker-${(n.docker_id ?? '').slice(0, 12)}`) this.later(() => this.learnNetworkName(n));
      for (const e of this.app.store.endpoints(n.name)) if (e.container_id === '') this.later(() => this.learnContainer(n, e.id));
    }
  }

  async handle(method: string, body: Body): Promise<Body> {
    try {
      return await this.dispatch(method, body);
    } catch (e) {
      if (e instanceof NetError) throw new PluginError(e.message);
      throw e;
    }
  }

  private dispatch(method: string, b: Body): Promise<Body> | Body {
    switch (method) {
      case 'Plugin.Activate':
        return { Implements: ['NetworkDriver', 'IpamDriver'] };
      case 'NetworkDriver.GetCapabilities':
        return { Scope: 'local', ConnectivityScope: 'local' };
      case 'NetworkDriver.CreateNetwork':
        return this.createNetwork(b);
      case 'NetworkDriver.DeleteNetwork':
        return this.deleteNetwork(b);
      case 'NetworkDriver.CreateEndpoint':
        return this.createEndpoint(b);
      case 'NetworkDriver.EndpointOperInfo':
        return { Value: {} };
      case 'NetworkDriver.DeleteEndpoint':
        return this.deleteEndpoint(b);
      case 'NetworkDriver.Join':
        return this.join(b);
      case 'NetworkDriver.Leave':
      case 'NetworkDriver.DiscoverNew':
      case 'NetworkDriver.DiscoverDelete':
      case 'NetworkDriver.ProgramExternalConnectivity':
      case 'NetworkDriver.RevokeExternalConnectivity':
      case 'NetworkDriver.AllocateNetwork':
      case 'NetworkDriver.FreeNetwork':
        return {};
      case 'IpamDriver.GetCapabilities':
        return { RequiresMACAddress: false, RequiresRequestReplay: false };
      case 'IpamDriver.GetDefaultAddressSpaces':
        return { LocalDefaultAddressSpace: 'switchyard-local', GlobalDefaultAddressSpace: 'switchyard-global' };
      case 'IpamDriver.RequestPool':
        return this.requestPool(b);
      case 'IpamDriver.ReleasePool':
        return this.app.store.exclusive(async () => (await this.app.store.releasePool(str(b.PoolID)), {}));
      case 'IpamDriver.RequestAddress':
        return this.requestAddress(b);
      case 'IpamDriver.ReleaseAddress':
        return this.app.store.exclusive(async () => (await this.app.store.release(str(b.PoolID), bare(str(b.Address))), {}));
      default:
        throw new PluginError(`${this.app.settings.pluginName} does not implement ${method}`);
    }
  }

  private requestPool(b: Body): Promise<Body> {
    if (b.V6 === true) throw new PluginError('Switchyard networks are IPv4 only: create the network without --ipv6');
    const pool = str(b.Pool);
    if (pool === '') throw new PluginError(`give the network a subnet: docker network create -d ${this.app.settings.pluginName} --ipam-driver ${this.app.settings.pluginName} --subnet 10.20.0.0/24 NAME`);
    if (str(b.SubPool) !== '' && str(b.SubPool) !== pool) throw new PluginError('--ip-range is not supported: addresses come from the whole subnet');
    return this.app.store.exclusive(async () => {
      const p = await this.app.store.requestPool(pool);
      return { PoolID: p.subnet, Pool: p.subnet, Data: {} };
    });
  }

  private requestAddress(b: Body): Promise<Body> {
    const subnet = str(b.PoolID);
    const opts = (b.Options ?? {}) as Record<string, string>;
    const gateway = opts.RequestAddressType === GATEWAY_TYPE;
    const want = str(b.Address);
    return this.app.store.exclusive(async () => {
      const ip = await this.app.store.allocate(subnet, { use: 'reserved', gateway, ...(want ? { ip: want } : {}) });
      return { Address: `${ip}/${parseSubnet(subnet).prefix}`, Data: {} };
    });
  }

  private createNetwork(b: Body): Promise<Body> {
    const v4 = (b.IPv4Data as { Pool?: string; Gateway?: string }[] | undefined)?.[0];
    if (!v4?.Pool) throw new PluginError('the network needs an IPv4 subnet (--subnet)');
    const dockerId = str(b.NetworkID);
    return this.app.store.exclusive(async () => {
      const net = await this.app.store.createNetwork({
        name: `docker-${dockerId.slice(0, 12)}`, subnet: v4.Pool!, ...(v4.Gateway ? { gateway: bare(v4.Gateway) } : {}),
        bridge: this.app.settings.bridge, driver: 'docker', docker_id: dockerId,
      });
      await this.app.bridgeFor(net);
      this.app.announceNetwork(net);
      this.later(() => this.learnNetworkName(net));
      return {};
    });
  }

  private deleteNetwork(b: Body): Promise<Body> {
    return this.app.store.exclusive(async () => {
      const net = this.app.store.byDockerId(str(b.NetworkID));
      if (net) await this.app.dropNetwork(net);
      return {};
    });
  }

  private createEndpoint(b: Body): Promise<Body> {
    const iface = (b.Interface ?? {}) as { Address?: string; MacAddress?: string };
    const endpointId = str(b.EndpointID);
    return this.app.store.exclusive(async () => {
      const net = this.network(str(b.NetworkID));
      if (!iface.Address) throw new PluginError(`the endpoint has no IPv4 address; create network ${net.name} with --ipam-driver ${this.app.settings.pluginName} or a --subnet`);
      const ip = bare(iface.Address);
      const mac = iface.MacAddress || macForIp(ip);
      // Docker's own IPAM (when --ipam-driver was not ours) allocated the address: record it as ours too.
      if (!this.app.store.allocations(net.subnet).some((a) => a.ip === ip)) await this.app.store.allocate(net.subnet, { use: 'reserved', ip });
      const p = await this.app.plugOrFail(() => plugHostSide(this.app.ctx, {
        bridge: net.bridge, own: net.bridge === this.app.settings.bridge, prefix: this.app.settings.vethPrefix, endpointId,
        externalIds: { endpoint_id: endpointId, network: net.name, docker_network_id: net.docker_id ?? '' },
      }));
      const ep: Endpoint = { id: endpointId, network: net.name, container_id: '', container_name: '', mac, ip, dpid: p.dpid, port_no: p.port_no, port_name: p.host, via: 'docker' };
      try {
        await this.app.store.addEndpoint(ep, false);
      } catch (e) {
        await unplug(this.app.ctx, net.bridge, { host: p.host, dpid: p.dpid, port_no: p.port_no });
        throw e;
      }
      await this.app.endpointUp(ep);
      return iface.MacAddress ? { Interface: {} } : { Interface: { MacAddress: mac } };
    });
  }

  private join(b: Body): Body {
    const net = this.network(str(b.NetworkID));
    const ep = this.app.store.endpoint(str(b.EndpointID));
    if (!ep) throw new PluginError(`no endpoint ${str(b.EndpointID).slice(0, 12)} on network ${net.name}`);
    this.later(() => this.learnContainer(net, ep.id));
    return { InterfaceName: { SrcName: ep.port_name.replace(/h(?=[0-9a-f]{9}$)/, 'c'), DstPrefix: 'eth' }, Gateway: net.gateway, StaticRoutes: [], DisableGatewayService: false };
  }

  private deleteEndpoint(b: Body): Promise<Body> {
    return this.app.store.exclusive(async () => {
      const ep = this.app.store.endpoint(str(b.EndpointID));
      if (!ep) return {};
      const net = this.app.store.find(ep.network);
      await unplug(this.app.ctx, net?.bridge ?? this.app.settings.bridge, { host: ep.port_name, dpid: ep.dpid, port_no: ep.port_no });
      await this.app.store.removeEndpoint(ep.id, false);
      this.app.endpointDown(ep);
      return {};
    });
  }

  private network(dockerId: string): Network {
    const net = this.app.store.byDockerId(dockerId);
    if (!net) throw new PluginError(`Switchyard has no network with Docker id ${dockerId.slice(0, 12)}; was it created while the controller was running?`);
    return net;
  }

  /** Retry an Engine API question a few times after the plugin call returned (Docker knows the answer only then). */
  private later(fn: () => Promise<boolean>): void {
    let tries = 0;
    const step = (): void => {
      fn().then((done) => {
        if (!done && ++tries < 60) setTimeout(step, 250).unref();
      }, (e: unknown) => this.app.ctx.log.warn({ err: String(e) }, 'asking Docker failed'));
    };
    setTimeout(step, 100).unref();
  }

  private async learnNetworkName(net: Network): Promise<boolean> {
    const name = await this.app.docker.networkName(net.docker_id ?? '');
    if (name === undefined) return this.app.store.byId(net.id) === undefined; // gone meanwhile: stop asking
    return this.app.store.exclusive(async () => {
      const now = this.app.store.byId(net.id);
      if (!now || now.name === name) return true;
      const renamed = await this.app.store.rename(net.id, name);
      if (!renamed) this.app.ctx.log.warn({ docker: name, kept: now.name }, 'a network of that name exists already; the Docker network keeps its id-based name here');
      else this.app.ctx.events.emit('network.renamed', { from: now.name, to: name });
      return true;
    });
  }

  private async learnContainer(net: Network, endpointId: string): Promise<boolean> {
    const current = this.app.store.byId(net.id);
    if (!current?.docker_id || !this.app.store.endpoint(endpointId)) return true;
    const containers = await this.app.docker.networkContainers(current.docker_id);
    const hit = Object.entries(containers ?? {}).find(([, c]) => c.EndpointID === endpointId);
    if (!hit) return false;
    return this.app.store.exclusive(async () => {
      const ep = this.app.store.endpoint(endpointId);
      if (!ep) return true;
      const updated: Endpoint = { ...ep, container_id: hit[0], container_name: hit[1].Name };
      await this.app.store.updateEndpoint(updated);
      this.app.ctx.events.emit('endpoint.updated', { network: updated.network, container: updated.container_name, ip: updated.ip });
      return true;
    });
  }
}
