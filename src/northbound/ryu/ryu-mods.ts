import { bitsToNames, show } from '../../openflow/enums.js';
import { FlowModFlagBits, type FlowModCommand } from '../../openflow/messages/flow-mod.js';
import type { GroupModCommand, GroupType } from '../../openflow/messages/group-mod.js';
import { MeterFlagBits, type MeterModCommand } from '../../openflow/messages/meter-mod.js';
import type { PortMod } from '../../openflow/messages/port-mod.js';
import type { FlowFilter } from '../../openflow/multipart/flow-stats.js';
import type { Bucket } from '../../openflow/structs/bucket.js';
import type { MeterBand } from '../../openflow/structs/meter-band.js';
import { PortConfigBits, PortFeatureBits, type Port } from '../../openflow/structs/port.js';
import type { StaticFlowMod, StaticGroupMod, StaticMeterMod } from '../../core/static/static-store.js';
import { badRequest } from '../errors.js';
import { actionsOnly, instructionsFromRyu, type RyuAction } from './ryu-actions.js';
import { matchFromRyu } from './ryu-match.js';
import { bufferFromUser, groupFromUser, meterFromUser, portFromUser, pyInt, tableFromUser, u64, uint } from './ryu-values.js';

// Ryu's request bodies (ofctl_v1_3.mod_*_entry, get_flow_stats' filter) to our messages, with ofctl's defaults.

export type RyuBody = Readonly<Record<string, unknown>>;

function object(v: unknown, what: string): RyuBody {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest(`${what} must be an object, got ${show(v)}`);
  return v as RyuBody;
}
function list(v: unknown, what: string): readonly RyuBody[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw badRequest(`${what} must be a list, got ${show(v)}`);
  return v.map((x, i) => object(x, `${what}[${i}]`));
}

/** ofctl_v1_3.mod_flow_entry: table 0, priority 0, no timeouts, OFP_NO_BUFFER, out_port/out_group ANY unless given. */
export function flowModFromRyu(b: RyuBody, command: FlowModCommand): StaticFlowMod {
  return {
    type: 'flow_mod',
    cookie: u64(b.cookie ?? 0, 'cookie'),
    cookie_mask: u64(b.cookie_mask ?? 0, 'cookie_mask'),
    table_id: tableFromUser(b.table_id ?? 0, 'table_id'),
    command,
    idle_timeout: uint(b.idle_timeout ?? 0, 'idle_timeout', 16),
    hard_timeout: uint(b.hard_timeout ?? 0, 'hard_timeout', 16),
    priority: uint(b.priority ?? 0, 'priority', 16),
    buffer_id: bufferFromUser(b.buffer_id ?? 'NO_BUFFER', 'buffer_id'),
    out_port: portFromUser(b.out_port ?? 'ANY', 'out_port'),
    out_group: groupFromUser(b.out_group ?? 'ANY', 'out_group'),
    flags: bitsToNames(FlowModFlagBits, uint(b.flags ?? 0, 'flags', 16)),
    match: matchFromRyu(object(b.match, 'match')),
    instructions: instructionsFromRyu(list(b.actions, 'actions') as RyuAction[]),
  };
}

/** ofctl_v1_3.get_flow_stats' filter: every table, any port and group, no cookie restriction unless given; `priority` filters the reply. */
export function flowFilterFromRyu(b: RyuBody): { filter: FlowFilter; priority: number | undefined } {
  const p = b.priority === undefined ? -1n : pyInt(b.priority, 'priority');
  if (b.flags !== undefined) uint(b.flags, 'flags', 16); // read and checked as ofctl does; OpenFlow 1.3 has no request flags to set
  return {
    filter: {
      table_id: tableFromUser(b.table_id ?? 'ALL', 'table_id'),
      out_port: portFromUser(b.out_port ?? 'ANY', 'out_port'),
      out_group: groupFromUser(b.out_group ?? 'ANY', 'out_group'),
      cookie: u64(b.cookie ?? 0, 'cookie'),
      cookie_mask: u64(b.cookie_mask ?? 0, 'cookie_mask'),
      match: matchFromRyu(object(b.match, 'match')),
    },
    priority: p >= 0n ? Number(p) : undefined,
  };
}

const GROUP_TYPES: Readonly<Record<string, GroupType>> = { ALL: 'all', SELECT: 'select', INDIRECT: 'indirect', FF: 'ff' };

