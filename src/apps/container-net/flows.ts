// The container networks' flows, as pure data (FlowSpecs per switch), from
// the model and the topology. The layout (pipeline.ts gives this app the
// band 40000-49999 of "main" and all of "cnet"):
//
//   main 45000  in_port=P, eth_src=MAC(P)   → metadata=net, goto cnet    (the endpoint's own switch)
//   main 44000  in_port=P                   → drop                       (spoofed source: nothing leaks to l2-switch)
//   main 42000  eth_src=MAC                 → metadata=net, goto cnet    (other switches: arrives over a link)
//   cnet  300   metadata=net, ARP request   → controller                 (the ARP responder; no ARP is flooded)
//   cnet  300   metadata=net, ICMP to gw    → controller                 (the gateway answers ping)
//   cnet  200   metadata=net, eth_dst=MAC   → output:P or the next hop   (unicast inside the network)
//   cnet  100   metadata=net, eth_dst=bcast → output: the network's local ports
//   cnet    0   miss                        → drop                       (declared: another network's MAC is a miss)
//
// Isolation therefore needs no rule of its own: a packet carries its
// network in the metadata from the first table on, and every cnet flow
// matches that metadata, so another network's destination is a miss.

import type { FlowSpec } from '../../core/flows/flow-spec.js';
import type { OxmField } from '../../openflow/structs/oxm.js';
import type { Endpoint, Network } from './types.js';

export const PRIO = { fromEndpoint: 45000, guard: 44000, transit: 42000, punt: 300, unicast: 200, broadcast: 100 } as const;
const META_MASK = 0xffffffffn;
const BROADCAST = 'ff:ff:ff:ff:ff:ff';

/** The port of `from` that leads towards switch `to` (undefined when there is no path). */
export type NextHop = (from: string, to: string) => number | undefined;

const meta = (n: Network): OxmField => ({ field: 'metadata', value: BigInt(n.id), mask: META_MASK });
const tag = (n: Network) => ({ instructions: [{ type: 'write_metadata' as const, metadata: BigInt(n.id), metadata_mask: META_MASK }], goto: 'cnet' });
const toController = [{ type: 'output' as const, port: 'controller' as const, max_len: 'no_buffer' as const }];

/** Every flow switch `dpid` should hold for these networks and endpoints. */
export function flowsFor(dpid: string, networks: readonly Network[], endpoints: readonly Endpoint[], nextHop: NextHop): FlowSpec[] {
  const byName = new Map(networks.map((n) => [n.name, n]));
  const out: FlowSpec[] = [];
  const local = new Map<Network, Endpoint[]>();
  for (const e of endpoints) {
    const n = byName.get(e.network);
    if (!n) continue;
    if (e.dpid === dpid) {
      out.push(
        { key: `in/${e.id}`, priority: PRIO.fromEndpoint, match: [{ field: 'in_port', value: e.port_no }, { field: 'eth_src', value: e.mac }], ...tag(n) },
        { key: `guard/${e.id}`, priority: PRIO.guard, match: [{ field: 'in_port', value: e.port_no }], actions: [] },
        { key: `to/${e.id}`, table: 'cnet', priority: PRIO.unicast, match: [meta(n), { field: 'eth_dst', value: e.mac }], actions: [{ type: 'output', port: e.port_no, max_len: 0 }] },
      );
      local.set(n, [...(local.get(n) ?? []), e]);
    } else {
      const port = nextHop(dpid, e.dpid);
      if (port === undefined) continue;
      out.push(
        { key: `transit/${e.id}`, priority: PRIO.transit, match: [{ field: 'eth_src', value: e.mac }], ...tag(n) },
        { key: `to/${e.id}`, table: 'cnet', priority: PRIO.unicast, match: [meta(n), { field: 'eth_dst', value: e.mac }], actions: [{ type: 'output', port, max_len: 0 }] },
      );
    }
  }
  for (const [n, eps] of local) {
    out.push(
      { key: `arp/${n.id}`, table: 'cnet', priority: PRIO.punt, match: [meta(n), { field: 'eth_type', value: 0x0806 }, { field: 'arp_op', value: 1 }], actions: toController },
      {
        key: `gw/${n.id}`, table: 'cnet', priority: PRIO.punt,
        match: [meta(n), { field: 'eth_type', value: 0x0800 }, { field: 'ip_proto', value: 1 }, { field: 'ipv4_dst', value: n.gateway }], actions: toController,
      },
      {
        key: `bcast/${n.id}`, table: 'cnet', priority: PRIO.broadcast, match: [meta(n), { field: 'eth_dst', value: BROADCAST }],
        actions: eps.map((e) => ({ type: 'output' as const, port: e.port_no, max_len: 0 })),
      },
    );
  }
  return out;
}
