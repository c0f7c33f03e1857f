import type { App, AppContext, AppDefinition } from '../../core/apps/app-context.js';
import type { CoreEventMap } from '../../core/events.js';
import type { FlowBatch } from '../../core/flows/flow-service.js';
import type { FlowSpec } from '../../core/flows/flow-spec.js';
import type { PacketInContext } from '../../core/packets/packet-service.js';
import { ETHERTYPE_LLDP, isMulticast, isPacketError, parseEthernet, type EthernetHeader } from '../../packet/index.js';
import { portIsUp } from '../../core/switches.js';
import { completeHops, flowKey, pairFlows, reverseHops, type Attachment, type PathFlowOptions } from './path-flows.js';
import { PathTable, pairId, type PairState } from './path-table.js';

/** Port numbers from here up are reserved (LOCAL, CONTROLLER...): no host is attached there. */
const RESERVED_PORTS = 0xffffff00;

type PortRef = { readonly dpid: string; readonly port_no: number };

/**
 * Shortest-path forwarding between known hosts. The first packet towards a
 * host the tracker knows installs the whole path, both directions, on every
 * switch at once, so a conversation costs one packet-in instead of one per
 * switch per direction. Everything else (broadcast, multicast, unknown
 * destinations) is flooded exactly as the l2-switch does: along the
 * spanning tree plus edge ports, dropping copies that arrive on blocked
 * inter-switch ports. Paths are remembered by the ports they cross, so a
 * link that fails reroutes its paths at once instead of blackholing them
 * until the flows idle out.
 */
export class Forwarding implements App {
  private ctx!: AppContext;
  private readonly table = new PathTable();
  private opts: PathFlowOptions = { priority: 20, idleTimeout: 60 };
  /** While a packet-in is handled: flow changes per switch, sent together at its end. */
  private readonly pending = new Map<string, { remove: string[]; install: FlowSpec[] }>();
  private collecting = false;

  start(ctx: AppContext): void {
    this.ctx = ctx;
    this.opts = { priority: u16(ctx, 'priority', 20), idleTimeout: u16(ctx, 'idleTimeout', 60) };
    ctx.packets.register({ name: 'forwarding', kind: 'director', order: 100, process: (p) => this.onPacket(p) });
    ctx.events.on('link.down', (e) => this.onLinkDown(e.data.src, e.data.dst));
    ctx.events.on('link.up', (e) => this.onLinkUp(e.data.src, e.data.dst));
    ctx.events.on('host.moved', (e) => this.onHostMoved(e.data));
    ctx.events.on('host.removed', (e) => this.onHostRemoved(e.data.mac));
    ctx.events.on('flow.removed', (e) => this.onFlowRemoved(e.data));
    // The topology turns a port going down into link.down already; this also
    // catches a port whose link had not been (re)discovered yet.
    ctx.switches.onPortChange((sw, port, reason) => {
      if (typeof port.port_no === 'number' && (reason === 'delete' || !portIsUp(port))) this.reroute(this.table.crossing(sw.id, port.port_no), 'port down');
    });
  }

  stop(): void {
    this.table.clear();
  }

  private onPacket(p: PacketInContext): boolean {
    const eth = parseEthernet(p.data);
    // LLDP is link-local control traffic: never learned from or forwarded.
    if (isPacketError(eth) || eth.ethertype === ETHERTYPE_LLDP) return false;
    this.collecting = true;
    let out: number[] | undefined;
    try {
      const topo = this.ctx.topology;
      const interSwitch = topo.isInterSwitchPort(p.sw.dpid, p.inPort);
      const routed = !isMulticast(eth.dst) && !isMulticast(eth.src) && eth.src !== eth.dst ? this.route(p, eth, interSwitch) : false;
      // Empty for a copy that came in on an inter-switch port off the tree: it is a loop copy, dropped.
      out = routed === false ? topo.floodPorts(p.sw.dpid, p.inPort) : routed === true ? undefined : [routed];
    } finally {
      this.collecting = false;
      this.flush(p, out);
    }
    return true;
  }

  /** Per switch one batch of what this packet-in changed; the packet-out rides with its own switch's flows, after them. */
  private flush(p: PacketInContext, out: readonly number[] | undefined): void {
    const po = out === undefined || out.length === 0 ? undefined
      // A buffered packet is released by its buffer_id (OF 1.3.5 §7.3.7), without sending the data back.
      : [{ type: 'packet_out' as const, buffer_id: p.msg.buffer_id, in_port: p.inPort, actions: out.map((port) => ({ type: 'output' as const, port, max_len: 0 })), data: p.msg.buffer_id === 'no_buffer' ? p.data : Buffer.alloc(0) }];
    let sent = false;
    for (const [dpid, b] of this.pending) {
      const here = dpid === p.sw.id;
      sent ||= here;
      this.send(dpid, { remove: b.remove, install: b.install, ...(here && po ? { packetOuts: po } : {}) });
    }
    this.pending.clear();
    if (!sent && po) this.send(p.sw.id, { packetOuts: po });
  }