/** ofctl_v1_3.mod_group_entry: type ALL and group 0 unless given; buckets with weight 0, watch port/group ANY. */
export function groupModFromRyu(b: RyuBody, command: GroupModCommand): StaticGroupMod {
  const t = b.type ?? 'ALL';
  if (typeof t !== 'string' || !Object.hasOwn(GROUP_TYPES, t)) throw badRequest(`type must be one of ${Object.keys(GROUP_TYPES).join(', ')}, got ${show(t)}`);
  const buckets: Bucket[] = list(b.buckets, 'buckets').map((k, i) => ({
    weight: uint(k.weight ?? 0, `buckets[${i}].weight`, 16),
    watch_port: uintPort(k.watch_port, `buckets[${i}].watch_port`),
    watch_group: uintGroup(k.watch_group, `buckets[${i}].watch_group`),
    actions: list(k.actions, `buckets[${i}].actions`).map((a, j) => actionsOnly(a, `buckets[${i}].actions[${j}]`)),
  }));
  return { type: 'group_mod', command, group_type: GROUP_TYPES[t]!, group_id: groupFromUser(b.group_id ?? 0, 'group_id'), buckets };
}

// Buckets' watch_port / watch_group are plain str_to_int in ofctl (no reserved names), ANY by default.
function uintPort(v: unknown, what: string): Bucket['watch_port'] {
  return v === undefined ? 'any' : portFromUser(uint(v, what, 32), what);
}
function uintGroup(v: unknown, what: string): Bucket['watch_group'] {
  return v === undefined ? 'any' : groupFromUser(uint(v, what, 32), what);
}

const METER_FLAGS: Readonly<Record<string, string>> = { KBPS: 'kbps', PKTPS: 'pktps', BURST: 'burst', STATS: 'stats' };

/** ofctl_v1_3.mod_meter_entry: flags as a list or one name, meter 0 unless given, bands DROP / DSCP_REMARK / EXPERIMENTER. */
export function meterModFromRyu(b: RyuBody, command: MeterModCommand): StaticMeterMod {
  const given = b.flags === undefined ? [] : Array.isArray(b.flags) ? b.flags : [b.flags];
  const flags = given.map((f) => {
    if (typeof f !== 'string' || !Object.hasOwn(METER_FLAGS, f)) throw badRequest(`flags must be names from ${Object.keys(METER_FLAGS).join(', ')}, got ${show(f)}`);
    return METER_FLAGS[f]!;
  });
  const bands: MeterBand[] = list(b.bands, 'bands').map((band, i) => {
    const what = `bands[${i}]`;
    const rate = uint(band.rate ?? 0, `${what}.rate`, 32);
    const burst_size = uint(band.burst_size ?? 0, `${what}.burst_size`, 32);
    switch (band.type) {
      case 'DROP':
        return { type: 'drop', rate, burst_size };
      case 'DSCP_REMARK':
        return { type: 'dscp_remark', rate, burst_size, prec_level: uint(band.prec_level ?? 0, `${what}.prec_level`, 8) };
      case 'EXPERIMENTER':
        return { type: 'experimenter', rate, burst_size, experimenter: uint(band.experimenter ?? 0, `${what}.experimenter`, 32), data: Buffer.alloc(0) };
      default:
        throw badRequest(`${what}.type must be DROP, DSCP_REMARK or EXPERIMENTER, got ${show(band.type)}`);
    }
  });
  return { type: 'meter_mod', command, flags: [...new Set(flags)].sort((x, y) => MeterFlagBits.byName.get(x)! - MeterFlagBits.byName.get(y)!), meter_id: meterFromUser(b.meter_id ?? 0, 'meter_id'), bands };
}

/** ofctl_v1_3.mod_port_behavior, with hw_addr and advertise taken from the port as ofctl_rest does. */
export function portModFromRyu(b: RyuBody, port: Port): Omit<PortMod, 'xid'> {
  const hw = b.hw_addr ?? port.hw_addr;
  if (typeof hw !== 'string') throw badRequest(`hw_addr must be a MAC address string, got ${show(hw)}`);
  return {
    type: 'port_mod',
    port_no: port.port_no,
    hw_addr: hw.toLowerCase(),
    config: bitsToNames(PortConfigBits, uint(b.config ?? 0, 'config', 32)),
    mask: bitsToNames(PortConfigBits, uint(b.mask ?? 0, 'mask', 32)),
    advertise: b.advertise === undefined ? port.advertised : bitsToNames(PortFeatureBits, uint(b.advertise, 'advertise', 32)),
  };
}
