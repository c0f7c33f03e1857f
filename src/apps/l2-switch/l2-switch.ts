import type { App, AppContext, AppDefinition } from '../../core/apps/app-context.js';
import type { CoreEventMap } from '../../core/events.js';
import type { FlowSpec } from '../../core/flows/flow-spec.js';
import type { FlowBatch } from '../../core/flows/flow-service.js';
import type { Action } from '../../openflow/structs/action.js';
import type { PacketInContext } from '../../core/packets/packet-service.js';
import { isPacketError, parseEthernet } from '../../packet/index.js';
import { portIsUp } from '../../core/switches.js';
import { catchFlow, catchKey, dstFlow, dstKey, flowOfMatch, type L2FlowOptions } from './l2-flows.js';
import { InSwitchFlood } from './in-switch-flood.js';
import { HostPlaces, MacTable } from './mac-table.js';
import { TreeWatch } from './tree-watch.js';

const ETH_LLDP = 0x88cc;
const NO_DATA = Buffer.alloc(0);

function isGroupMac(mac: string): boolean {
  // The I/G bit: broadcast and multicast destinations are flooded, never learned.
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

const dpids = new Map<string, bigint>();
/** Ids come from connected switches, so the memo holds one entry per switch seen (the hot path parsed one per packet). */
const toDpid = (id: string): bigint => {
  let d = dpids.get(id);
  if (d === undefined) dpids.set(id, (d = BigInt('0x' + id)));
  return d;
};

/**
 * L2 learning switch that is safe on topologies with loops: unknown and
 * broadcast destinations are flooded only along the spanning tree of the
 * discovered topology plus edge ports, and packets arriving on blocked
 * inter-switch ports are dropped (the way a blocked STP port drops them).
 *
 * What it learns, and the flows that carry it (l2-flows.ts):
 * - A MAC learned on a switch gets one flow there, eth_dst → its port, so a
 *   packet to a known destination only needs a packet-out.
 * - A MAC seen on an edge port is where that host is attached. Since floods
 *   follow the tree, every other switch would learn it on its tree port
 *   towards that switch: it is taught to all of them at once, which spares
 *   each the flood that would otherwise teach it.
 * - A unicast to an unknown MAC is flooded, and switches with edge ports
 *   catch that MAC's next packet, so a host that only answers is learned.
 * - A host that moves is learned again from its next packet that reaches us
 *   (a broadcast such as a gratuitous ARP, or a caught one); that replaces
 *   its flows.
 * - Once the topology is quiet, broadcasts and multicasts are flooded by the
 *   switches themselves (in-switch-flood.ts); a copy from an edge port still
 *   comes here, to learn from.
 *
 * Config (apps_config.l2-switch): idleTimeout (s, default 60), inSwitchFlood
 * (default true), floodSettleMs (quiet time before it, default 1000).
 */
export class L2Switch implements App {
  private ctx!: AppContext;
  /** Per switch (16-hex id): MACs with a flow there. */
  private readonly tables = new Map<string, MacTable>();
  private readonly places = new HostPlaces();
  private readonly tree = new TreeWatch();
  private opts: L2FlowOptions = { priority: 10, idleTimeout: 60 };
  private flood: InSwitchFlood | undefined;
  /** While a packet-in is handled: the flow changes per switch, sent together at its end (with the packet-out, for its switch). */
  private readonly pending = new Map<string, { remove: string[]; install: FlowSpec[] }>();
  private collecting = false;

  start(ctx: AppContext): void {
    this.ctx = ctx;
    const idle = ctx.config.idleTimeout;
    if (typeof idle === 'number' && Number.isInteger(idle) && idle >= 0 && idle <= 0xffff) this.opts = { ...this.opts, idleTimeout: idle };
    else if (idle !== undefined) ctx.log.warn({ idleTimeout: idle, using: this.opts.idleTimeout }, 'config idleTimeout must be an integer 0..65535');
    if (ctx.config.inSwitchFlood !== false) this.flood = new InSwitchFlood(ctx, this.opts.priority - 1, settleMs(ctx));
    ctx.packets.register({ name: 'l2-switch', kind: 'director', order: 100, process: (p) => this.onPacket(p) });
    ctx.switches.onSwitchUp(() => this.flood?.touch());
    ctx.switches.onSwitchDown((sw) => {
      this.tables.delete(sw.id);
      this.places.forgetAt(sw.id);
      this.flood?.forget(sw.id);
    });
    ctx.switches.onPortChange((sw, port, reason) => {
      this.flood?.unsettle(sw.id);
      if (typeof port.port_no === 'number' && (reason === 'delete' || !portIsUp(port))) this.portGone(sw.id, port.port_no);
    });
    // Only a change that can make learned ports wrong starts over (see tree-watch.ts).
    this.tree.update(ctx.topology);
    this.flood?.touch();
    const topologyChanged = (): void => {
      if (this.tree.update(this.ctx.topology)) this.resetAll();
      else this.flood?.touch();
    };
    ctx.events.on('link.up', topologyChanged);
    ctx.events.on('link.down', topologyChanged);
    ctx.events.on('flow.removed', (e) => this.flowRemoved(e.data));
    ctx.events.on('host.removed', (e) => this.hostGone(e.data.vlan, e.data.mac, e.data.dpid));
  }

  stop(): void {
    this.flood?.stop();
    this.tables.clear();
    this.places.clear();
  }

  private table(id: string): MacTable {
    let t = this.tables.get(id);
    if (!t) this.tables.set(id, (t = new MacTable()));
    return t;
  }

  private resetAll(): void {
    // Flood flows are computed from the old tree too: they go with the rest.
    this.flood?.forget();
    if (this.tables.size === 0 && this.ctx.flows.list().length === 0) return;
    this.tables.clear();
    this.places.clear();
    this.ctx.flows.removeAll().catch((e: unknown) => this.ctx.log.warn({ err: String(e) }, 'could not remove flows after a topology change'));
  }

  private onPacket(p: PacketInContext): boolean {
    this.collecting = true;
    let out: { actions: Action[] } | undefined;
    let handled = false;
    try {
      const r = this.decide(p);
      handled = r !== false;
      if (r !== false && r !== true) out = r;
    } finally {
      this.collecting = false;
      this.flush(p, out);
    }
    return handled;
  }

  /** Send what handling one packet-in decided: per switch one batch; the packet-out rides with its switch's flows, after them. */
  private flush(p: PacketInContext, out: { actions: Action[] } | undefined): void {
    if (this.pending.size === 0) {
      // No flow changed (every packet between known hosts): the packet-out alone, with nothing to order it after.
      if (out !== undefined) this.ctx.packets.packetOut(p.sw.dpid, { inPort: p.inPort, actions: out.actions, data: p.data, bufferId: p.msg.buffer_id });
      return;
    }
    // A packet the switch kept in a buffer is released by naming the buffer (OF 1.3.5 §7.3.7), not by sending it back.
    const buffered = p.msg.buffer_id !== 'no_buffer';
    const po = out === undefined ? undefined : [{ type: 'packet_out' as const, buffer_id: p.msg.buffer_id, in_port: p.inPort, actions: out.actions, data: buffered ? NO_DATA : p.data }];
    let sent = false;
    for (const [id, b] of this.pending) {
      const here = id === p.sw.id;
      sent ||= here;
      this.apply(id, { remove: b.remove, install: b.install, ...(here && po ? { packetOuts: po } : {}) });
    }
    this.pending.clear();
    if (!sent && po) this.apply(p.sw.id, { packetOuts: po });
  }

  /** false: not ours; true: handled, nothing to send out; else the packet-out's actions. */
  private decide(p: PacketInContext): boolean | { actions: Action[] } {
    const eth = parseEthernet(p.data);
    if (isPacketError(eth) || eth.ethertype === ETH_LLDP) return false;
    const { sw, inPort } = p;
    const topo = this.ctx.topology;
    const interSwitch = topo.isInterSwitchPort(sw.dpid, inPort);
    // Only a flood, or the loop check of a packet from another switch, needs the flood ports (the hot path, a known destination, does not).
    let flood = interSwitch ? topo.floodPorts(sw.dpid, inPort) : undefined;
    // Arrived over a link that is not on the tree: a loop copy; drop it, and learn nothing from it.
    if (flood?.length === 0 && interSwitch && topo.spanningTree().get(sw.id)?.has(inPort) !== true) return true;

    const vlan = eth.vlans[0]?.vid ?? null;
    if (!isGroupMac(eth.src)) this.learn(sw.id, vlan, eth.src, inPort, !interSwitch);
    // A flood flow's copy: the switch has flooded it already. (Catches match unicast only.)
    if (p.msg.reason === 'action' && isGroupMac(eth.dst)) return true;

    const outPort = isGroupMac(eth.dst) ? undefined : this.portFor(sw.id, vlan, eth.dst);
    // The segment it came from already carried it to its destination.
    if (outPort === inPort) return true;
    if (outPort !== undefined) return { actions: [{ type: 'output', port: outPort, max_len: 0 }] };
    flood ??= topo.floodPorts(sw.dpid, inPort);
    if (flood.length === 0) return true;
    // The destination may be attached to any switch with edge ports: those ask for its next packet.
    if (!isGroupMac(eth.dst) && flood.some((port) => !topo.isInterSwitchPort(sw.dpid, port)) && this.table(sw.id).startCatching(vlan, eth.dst)) {
      this.send(sw.id, [], [catchFlow(vlan, eth.dst, this.opts)]);
    }
    return { actions: flood.map((port) => ({ type: 'output', port, max_len: 0 })) };
  }

  /** `mac` sent a packet that arrived on `port` of switch `id`. */
  private learn(id: string, vlan: number | null, mac: string, port: number, edge: boolean): void {
    if (edge && this.places.set(vlan, mac, { dpid: id, port }) !== 'same') {
      for (const [other, towards] of this.tree.reachableFrom(id)) this.teach(other, vlan, mac, towards);
    }
    this.teach(id, vlan, mac, port);
  }

  /** Switch `id` sends `mac` out of `port` from now on: its flow says so, and a catch for it has done its job. */
  private teach(id: string, vlan: number | null, mac: string, port: number): void {
    const table = this.table(id);
    const learned = table.learn(vlan, mac, port);
    const remove = table.stopCatching(vlan, mac) ? [catchKey(vlan, mac)] : [];
    // Nothing changed and the flow is in place: nothing to send (the hot path: every packet from a known host).
    // One the switch refused or dropped is no longer desired, so it is sent again.
    if (learned === 'same' && remove.length === 0 && this.ctx.flows.has(toDpid(id), table.entry(vlan, mac)!.flowKey)) return;
    this.send(id, remove, [dstFlow(vlan, mac, port, this.opts)]);
  }

  /** Where switch `id` sends `mac`: what it learned, else where the host is attached, seen along the tree. */
  private portFor(id: string, vlan: number | null, mac: string): number | undefined {
    const entry = this.tables.get(id)?.entry(vlan, mac);
    const known = entry?.port;
    if (entry !== undefined && known !== undefined) {
      // Normally the flow exists and this packet raced it; one lost (refused, expired) is asked for again.
      if (!this.ctx.flows.has(toDpid(id), entry.flowKey)) this.send(id, [], [dstFlow(vlan, mac, known, this.opts)]);
      return known;
    }
    const at = this.places.get(vlan, mac);
    const port = at === undefined ? undefined : at.dpid === id ? at.port : this.tree.portTowards(id, at.dpid);
    if (port !== undefined) this.teach(id, vlan, mac, port);
    return port;
  }

  private send(id: string, remove: readonly string[], install: readonly FlowSpec[]): void {
    if (!this.collecting) {
      this.apply(id, { remove, install });
      return;
    }
    let b = this.pending.get(id);
    if (b === undefined) this.pending.set(id, (b = { remove: [], install: [] }));
    b.remove.push(...remove);
    b.install.push(...install);
  }

  private apply(id: string, batch: FlowBatch): void {
    this.ctx.flows.apply(toDpid(id), batch).catch((e: unknown) => this.ctx.log.warn({ switch: id, err: String(e) }, 'flow install failed'));
  }

  /** MACs behind a port that went away have no way out there: forget them and their flows. */
  private portGone(id: string, port: number): void {
    this.places.forgetAt(id, port);
    const gone = this.tables.get(id)?.forgetPort(port) ?? [];
    if (gone.length > 0) this.send(id, gone.map((e) => dstKey(e.vlan, e.mac)), []);
  }

  /**
   * The host tracker forgot a MAC (idle, or evicted to stay under its cap): so does the learning switch, with
   * its flows. Else a storm of source MACs would grow the tables here and the flows cached for them without bound.
   */
  private hostGone(vlan: number | null, mac: string, dpid: string): void {
    this.places.forget(vlan, mac, dpid);
    for (const [id, table] of this.tables) if (table.forget(vlan, mac)) this.send(id, [dstKey(vlan, mac)], []);
  }

  /** The switch dropped an idle flow: forget what it stood for, so the next packet learns afresh. */
  private flowRemoved(f: CoreEventMap['flow.removed']): void {
    if (f.owner !== this.ctx.name || (f.reason !== 'idle_timeout' && f.reason !== 'hard_timeout')) return;
    const which = flowOfMatch(f.match);
    const table = this.tables.get(f.dpid);
    if (!which || !table) return;
    if (which.kind === 'catch') {
      table.stopCatching(which.vlan, which.mac);
      return;
    }
    table.forget(which.vlan, which.mac);
    // Idle at the host's own switch: nobody sent to it for a whole timeout, so it may be gone.
    this.places.forget(which.vlan, which.mac, f.dpid);
  }
}

function settleMs(ctx: AppContext): number {
  const v = ctx.config.floodSettleMs;
  if (v === undefined) return 1000;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  ctx.log.warn({ floodSettleMs: v, using: 1000 }, 'config floodSettleMs must be a number of ms >= 0');
  return 1000;
}

export const l2SwitchApp: AppDefinition = {
  name: 'l2-switch',
  description: 'Learning switch, loop-safe: floods along the spanning tree of the discovered topology',
  create: () => new L2Switch(),
};