  /** The port to send the packet out of when it was routed, true when dropped on purpose; false leaves it to flooding. */
  private route(p: PacketInContext, eth: EthernetHeader, interSwitch: boolean): number | boolean {
    const dstHost = this.ctx.hosts.byMac(eth.dst);
    if (!dstHost || this.ctx.topology.isInterSwitchPort(dstHost.dpid, dstHost.port_no)) return false;
    const dstAt: Attachment = { dpid: dstHost.dpid, port: dstHost.port_no };
    const vlan = eth.vlans[0]?.vid ?? null;
    const known = this.table.get(pairId(eth.src, eth.dst, vlan));
    // The host tracker observes after directors run, so the sender of a first
    // packet is not in it yet: an edge port is where the sender is, now.
    const edge = !interSwitch && p.inPort > 0 && p.inPort < RESERVED_PORTS;
    const srcHost = edge ? undefined : this.ctx.hosts.byMac(eth.src);
    const srcAt: Attachment | undefined = edge ? { dpid: p.sw.id, port: p.inPort } : known ? endOf(known, eth.src) : srcHost && { dpid: srcHost.dpid, port: srcHost.port_no };
    if (!srcAt) return false;
    // Both hosts on one port (a hub behind it): the segment already carried it.
    if (same(srcAt, dstAt)) return true;

    const pair = this.install(known, eth.src, eth.dst, vlan, srcAt, dstAt);
    if (!pair) return false;
    const hops = pair.a === eth.src ? pair.hops : reverseHops(pair.hops);
    const hop = hops.find((h) => h.dpid === p.sw.id && h.inPort === p.inPort);
    // Not on its path: a copy of an earlier flood (the destination was learned
    // meanwhile); it keeps flood semantics so the tree, not the path, bounds it.
    if (!hop) return false;
    // The first packet is sent on rather than lost; later ones meet the flows.
    return hop.outPort;
  }

  /**
   * Installs (or refreshes) the pair's path in both directions. A pair with
   * the same ends keeps its path: working paths do not move when the
   * topology grows, and re-sending refreshes flows that idled out on some
   * switch (the flow service sends only what is missing). Undefined when
   * there is no path.
   */
  private install(known: PairState | undefined, src: string, dst: string, vlan: number | null, srcAt: Attachment, dstAt: Attachment): PairState | undefined {
    if (known && known.hops.length > 0 && same(endOf(known, src), srcAt) && same(endOf(known, dst), dstAt)) {
      return this.commit(known, { ...known, idle: new Set() });
    }
    const path = this.ctx.topology.shortestPath(srcAt.dpid, dstAt.dpid, { inPort: srcAt.port, outPort: dstAt.port });
    const hops = path && completeHops(path);
    if (!hops) return undefined;
    const id = pairId(src, dst, vlan);
    return this.commit(known, { id, a: src, b: dst, vlan, aAt: srcAt, bAt: dstAt, hops, keys: new Map(), idle: new Set() });
  }

  /**
   * Makes the switches hold `next`'s flows instead of `old`'s: per switch one
   * batch that deletes the keys no longer used there and adds the new ones.
   * Keys are per direction and switch, so a switch whose ports changed gets
   * its flow replaced in place. Returns the recorded pair.
   */
  private commit(old: PairState | undefined, next: PairState): PairState {
    const flows = next.hops.length > 0 ? pairFlows({ src: next.a, dst: next.b, vlan: next.vlan }, next.hops, this.opts) : new Map<string, FlowSpec[]>();
    const keys = new Map([...flows].map(([dpid, specs]) => [dpid, specs.map((s) => s.key!)]));
    for (const dpid of new Set([...flows.keys(), ...(old?.keys.keys() ?? [])])) {
      const keep = new Set(keys.get(dpid) ?? []);
      const remove = (old?.keys.get(dpid) ?? []).filter((k) => !keep.has(k));
      this.apply(dpid, remove, flows.get(dpid) ?? []);
    }
    const rec: PairState = { ...next, keys };
    this.table.put(rec);
    return rec;
  }

  private drop(pair: PairState, why: string): void {
    this.table.delete(pair.id);
    for (const [dpid, keys] of pair.keys) this.apply(dpid, keys, []);
    this.ctx.log.debug({ pair: pair.id, why }, 'path removed');
  }

  private apply(dpid: string, remove: readonly string[], install: readonly FlowSpec[]): void {
    if (remove.length === 0 && install.length === 0) return;
    if (!this.collecting) {
      this.send(dpid, { remove, install });
      return;
    }
    let b = this.pending.get(dpid);
    if (b === undefined) this.pending.set(dpid, (b = { remove: [], install: [] }));
    b.remove.push(...remove);
    b.install.push(...install);
  }

  private send(dpid: string, batch: FlowBatch): void {
    this.ctx.flows.apply(BigInt('0x' + dpid), batch).catch((e: unknown) => this.ctx.log.warn({ switch: dpid, err: String(e) }, 'path flows refused'));
  }

