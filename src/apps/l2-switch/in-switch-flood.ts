// Broadcast and multicast flooded by the switches themselves, once the
// topology has been quiet for a while. Flooding through the controller costs
// a packet-in and a packet-out per switch a broadcast crosses, one after the
// other; an ARP request across a tree of depth 3 waits for five of them.
//
// Per switch and up port P, one flow (below the l2-switch's dst flows; they
// cannot overlap, since those match unicast destinations only):
//
//   in_port=P, eth_dst=01:00:00:00:00:00/01:00:00:00:00:00 →
//     edge port:                   output to P's flood ports, and a copy to the controller (to learn the sender)
//     tree port:                   output to P's flood ports
//     inter-switch port off tree:  drop (a loop copy, as a blocked STP port would)
//
// Flood ports are the topology's own (tree + edge ports, minus P), so the
// switch floods exactly as the controller would. What makes this risky is
// a loop the topology has not seen yet: the switch would then flood round
// it at line rate instead of at the controller's pace. So the flows are
// installed only after `quietMs` without any change to switches, ports or
// links (every port is probed when it comes up, and the reverse of a
// link is probed back at once, so a cable is seen within a round trip);
// a port change removes that switch's flows at once, and a topology change
// that resets learning removes all of them, so until things settle again
// the controller floods, with what it knows at that moment.

import type { AppContext, SwitchView } from '../../core/apps/app-context.js';
import type { FlowSpec } from '../../core/flows/flow-spec.js';
import type { TimerHandle } from '../../core/clock.js';
import type { Action } from '../../openflow/structs/action.js';
import { isSwitchPort, portIsUp } from '../../core/switches.js';

const GROUP_BIT = '01:00:00:00:00:00';
export const floodKey = (port: number): string => `flood/${port}`;

type Topology = AppContext['topology'];

/** The flood flow of each up port of one switch. */
export function floodFlows(sw: SwitchView, topo: Topology, priority: number, spanning: ReadonlyMap<string, ReadonlySet<number>> = topo.spanningTree()): FlowSpec[] {
  const tree = spanning.get(sw.id);
  const out: FlowSpec[] = [];
  for (const p of [...sw.ports.values()].sort((a, b) => Number(a.port_no) - Number(b.port_no))) {
    if (!isSwitchPort(p) || !portIsUp(p)) continue;
    const inter = topo.isInterSwitchPort(sw.dpid, p.port_no);
    const actions: Action[] = [];
    if (!inter || tree?.has(p.port_no) === true) {
      for (const port of topo.floodPorts(sw.dpid, p.port_no)) actions.push({ type: 'output', port, max_len: 0 });
      // no_buffer: the whole frame, so observers (the host tracker) see what they would have seen.
      if (!inter) actions.push({ type: 'output', port: 'controller', max_len: 'no_buffer' });
    }
    out.push({
      key: floodKey(p.port_no),
      priority,
      match: [{ field: 'in_port', value: p.port_no }, { field: 'eth_dst', value: GROUP_BIT, mask: GROUP_BIT }],
      actions,
    });
  }
  return out;
}

export class InSwitchFlood {
  private timer: TimerHandle | undefined;
  /** Per switch: the keys of the flood flows it holds. */
  private readonly installed = new Map<string, string[]>();

  constructor(
    private readonly ctx: AppContext,
    private readonly priority: number,
    private readonly quietMs: number,
  ) {}

  /** Something changed that may change flood ports: (re)install after a quiet period. */
  touch(): void {
    this.ctx.clock.clearTimeout(this.timer);
    this.timer = this.ctx.clock.setTimeout(() => this.settle(), this.quietMs);
  }

  /** A port of this switch changed: its flows go now (the controller floods meanwhile). */
  unsettle(id: string): void {
    const keys = this.installed.get(id);
    if (keys !== undefined && keys.length > 0) this.send(id, keys, []);
    this.installed.delete(id);
    this.touch();
  }

  /** Every flow of the app was removed (a reset), or the switch left: nothing to delete. */
  forget(id?: string): void {
    if (id === undefined) this.installed.clear();
    else this.installed.delete(id);
    this.touch();
  }

  stop(): void {
    this.ctx.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.installed.clear();
  }

  private settle(): void {
    this.timer = undefined;
    // One tree for all: it is a map over every switch, so building it per switch made a settle O(n²) (5,000 switches: seconds of blocked loop).
    const spanning = this.ctx.topology.spanningTree();
    for (const sw of this.ctx.switches.all()) {
      const specs = floodFlows(sw, this.ctx.topology, this.priority, spanning);
      const keep = new Set(specs.map((s) => s.key!));
      const stale = (this.installed.get(sw.id) ?? []).filter((k) => !keep.has(k));
      this.installed.set(sw.id, [...keep]);
      this.send(sw.id, stale, specs);
    }
  }

  private send(id: string, remove: readonly string[], install: readonly FlowSpec[]): void {
    this.ctx.flows.apply(BigInt('0x' + id), { remove, install }).catch((e: unknown) => this.ctx.log.warn({ switch: id, err: String(e) }, 'flood flows refused'));
  }
}
