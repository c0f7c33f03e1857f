// Pure flow generation for the forwarding app: from a path across switches
// to the FlowSpecs that carry one pair of hosts' traffic along it, both ways.
// No context, no I/O, so it is tested as a function (house style rule 8).

import type { FlowSpec } from '../../core/flows/flow-spec.js';
import type { PathHop } from '../../core/topology/topology-service.js';
import type { OxmField } from '../../openflow/structs/oxm.js';

/** OF 1.3.5 §7.2.3.8: a tagged packet's vlan_vid has this bit set. */
export const OFPVID_PRESENT = 0x1000;

/** Where a host plugs in: a switch (16 hex digits) and an edge port. */
export interface Attachment {
  readonly dpid: string;
  readonly port: number;
}

/** One switch of a path with both ports known (the hosts' ports at the ends). */
export interface Hop {
  readonly dpid: string;
  readonly inPort: number;
  readonly outPort: number;
}

/** Traffic of one direction: from `src` to `dst` MAC, tagged with `vlan` or untagged (null). */
export interface Direction {
  readonly src: string;
  readonly dst: string;
  readonly vlan: number | null;
}

export interface PathFlowOptions {
  readonly priority: number;
  /** Seconds; 0 = never. */
  readonly idleTimeout: number;
}

/**
 * A path from topology.shortestPath with both ends given has every port; a
 * hop that leaves by the port it entered would drop the packet (OpenFlow
 * never sends a packet back out of its in_port unless told IN_PORT), so such
 * a path is refused rather than installed.
 */
export function completeHops(path: readonly PathHop[]): Hop[] | undefined {
  const out: Hop[] = [];
  for (const h of path) {
    if (h.inPort === undefined || h.outPort === undefined || h.inPort === h.outPort) return undefined;
    out.push({ dpid: h.dpid, inPort: h.inPort, outPort: h.outPort });
  }
  return out.length > 0 ? out : undefined;
}

/** The same path walked the other way: hops reversed, in and out swapped. */
export function reverseHops(hops: readonly Hop[]): Hop[] {
  return hops.map((h) => ({ dpid: h.dpid, inPort: h.outPort, outPort: h.inPort })).reverse();
}

/** The flow key of one direction on one switch, so the app can find and remove it again. */
export function flowKey(d: Direction, dpid: string): string {
  return d.vlan === null ? `path:${d.src}:${d.dst}:${dpid}` : `path:${d.src}:${d.dst}:v${d.vlan}:${dpid}`;
}

/** in_port + vlan_vid (when tagged) + eth_src + eth_dst: the same match the l2-switch uses. */
export function directionMatch(d: Direction, inPort: number): OxmField[] {
  return [
    { field: 'in_port', value: inPort },
    ...(d.vlan === null ? [] : [{ field: 'vlan_vid' as const, value: OFPVID_PRESENT | d.vlan }]),
    { field: 'eth_src', value: d.src },
    { field: 'eth_dst', value: d.dst },
  ];
}

/** One flow per hop for one direction. */
export function directionFlows(d: Direction, hops: readonly Hop[], opts: PathFlowOptions): { dpid: string; spec: FlowSpec }[] {
  return hops.map((h) => ({
    dpid: h.dpid,
    spec: {
      key: flowKey(d, h.dpid),
      priority: opts.priority,
      match: directionMatch(d, h.inPort),
      actions: [{ type: 'output', port: h.outPort, max_len: 0 }],
      idleTimeout: opts.idleTimeout,
    },
  }));
}

/**
 * Both directions of a pair along `hops` (which run from `forward.src`'s
 * switch to `forward.dst`'s), grouped by switch in path order.
 */
export function pairFlows(forward: Direction, hops: readonly Hop[], opts: PathFlowOptions): Map<string, FlowSpec[]> {
  const back: Direction = { src: forward.dst, dst: forward.src, vlan: forward.vlan };
  const out = new Map<string, FlowSpec[]>();
  for (const { dpid, spec } of [...directionFlows(forward, hops, opts), ...directionFlows(back, reverseHops(hops), opts)]) {
    let list = out.get(dpid);
    if (!list) out.set(dpid, (list = []));
    list.push(spec);
  }
  return out;
}

/** `dpid/port` of every inter-switch port the path uses: all of its ports but the two host ports at the ends. */
export function linkPorts(hops: readonly Hop[]): string[] {
  const out: string[] = [];
  hops.forEach((h, i) => {
    if (i > 0) out.push(portRef(h.dpid, h.inPort));
    if (i < hops.length - 1) out.push(portRef(h.dpid, h.outPort));
  });
  return out;
}

export const portRef = (dpid: string, port: number): string => `${dpid}/${port}`;
