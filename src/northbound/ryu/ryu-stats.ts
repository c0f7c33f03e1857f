import { portNumber, type PortNo } from '../../openflow/common.js';
import type { BitTable } from '../../openflow/enums.js';
import type { MultipartReplyBody } from '../../openflow/messages/multipart.js';
import { InstructionTypeNames, type ActionId, type InstructionId, type OxmId } from '../../openflow/multipart/feature-ids.js';
import type { FlowStats } from '../../openflow/multipart/flow-stats.js';
import type { TableFeatureProp } from '../../openflow/multipart/table-feature-prop.js';
import { ActionTypeCodes } from '../../openflow/structs/action.js';
import { encodeInstructions } from '../../openflow/structs/instruction.js';
import { encodeMatch } from '../../openflow/structs/match.js';
import { PortConfigBits, PortFeatureBits, PortStateBits, type Port } from '../../openflow/structs/port.js';
import { FlowModFlagBits } from '../../openflow/messages/flow-mod.js';
import { TableConfigBits } from '../../openflow/multipart/table-features.js';
import { Writer } from '../../openflow/writer.js';
import { actionToRyu, instructionsToRyu, RYU_ACTION_TYPES } from './ryu-actions.js';
import { matchToRyu } from './ryu-match.js';
import { nxmName } from './ryu-nxm-names.js';
import { groupToUser, meterToUser, portToUser, tableToUser } from './ryu-values.js';

// The get_*_stats functions of ofctl_v1_3 (to_user=True): one multipart
// reply, as our channel returns it, to the dict Ryu puts under "<dpid>".
// Keys are in the order ofctl builds them, so the JSON reads the same.

type Bodies = readonly MultipartReplyBody[];
type Of<T extends MultipartReplyBody['type']> = Extract<MultipartReplyBody, { type: T }>;
const of = <T extends MultipartReplyBody['type']>(bodies: Bodies, t: T): Of<T>[] => bodies.filter((b): b is Of<T> => b.type === t);

/** A bitmap our codec decoded to names, back to the integer ofctl prints. */
export function flagsToInt(t: BitTable<string>, names: readonly string[]): number {
  let v = 0;
  for (const n of names) v = (v | (t.byName.get(n) ?? (/^0x[0-9a-f]+$/i.test(n) ? parseInt(n, 16) : 0))) >>> 0;
  return v;
}

export function descToRyu(bodies: Bodies): Record<string, unknown> {
  let s: Record<string, unknown> = {};
  for (const d of of(bodies, 'desc')) s = { mfr_desc: d.mfr_desc, hw_desc: d.hw_desc, sw_desc: d.sw_desc, serial_num: d.serial_num, dp_desc: d.dp_desc };
  return s;
}

/** ofp_flow_stats is 48 bytes before its match (padded to 8) and instructions. */
function flowStatsLength(f: FlowStats): number {
  const w = new Writer(256);
  encodeMatch(w, f.match);
  encodeInstructions(w, f.instructions);
  return 48 + w.pos;
}

export function flowsToRyu(bodies: Bodies, priority?: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const b of of(bodies, 'flow')) {
    for (const f of b.flows) {
      if (priority !== undefined && f.priority !== priority) continue;
      out.push({
        priority: f.priority, cookie: f.cookie, idle_timeout: f.idle_timeout, hard_timeout: f.hard_timeout,
        byte_count: f.byte_count, duration_sec: f.duration_sec, duration_nsec: f.duration_nsec, packet_count: f.packet_count,
        length: flowStatsLength(f), flags: flagsToInt(FlowModFlagBits, f.flags),
        actions: instructionsToRyu(f.instructions), match: matchToRyu(f.match), table_id: tableToUser(f.table_id),
      });
    }
  }
  return out;
}

export function aggregateToRyu(bodies: Bodies): Record<string, unknown>[] {
  return of(bodies, 'aggregate').map((a) => ({ packet_count: a.packet_count, byte_count: a.byte_count, flow_count: a.flow_count }));
}

export function tablesToRyu(bodies: Bodies): Record<string, unknown>[] {
  return of(bodies, 'table').flatMap((b) => b.tables.map((t) => ({
    active_count: t.active_count, lookup_count: t.lookup_count, matched_count: t.matched_count, table_id: tableToUser(t.table_id),
  })));
}

const typedIdLength = (i: InstructionId | ActionId): number => 4 + (i.experimenter !== undefined ? 4 : 0) + (i.data?.length ?? 0);
const instructionCode = (t: InstructionId['type']): number => (typeof t === 'number' ? t : InstructionTypeNames.byName.get(t) ?? 0);
const actionCode = (t: ActionId['type']): number => (typeof t === 'number' ? t : ActionTypeCodes[t]);