  /**
   * Recompute each pair's path from its recorded ends on the current
   * topology (which has already dropped the failed link). No path: its flows
   * go and the pair waits, stranded, for a link.up.
   */
  private reroute(pairs: readonly PairState[], why: string): void {
    for (const pair of pairs) {
      const topo = this.ctx.topology;
      // An end that became an inter-switch port is no host any more.
      if (topo.isInterSwitchPort(pair.aAt.dpid, pair.aAt.port) || topo.isInterSwitchPort(pair.bAt.dpid, pair.bAt.port)) {
        this.drop(pair, 'host port became an inter-switch port');
        continue;
      }
      const path = topo.shortestPath(pair.aAt.dpid, pair.bAt.dpid, { inPort: pair.aAt.port, outPort: pair.bAt.port });
      const hops = (path && completeHops(path)) ?? [];
      const rec = this.commit(pair, { ...pair, hops, idle: new Set() });
      const [before, after] = [pathText(pair), pathText(rec)];
      // One direction of a cable gone leaves the other in the (undirected) graph: the path may not change yet.
      if (before === after) this.ctx.log.debug({ pair: pair.id, why, path: after }, 'path unchanged');
      else this.ctx.log.info({ pair: pair.id, why, before, after }, hops.length > 0 ? 'path rerouted' : 'no path: waiting for a link');
    }
  }

  private onLinkDown(src: PortRef, dst: PortRef): void {
    const byId = new Map<string, PairState>();
    for (const end of [src, dst]) for (const p of this.table.crossing(end.dpid, end.port_no)) byId.set(p.id, p);
    this.reroute([...byId.values()], 'link down');
  }

  /** Working paths stay (still short enough); pairs that had no path get one if they can. */
  private onLinkUp(src: PortRef, dst: PortRef): void {
    for (const end of [src, dst]) for (const p of this.table.endingAt(end.dpid, end.port_no)) this.drop(p, 'host port became an inter-switch port');
    const stranded = this.table.stranded();
    if (stranded.length > 0) this.reroute(stranded, 'link up');
  }

  /** The host's paths to and from its old place are wrong now; the next packet installs new ones. */
  private onHostMoved(h: CoreEventMap['host.moved']): void {
    const now: Attachment = { dpid: h.dpid, port: h.port_no };
    // A pair the first packet from the new place already re-installed ends there: keep it.
    for (const p of this.table.withMac(h.mac)) if (!same(endOf(p, h.mac), now)) this.drop(p, 'host moved');
  }

  /** A stranded pair of a host nobody has seen for a while is not worth retrying; working paths age out by themselves. */
  private onHostRemoved(mac: string): void {
    for (const p of this.table.withMac(mac)) if (p.hops.length === 0) this.drop(p, 'host gone');
  }

  /** When both directions idled out somewhere the conversation is over: forget the pair and delete what is left of it. */
  private onFlowRemoved(f: CoreEventMap['flow.removed']): void {
    if (f.owner !== this.ctx.name || (f.reason !== 'idle_timeout' && f.reason !== 'hard_timeout')) return;
    const d = directionOf(f.match);
    const pair = d && this.table.get(pairId(d.src, d.dst, d.vlan));
    if (!d || !pair || !(pair.keys.get(f.dpid) ?? []).includes(flowKey(d, f.dpid))) return;
    pair.idle.add(d.src === pair.a ? 'ab' : 'ba');
    if (pair.idle.size === 2) this.drop(pair, 'idle');
  }
}

function endOf(p: PairState, mac: string): Attachment {
  return mac === p.a ? p.aAt : p.bAt;
}

function same(x: Attachment, y: Attachment): boolean {
  return x.dpid === y.dpid && x.port === y.port;
}

function pathText(p: PairState): string {
  return p.hops.map((h) => `${h.dpid}:${h.inPort}>${h.outPort}`).join(' ');
}

/** eth_src, eth_dst and vlan of a flow.removed match (JSON: [{field, value}]). */
function directionOf(match: unknown): { src: string; dst: string; vlan: number | null } | undefined {
  if (!Array.isArray(match)) return undefined;
  let src: string | undefined;
  let dst: string | undefined;
  let vlan: number | null = null;
  for (const f of match as { field?: unknown; value?: unknown }[]) {
    if (f?.field === 'eth_src' && typeof f.value === 'string') src = f.value;
    else if (f?.field === 'eth_dst' && typeof f.value === 'string') dst = f.value;
    else if (f?.field === 'vlan_vid' && typeof f.value === 'number') vlan = f.value & 0xfff;
  }
  return src !== undefined && dst !== undefined ? { src, dst, vlan } : undefined;
}

function u16(ctx: AppContext, name: string, fallback: number): number {
  const v = ctx.config[name];
  if (v === undefined) return fallback;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffff) return v;
  ctx.log.warn({ [name]: v, using: fallback }, `config ${name} must be an integer 0..65535`);
  return fallback;
}

export const forwardingApp: AppDefinition = {
  name: 'forwarding',
  description: 'Shortest-path forwarding: whole paths between known hosts, both ways, rerouted when a link fails; loop-safe flooding otherwise',
  create: () => new Forwarding(),
};
