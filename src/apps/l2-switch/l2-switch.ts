import type { App, AppContext, AppDefinition } from '../../core/apps/app-context.js';
import type { PacketInContext } from '../../core/packets/packet-service.js';
import { isPacketError, parseEthernet } from '../../core/packet/index.js';
import type { Action } from '../../openflow/structs/action.js';
import type { OxmField } from '../../openflow/structs/oxm.js';
import { MacTable } from './mac-table.js';

const ETH_LLDP = 0x88cc;
const OFPVID_PRESENT = 0x1000;

function isGroupMac(mac: string): boolean {
  // The I/G bit: broadcast and multicast destinations are flooded, never learned.
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/**
 * L2 learning switch that is safe on topologies with loops: unknown and
 * broadcast destinations are flooded only along the spanning tree of the
 * discovered topology plus edge ports, and packets arriving on blocked
 * inter-switch ports are dropped (the way a blocked STP port drops them).
 */
export class L2Switch implements App {
  private ctx!: AppContext;
  private readonly tables = new Map<bigint, MacTable>();
  private idleTimeout = 60;
  private priority = 10;

  start(ctx: AppContext): void {
    this.ctx = ctx;
    const idle = ctx.config.idleTimeout;
    if (typeof idle === 'number' && idle >= 0) this.idleTimeout = idle;
    ctx.packets.register({ name: 'l2-switch', kind: 'director', order: 100, process: (p) => this.onPacket(p) });
    ctx.switches.onSwitchDown((sw) => this.tables.delete(sw.dpid));
    // A topology change can move the tree: what was learned may now point into a
    // blocked port or a dead link, so start over (flows included).
    const reset = (): void => this.resetAll();
    ctx.events.on('link.up', reset);
    ctx.events.on('link.down', reset);
  }

  stop(): void {
    this.tables.clear();
  }

  private table(dpid: bigint): MacTable {
    let t = this.tables.get(dpid);
    if (!t) this.tables.set(dpid, (t = new MacTable()));
    return t;
  }

  private resetAll(): void {
    if (this.tables.size === 0) return;
    this.tables.clear();
    this.ctx.flows.removeAll().catch((e: unknown) => this.ctx.log.warn({ err: String(e) }, 'could not remove flows after a topology change'));
  }

  private onPacket(p: PacketInContext): boolean {
    const eth = parseEthernet(p.data);
    if (isPacketError(eth) || eth.ethertype === ETH_LLDP) return false;
    const { sw, inPort } = p;
    const topo = this.ctx.topology;
    const interSwitch = topo.isInterSwitchPort(sw.dpid, inPort);
    const flood = topo.floodPorts(sw.dpid, inPort);
    // Arrived over a link that is not on the tree: a loop copy; drop it.
    if (interSwitch && flood.length === 0 && topo.spanningTree().get(sw.id)?.has(inPort) !== true) return true;

    const table = this.table(sw.dpid);
    if (!isGroupMac(eth.src)) {
      const movedFrom = table.learn(eth.src, inPort);
      if (movedFrom !== undefined) {
        const stale = table.forget(eth.src);
        table.learn(eth.src, inPort);
        if (stale.length > 0) this.ctx.flows.remove(sw.dpid, stale).catch(() => undefined);
      }
    }

    const outPort = isGroupMac(eth.dst) ? undefined : table.portOf(eth.dst);
    if (outPort === undefined || outPort === inPort) {
      if (outPort === inPort) return true;
      const actions: Action[] = flood.map((port) => ({ type: 'output', port, max_len: 0 }));
      if (actions.length > 0) this.ctx.packets.packetOut(sw.dpid, { inPort, actions, data: p.data });
      return true;
    }

    const vlan = eth.vlans[0];
    const match: OxmField[] = [
      { field: 'in_port', value: inPort },
      ...(vlan ? [{ field: 'vlan_vid' as const, value: OFPVID_PRESENT | vlan.vid }] : []),
      { field: 'eth_dst', value: eth.dst },
      { field: 'eth_src', value: eth.src },
    ];
    const spec = { priority: this.priority, match, actions: [{ type: 'output' as const, port: outPort, max_len: 0 }], idleTimeout: this.idleTimeout };
    const key = this.ctx.flows.keyOf(spec);
    table.addFlow(eth.dst, key);
    table.addFlow(eth.src, key);
    this.ctx.flows.install(sw.dpid, [{ ...spec, key }]).catch((e: unknown) => this.ctx.log.warn({ switch: sw.id, err: String(e) }, 'flow install failed'));
    this.ctx.packets.packetOut(sw.dpid, { inPort, actions: [{ type: 'output', port: outPort, max_len: 0 }], data: p.data });
    return true;
  }
}

export const l2SwitchApp: AppDefinition = {
  name: 'l2-switch',
  description: 'Learning switch, loop-safe: floods along the spanning tree of the discovered topology',
  create: () => new L2Switch(),
};