/** OFPOxmId as ofctl prints it: hasmask 0/1, type the field's name (OVS's own fields by os-ken's names). */
function oxmIdToRyu(o: OxmId): Record<string, unknown> {
  const type = 'field' in o ? o.field : nxmName(o.oxm_class, o.oxm_field);
  return { hasmask: o.hasmask ? 1 : 0, length: o.length, type };
}

function propToRyu(p: TableFeatureProp): Record<string, unknown> {
  const out: Record<string, unknown> = { type: p.type.toUpperCase() };
  if ('instruction_ids' in p) out.instruction_ids = p.instruction_ids.map((i) => ({ len: typedIdLength(i), type: instructionCode(i.type) }));
  else if ('next_table_ids' in p) out.table_ids = [...p.next_table_ids];
  else if ('action_ids' in p) out.action_ids = p.action_ids.map((i) => ({ len: typedIdLength(i), type: actionCode(i.type) }));
  else if ('oxm_ids' in p) out.oxm_ids = p.oxm_ids.map(oxmIdToRyu);
  return out;
}

export function tableFeaturesToRyu(bodies: Bodies): Record<string, unknown>[] {
  return of(bodies, 'table_features').flatMap((b) => b.tables.map((t) => ({
    name: t.name, metadata_match: t.metadata_match, metadata_write: t.metadata_write, config: flagsToInt(TableConfigBits, t.config),
    max_entries: t.max_entries, properties: t.properties.map(propToRyu), table_id: tableToUser(t.table_id),
  })));
}

export function portStatsToRyu(bodies: Bodies): Record<string, unknown>[] {
  return of(bodies, 'port_stats').flatMap((b) => b.stats.map((s) => ({
    rx_packets: s.rx_packets, tx_packets: s.tx_packets, rx_bytes: s.rx_bytes, tx_bytes: s.tx_bytes,
    rx_dropped: s.rx_dropped, tx_dropped: s.tx_dropped, rx_errors: s.rx_errors, tx_errors: s.tx_errors,
    rx_frame_err: s.rx_frame_err, rx_over_err: s.rx_over_err, rx_crc_err: s.rx_crc_err, collisions: s.collisions,
    duration_sec: s.duration_sec, duration_nsec: s.duration_nsec, port_no: portToUser(s.port_no),
  })));
}

/** get_queue_stats prints port_no and queue_id as plain numbers (no OFPP_ / OFPQ_ names). */
export function queueStatsToRyu(bodies: Bodies): Record<string, unknown>[] {
  return of(bodies, 'queue').flatMap((b) => b.stats.map((s) => ({
    duration_nsec: s.duration_nsec, duration_sec: s.duration_sec, port_no: portNumber(s.port_no),
    queue_id: s.queue_id === 'all' ? 0xffffffff : s.queue_id, tx_bytes: s.tx_bytes, tx_errors: s.tx_errors, tx_packets: s.tx_packets,
  })));
}

export function meterStatsToRyu(bodies: Bodies): Record<string, unknown>[] {
  return of(bodies, 'meter').flatMap((b) => b.stats.map((s) => ({
    // ofp_meter_stats: 40 bytes and 16 per band.
    len: 40 + 16 * s.band_stats.length, flow_count: s.flow_count, packet_in_count: s.packet_in_count, byte_in_count: s.byte_in_count,
    duration_sec: s.duration_sec, duration_nsec: s.duration_nsec,
    band_stats: s.band_stats.map((x) => ({ packet_band_count: x.packet_band_count, byte_band_count: x.byte_band_count })),
    meter_id: meterToUser(s.meter_id),
  })));
}

const METER_FLAG_NAMES: readonly [string, string][] = [['kbps', 'KBPS'], ['pktps', 'PKTPS'], ['burst', 'BURST'], ['stats', 'STATS']];
const meterFlags = (names: readonly string[]): string[] => METER_FLAG_NAMES.filter(([n]) => names.includes(n)).map(([, u]) => u);

export function meterFeaturesToRyu(bodies: Bodies): Record<string, unknown>[] {
  return of(bodies, 'meter_features').map((f) => ({
    max_meter: f.max_meter,
    band_types: [['drop', 'DROP'], ['dscp_remark', 'DSCP_REMARK']].filter(([n]) => f.band_types.includes(n!)).map(([, u]) => u),
    capabilities: meterFlags(f.capabilities), max_bands: f.max_bands, max_color: f.max_color,
  }));
}

