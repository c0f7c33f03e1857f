// The network a trace walks, read now: every connected switch's flow table
// (OFPMP_FLOW over all tables, so apps', users' and anybody else's flows
// count alike) and groups (OFPMP_GROUP_DESC), the topology's links and the
// host tracker's hosts. Switches are asked in parallel.
import type { FlowStats } from '../../openflow/multipart/flow-stats.js';
import type { GroupDesc } from '../../openflow/multipart/group-desc.js';
import type { FlowService } from '../flows/flow-service.js';
import type { HostTracker } from '../hosts/host-tracker.js';
import { isSwitchPort, portIsUp, type SwitchRecord, type SwitchRegistry } from '../switches.js';
import type { TopologyService } from '../topology/topology-service.js';
import type { TraceHost, TraceNetwork, TraceSwitch } from './types.js';

export interface TraceSources {
  readonly switches: SwitchRegistry;
  readonly topology: TopologyService;
  readonly hosts: HostTracker;
  readonly flows: FlowService;
}

const TIMEOUT_MS = 5000;

async function readSwitch(sw: SwitchRecord): Promise<TraceSwitch> {
  const [flowBodies, groupBodies] = await Promise.all([
    sw.link.multipart({ type: 'flow', table_id: 'all', out_port: 'any', out_group: 'any', cookie: 0n, cookie_mask: 0n, match: [] }, TIMEOUT_MS),
    sw.link.multipart({ type: 'group_desc' }, TIMEOUT_MS),
  ]);
  const flows: FlowStats[] = flowBodies.flatMap((b) => (b.type === 'flow' ? b.flows : []));
  const groups: GroupDesc[] = groupBodies.flatMap((b) => (b.type === 'group_desc' ? b.groups : []));
  const ports = [...sw.ports.values()].filter(isSwitchPort).map((p) => ({ port_no: p.port_no, name: p.name, up: portIsUp(p) }));
  return { dpid: sw.id, flows, groups, ports };
}

/** Read the network now; `extraHosts` adds endpoints apps know by name (containers) to the tracker's hosts. */
export async function loadTraceNetwork(src: TraceSources, extraHosts: readonly TraceHost[] = []): Promise<TraceNetwork> {
  const all = src.switches.all();
  const read = await Promise.all(all.map(readSwitch));
  const byId = new Map(all.map((s) => [s.id, s.dpid]));
  const hosts: TraceHost[] = src.hosts.all().map((h) => ({ mac: h.mac, ipv4: h.ipv4, ipv6: h.ipv6, dpid: h.dpid, port_no: h.port_no }));
  for (const e of extraHosts) {
    const known = hosts.findIndex((h) => h.mac === e.mac);
    if (known >= 0) hosts[known] = { ...hosts[known]!, ...(e.name !== undefined ? { name: e.name } : {}) };
    else hosts.push(e);
  }
  return {
    switches: new Map(read.map((s) => [s.dpid, s])),
    links: src.topology.links(),
    hosts,
    ownerOf: (dpid, f) => {
      const d = byId.get(dpid);
      return d === undefined ? null : src.flows.ownerOfStats(d, f);
    },
  };
}
