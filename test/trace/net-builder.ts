// A tiny network for trace tests: switches with flows and groups written as
// data, links and hosts. Not a test file (no .test.ts).
import type { FlowStats } from '../../src/openflow/multipart/flow-stats.js';
import type { GroupDesc } from '../../src/openflow/multipart/group-desc.js';
import type { PortNo } from '../../src/openflow/common.js';
import type { Action } from '../../src/openflow/structs/action.js';
import type { Instruction } from '../../src/openflow/structs/instruction.js';
import type { Match } from '../../src/openflow/structs/match.js';
import type { TraceHost, TraceNetwork, TracePort, TraceSwitch } from '../../src/core/trace/types.js';
import type { Link } from '../../src/core/topology/link-table.js';

export const D1 = '0000000000000001';
export const D2 = '0000000000000002';
export const D3 = '0000000000000003';

export function flow(table_id: number, priority: number, match: Match, instructions: Instruction[], cookie = 0n): FlowStats {
  return { table_id, priority, match, instructions, cookie, duration_sec: 0, duration_nsec: 0, idle_timeout: 0, hard_timeout: 0, flags: [], packet_count: 0n, byte_count: 0n };
}
export const apply = (...actions: Action[]): Instruction => ({ type: 'apply_actions', actions });
export const write = (...actions: Action[]): Instruction => ({ type: 'write_actions', actions });
export const goto = (table_id: number): Instruction => ({ type: 'goto_table', table_id });
export const out = (port: PortNo): Action => ({ type: 'output', port, max_len: 'no_buffer' });
export const group = (group_id: number): Action => ({ type: 'group', group_id });
export const setField = (field: Match[number]): Action => ({ type: 'set_field', field });

export function ports(...nos: number[]): TracePort[] {
  return nos.map((n) => ({ port_no: n, name: `p${n}`, up: true }));
}

export function sw(dpid: string, portList: TracePort[], flows: FlowStats[], groups: GroupDesc[] = []): TraceSwitch {
  return { dpid, ports: portList, flows, groups };
}

/** Both directions of a cable. */
export function cable(a: string, ap: number, b: string, bp: number): Link[] {
  return [{ src: { dpid: a, port_no: ap }, dst: { dpid: b, port_no: bp } }, { src: { dpid: b, port_no: bp }, dst: { dpid: a, port_no: ap } }];
}

export function host(mac: string, ip: string, dpid: string, port_no: number): TraceHost {
  return { mac, ipv4: [ip], ipv6: [], dpid, port_no };
}

export function network(switches: TraceSwitch[], links: Link[] = [], hosts: TraceHost[] = []): TraceNetwork {
  return {
    switches: new Map(switches.map((s) => [s.dpid, s])),
    links,
    hosts,
    ownerOf: (_d, f) => (f.cookie === 0n ? null : `app${f.cookie.toString()}`),
  };
}

export const IP = { field: 'eth_type', value: 0x0800 } as const;
export const icmp = (src: string, dst: string) => [
  { field: 'eth_src', value: '00:00:00:00:00:01' },
  { field: 'eth_dst', value: '00:00:00:00:00:02' },
  IP,
  { field: 'ip_proto', value: 1 },
  { field: 'ipv4_src', value: src },
  { field: 'ipv4_dst', value: dst },
] as const;