export function meterConfigToRyu(bodies: Bodies): Record<string, unknown>[] {
  const bandType: Readonly<Record<string, string>> = { drop: 'DROP', dscp_remark: 'DSCP_REMARK', experimenter: 'EXPERIMENTER' };
  return of(bodies, 'meter_config').flatMap((b) => b.configs.map((c) => ({
    flags: meterFlags(c.flags),
    bands: c.bands.map((band) => {
      const o: Record<string, unknown> = { rate: band.rate, burst_size: band.burst_size, type: bandType[band.type] ?? '' };
      if (band.type === 'dscp_remark') o.prec_level = band.prec_level;
      else if (band.type === 'experimenter') o.experimenter = band.experimenter;
      return o;
    }),
    meter_id: meterToUser(c.meter_id),
  })));
}

export function groupStatsToRyu(bodies: Bodies): Record<string, unknown>[] {
  return of(bodies, 'group').flatMap((b) => b.stats.map((s) => ({
    // ofp_group_stats: 40 bytes and 16 per bucket counter.
    length: 40 + 16 * s.bucket_stats.length, ref_count: s.ref_count, packet_count: s.packet_count, byte_count: s.byte_count,
    duration_sec: s.duration_sec, duration_nsec: s.duration_nsec,
    bucket_stats: s.bucket_stats.map((x) => ({ packet_count: x.packet_count, byte_count: x.byte_count })),
    group_id: groupToUser(s.group_id),
  })));
}

const GROUP_TYPES: readonly [string, string][] = [['all', 'ALL'], ['select', 'SELECT'], ['indirect', 'INDIRECT'], ['ff', 'FF']];
const GROUP_CAPS: readonly [string, string][] = [['select_weight', 'SELECT_WEIGHT'], ['select_liveness', 'SELECT_LIVENESS'], ['chaining', 'CHAINING'], ['chaining_checks', 'CHAINING_CHECKS']];
/** get_group_features' act_convert, in its order (by action code). */
const ACTIONS_BY_CODE: readonly string[] = [...RYU_ACTION_TYPES].filter((t) => t !== 'EXPERIMENTER')
  .sort((a, b) => ActionTypeCodes[a.toLowerCase() as keyof typeof ActionTypeCodes] - ActionTypeCodes[b.toLowerCase() as keyof typeof ActionTypeCodes]);

export function groupFeaturesToRyu(bodies: Bodies): Record<string, unknown>[] {
  return of(bodies, 'group_features').map((f) => ({
    types: GROUP_TYPES.filter(([n]) => f.types.includes(n)).map(([, u]) => u),
    capabilities: GROUP_CAPS.filter(([n]) => f.capabilities.includes(n)).map(([, u]) => u),
    max_groups: GROUP_TYPES.map(([, u], i) => ({ [u]: f.max_groups[i] ?? 0 })),
    actions: GROUP_TYPES.map(([, u], i) => ({ [u]: ACTIONS_BY_CODE.filter((a) => (f.actions[i] ?? []).includes(a.toLowerCase())) })),
  }));
}

export function groupDescToRyu(bodies: Bodies): Record<string, unknown>[] {
  const typeName = new Map(GROUP_TYPES);
  return of(bodies, 'group_desc').flatMap((b) => b.groups.map((g) => ({
    buckets: g.buckets.map((k) => ({
      weight: k.weight, watch_port: portNumber(k.watch_port), watch_group: wireGroup(k.watch_group), actions: k.actions.map(actionToRyu),
    })),
    group_id: groupToUser(g.group_id),
    type: typeof g.group_type === 'string' ? typeName.get(g.group_type) ?? null : null,
  })));
}

function wireGroup(g: number | 'all' | 'any'): number {
  return g === 'all' ? 0xfffffffc : g === 'any' ? 0xffffffff : g;
}

export function portDescToRyu(bodies: Bodies): Record<string, unknown>[] {
  return of(bodies, 'port_desc').flatMap((b) => b.ports.map(portToRyu));
}

function portToRyu(p: Port): Record<string, unknown> {
  return {
    hw_addr: p.hw_addr, name: p.name, config: flagsToInt(PortConfigBits, p.config), state: flagsToInt(PortStateBits, p.state),
    curr: flagsToInt(PortFeatureBits, p.curr), advertised: flagsToInt(PortFeatureBits, p.advertised),
    supported: flagsToInt(PortFeatureBits, p.supported), peer: flagsToInt(PortFeatureBits, p.peer),
    curr_speed: p.curr_speed, max_speed: p.max_speed, port_no: portToUser(p.port_no as PortNo),
  };
}
