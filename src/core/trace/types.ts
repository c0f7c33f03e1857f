// What a trace reads and what it answers. The engine is pure: it gets the
// switches' flow tables and groups as the switches reported them (flow
// stats, group desc), the links and hosts the topology knows, and walks
// one packet through them.
import type { FlowStats } from '../../openflow/multipart/flow-stats.js';
import type { GroupDesc } from '../../openflow/multipart/group-desc.js';
import type { Action } from '../../openflow/structs/action.js';
import type { Instruction } from '../../openflow/structs/instruction.js';
import type { Match } from '../../openflow/structs/match.js';
import type { OxmBasic } from '../../openflow/structs/oxm.js';
import type { Link } from '../topology/link-table.js';

export interface TracePort {
  readonly port_no: number;
  readonly name: string;
  readonly up: boolean;
}

export interface TraceSwitch {
  /** 16 lowercase hex digits. */
  readonly dpid: string;
  readonly flows: readonly FlowStats[];
  readonly groups: readonly GroupDesc[];
  readonly ports: readonly TracePort[];
}

export interface TraceHost {
  readonly mac: string;
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
  readonly dpid: string;
  readonly port_no: number;
  readonly name?: string;
}

export interface TraceNetwork {
  readonly switches: ReadonlyMap<string, TraceSwitch>;
  /** One entry per direction, as the topology service lists them. */
  readonly links: readonly Link[];
  readonly hosts: readonly TraceHost[];
  /** The app (or "api") a reported flow belongs to; null when nobody here installed it. */
  ownerOf(dpid: string, f: FlowStats): string | null;
}

export interface TraceIngress {
  readonly dpid: string;
  readonly port_no: number;
}

/** The flow a table lookup hit. */
export interface MatchedFlow {
  readonly table_id: number;
  readonly priority: number;
  readonly cookie: bigint;
  readonly owner: string | null;
  readonly match: Match;
  readonly instructions: readonly Instruction[];
}

/** One table lookup: the flow that matched (null: no flow matched, so the packet is dropped, OF 1.3.5 §5.4). */
export interface TableStep {
  readonly table_id: number;
  readonly flow: MatchedFlow | null;
}

/** Why a copy of the packet stopped on this switch. */
export type DropReason =
  | 'no_match' | 'no_actions' | 'in_port' | 'no_such_port' | 'port_down' | 'no_such_group' | 'no_live_bucket'
  | 'unsupported_port' | 'too_deep' | 'bad_goto';

/** Where one copy of the packet went from a switch. */
export type Outcome =
  | { readonly kind: 'forwarded'; readonly port_no: number; readonly to: TraceIngress; readonly hop: number }
  | { readonly kind: 'delivered'; readonly port_no: number; readonly host: TraceHost | null }
  | { readonly kind: 'controller'; readonly port_no: 'controller' }
  | { readonly kind: 'local'; readonly port_no: 'local' }
  | { readonly kind: 'normal'; readonly port_no: 'normal' }
  | { readonly kind: 'dropped'; readonly reason: DropReason; readonly port_no?: number; readonly table_id?: number; readonly detail: string }
  | { readonly kind: 'looped'; readonly port_no: number; readonly to: TraceIngress; readonly first_hop: number }
  | { readonly kind: 'truncated'; readonly port_no: number; readonly to: TraceIngress };

/** One copy of the packet leaving the pipeline, with the header it has then. */
export interface HopOutput {
  readonly outcome: Outcome;
  readonly header: readonly OxmBasic[];
  /** "apply" (an output in apply_actions), "action_set", or "group N bucket B" when a group sent it. */
  readonly via: string;
}

/** The packet on one switch: where it came in, every table it met, what the actions did. */
export interface TraceHop {
  readonly id: number;
  /** The hop that sent the packet here; null for the first. */
  readonly parent: number | null;
  readonly dpid: string;
  readonly in_port: number;
  readonly header: readonly OxmBasic[];
  readonly tables: readonly TableStep[];
  /** Every action executed, in order (apply_actions, then the action set, groups' buckets inline). */
  readonly actions: readonly Action[];
  readonly outputs: readonly HopOutput[];
}

export type TraceVerdict = 'delivered' | 'dropped' | 'controller' | 'looped' | 'forwarded' | 'mixed';

export interface TraceResult {
  readonly ingress: TraceIngress;
  readonly hops: readonly TraceHop[];
  /** Every end the packet (and its copies) reached. */
  readonly verdict: TraceVerdict;
  readonly truncated: boolean;
}
