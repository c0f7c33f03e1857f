import type { GroupDesc } from '../../openflow/multipart/group-desc.js';
import type { GroupStats } from '../../openflow/multipart/group-stats.js';
import type { MeterConfig } from '../../openflow/multipart/meter-config.js';
import type { MeterStats } from '../../openflow/multipart/meter-stats.js';
import type { Bucket } from '../../openflow/structs/bucket.js';
import type { MeterBand } from '../../openflow/structs/meter-band.js';
import type { GroupId, PortNo } from '../../openflow/common.js';
import { toJsonValue } from '../../openflow/json.js';
import type { StaticGroupMod, StaticMeterMod } from '../../core/static/static-store.js';
import { badRequest } from '../errors.js';
import { GROUP_ID_MAX, METER_ID_MAX, actionsFromJson, actionsToJson } from './action.js';
import { portOf } from './match.js';
import { dpidSchema } from '../schemas.js';

// Groups and meters as the REST API writes them ⇄ group_mod / meter_mod and
// the group_desc, group, meter_config and meter multipart replies.

export const GROUP_TYPES = ['all', 'select', 'indirect', 'ff'] as const;
export const METER_FLAGS = ['kbps', 'pktps', 'burst', 'stats'] as const;
export const BAND_TYPES = ['drop', 'dscp_remark'] as const;

export interface BucketBody {
  readonly weight?: number;
  readonly watch_port?: number | string;
  readonly watch_group?: number | string;
  readonly actions: unknown;
}
export interface GroupBody {
  readonly group_id?: number;
  readonly type: (typeof GROUP_TYPES)[number];
  readonly buckets: readonly BucketBody[];
}
export interface BandBody {
  readonly type: (typeof BAND_TYPES)[number];
  readonly rate: number;
  readonly burst_size?: number;
  readonly prec_level?: number;
}
export interface MeterBody {
  readonly meter_id?: number;
  readonly flags?: readonly string[];
  readonly bands: readonly BandBody[];
}

function watchGroupOf(v: number | string | undefined, where: string): GroupId {
  if (v === undefined || v === 'any') return 'any';
  const n = typeof v === 'string' && /^[0-9]+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > GROUP_ID_MAX) throw badRequest(`${where} must be a group id 0..${GROUP_ID_MAX} or "any", got ${JSON.stringify(v)}`);
  return n;
}

/** Bucket rules of OF 1.3.5 §5.6.1, checked here so the answer says which bucket is wrong. */
function bucketOf(type: GroupBody['type'], b: BucketBody, where: string): Bucket {
  if (b.weight !== undefined && b.weight !== 0 && type !== 'select') throw badRequest(`${where}.weight: only select groups weigh buckets; leave weight out for a ${type} group`);
  const watch_port: PortNo = b.watch_port === undefined ? 'any' : portOf(b.watch_port, `${where}.watch_port`);
  const watch_group = watchGroupOf(b.watch_group, `${where}.watch_group`);
  if (type === 'ff' && watch_port === 'any' && watch_group === 'any') {
    throw badRequest(`${where}: a fast-failover (ff) bucket needs watch_port or watch_group, the liveness it fails over on`);
  }
  return { weight: type === 'select' ? (b.weight ?? 1) : 0, watch_port, watch_group, actions: actionsFromJson(b.actions, `${where}.actions`) };
}

/** A group_mod for `command` from a body; `groupId` from the path wins and must agree with the body's. */
export function groupModFromJson(b: GroupBody, command: 'add' | 'modify', groupId?: number): StaticGroupMod {
  const id = groupId ?? b.group_id;
  if (id === undefined) throw badRequest('body needs "group_id" (0..4294967040)');
  if (groupId !== undefined && b.group_id !== undefined && b.group_id !== groupId) {
    throw badRequest(`body.group_id ${b.group_id} differs from the group in the path (${groupId}); a group's id cannot change`);
  }
  if (b.type === 'indirect' && b.buckets.length !== 1) throw badRequest(`an indirect group has exactly one bucket, got ${b.buckets.length}`);
  const gm: StaticGroupMod = {
    type: 'group_mod', command, group_type: b.type, group_id: id,
    buckets: b.buckets.map((x, i) => bucketOf(b.type, x, `body.buckets[${i}]`)),
  };
  return gm;
}

export function groupDeleteMod(groupId: number): StaticGroupMod {
  return { type: 'group_mod', command: 'delete', group_type: 'all', group_id: groupId, buckets: [] };
}

export function meterModFromJson(b: MeterBody, command: 'add' | 'modify', meterId?: number): StaticMeterMod {
  const id = meterId ?? b.meter_id;
  if (id === undefined) throw badRequest(`body needs "meter_id" (1..${METER_ID_MAX})`);
  if (meterId !== undefined && b.meter_id !== undefined && b.meter_id !== meterId) {
    throw badRequest(`body.meter_id ${b.meter_id} differs from the meter in the path (${meterId}); a meter's id cannot change`);
  }
  const flags = [...new Set(b.flags ?? ['kbps'])];
  if (flags.includes('kbps') === flags.includes('pktps')) throw badRequest('body.flags needs exactly one of "kbps" (rates in kbit/s) and "pktps" (packets/s)');
  const bands: MeterBand[] = b.bands.map((x, i) => {
    const burst_size = x.burst_size ?? 0;
    if (burst_size !== 0 && !flags.includes('burst')) throw badRequest(`body.bands[${i}].burst_size needs the "burst" flag in body.flags`);
    if (x.type === 'drop') {
      if (x.prec_level !== undefined) throw badRequest(`body.bands[${i}].prec_level is only for dscp_remark bands`);
      return { type: 'drop', rate: x.rate, burst_size };
    }
    if (x.prec_level === undefined) throw badRequest(`body.bands[${i}] is a dscp_remark band and needs "prec_level" (how much to raise the drop precedence)`);
    return { type: 'dscp_remark', rate: x.rate, burst_size, prec_level: x.prec_level };
  });
  const mm: StaticMeterMod = { type: 'meter_mod', command, flags, meter_id: id, bands };
  return mm;
}

export function meterDeleteMod(meterId: number): StaticMeterMod {
  return { type: 'meter_mod', command: 'delete', flags: [], meter_id: meterId, bands: [] };
}

// ---- responses --------------------------------------------------------------

export interface GroupJson {
  readonly dpid: string;
  readonly group_id: number;
  readonly type: string | number;
  readonly buckets: { weight: number; watch_port: PortNo; watch_group: GroupId; actions: Record<string, unknown>[] }[];
  readonly stats: Record<string, unknown> | null;
  readonly owner: string | null;
}

export function groupToJson(dpid: string, d: GroupDesc, s: GroupStats | undefined, stored: boolean): GroupJson {
  return {
    dpid,
    group_id: d.group_id as number,
    type: d.group_type,
    buckets: d.buckets.map((b) => ({ weight: b.weight, watch_port: b.watch_port, watch_group: b.watch_group, actions: actionsToJson(b.actions) })),
    stats: s === undefined ? null : (toJsonValue({
      ref_count: s.ref_count, packet_count: s.packet_count, byte_count: s.byte_count, duration_sec: s.duration_sec, bucket_stats: s.bucket_stats,
    }) as Record<string, unknown>),
    owner: stored ? 'api' : null,
  };
}

export interface MeterJson {
  readonly dpid: string;
  readonly meter_id: number | string;
  readonly flags: readonly string[];
  readonly bands: Record<string, unknown>[];
  readonly stats: Record<string, unknown> | null;
  readonly owner: string | null;
}

export function meterToJson(dpid: string, c: MeterConfig, s: MeterStats | undefined, stored: boolean): MeterJson {
  return {
    dpid,
    meter_id: c.meter_id,
    flags: c.flags,
    bands: toJsonValue(c.bands) as Record<string, unknown>[],
    stats: s === undefined ? null : (toJsonValue({
      flow_count: s.flow_count, packet_in_count: s.packet_in_count, byte_in_count: s.byte_in_count, duration_sec: s.duration_sec, band_stats: s.band_stats,
    }) as Record<string, unknown>),
    owner: stored ? 'api' : null,
  };
}

// ---- schemas ----------------------------------------------------------------

const portOrName = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string' }] } as const;

export const groupIdSchema = { type: 'integer', minimum: 0, maximum: GROUP_ID_MAX, description: 'group id 0..4294967040 (OFPG_MAX)' } as const;
export const meterIdSchema = { type: 'integer', minimum: 1, maximum: METER_ID_MAX, description: 'meter id 1..4294901760 (OFPM_MAX)' } as const;

const bucketSchema = {
  type: 'object',
  properties: {
    weight: { type: 'integer', minimum: 0, maximum: 65535, description: 'select groups only (default 1)' },
    watch_port: { ...portOrName, description: 'fast-failover: the port whose liveness picks this bucket' },
    watch_group: { ...portOrName, description: 'fast-failover: the group whose liveness picks this bucket' },
    actions: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' } }, required: ['type'], additionalProperties: true }, description: 'actions in the codec\'s JSON, as for flows' },
  },
  required: ['actions'],
  additionalProperties: false,
} as const;

const groupProps = {
  type: { type: 'string', enum: GROUP_TYPES, description: 'all (every bucket), select (one, by weight), indirect (one bucket), ff (fast failover)' },
  buckets: { type: 'array', items: bucketSchema },
} as const;

export const groupAddBody = {
  type: 'object', properties: { group_id: groupIdSchema, ...groupProps }, required: ['group_id', 'type', 'buckets'], additionalProperties: false,
} as const;
export const groupPutBody = {
  type: 'object', properties: { group_id: groupIdSchema, ...groupProps }, required: ['type', 'buckets'], additionalProperties: false,
} as const;

const bandSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: BAND_TYPES },
    rate: { type: 'integer', minimum: 1, maximum: 0xffffffff, description: 'kbit/s or packets/s, as the meter\'s flags say' },
    burst_size: { type: 'integer', minimum: 0, maximum: 0xffffffff, description: 'with the "burst" flag' },
    prec_level: { type: 'integer', minimum: 0, maximum: 255, description: 'dscp_remark only: drop precedence increase' },
  },
  required: ['type', 'rate'],
  additionalProperties: false,
} as const;

const meterProps = {
  flags: { type: 'array', items: { type: 'string', enum: METER_FLAGS }, description: 'default ["kbps"]; exactly one of kbps and pktps' },
  bands: { type: 'array', minItems: 1, items: bandSchema },
} as const;

export const meterAddBody = {
  type: 'object', properties: { meter_id: meterIdSchema, ...meterProps }, required: ['meter_id', 'bands'], additionalProperties: false,
} as const;
export const meterPutBody = {
  type: 'object', properties: { meter_id: meterIdSchema, ...meterProps }, required: ['bands'], additionalProperties: false,
} as const;

const stats = { type: 'object', nullable: true, additionalProperties: true, description: 'counters (64-bit ones as decimal strings); null when the switch gave none' } as const;
const owner = { type: 'string', nullable: true, description: '"api" when added through this API (stored, re-installed on reconnect), else null' } as const;

export const groupSchema = {
  type: 'object',
  properties: {
    dpid: dpidSchema, group_id: { type: 'integer' }, type: { type: 'string' },
    buckets: { type: 'array', items: { type: 'object', additionalProperties: true } }, stats, owner,
  },
  required: ['dpid', 'group_id', 'type', 'buckets', 'owner'],
  additionalProperties: true,
} as const;

export const meterSchema = {
  type: 'object',
  properties: {
    dpid: dpidSchema, meter_id: { anyOf: [{ type: 'integer' }, { type: 'string' }] }, flags: { type: 'array', items: { type: 'string' } },
    bands: { type: 'array', items: { type: 'object', additionalProperties: true } }, stats, owner,
  },
  required: ['dpid', 'meter_id', 'flags', 'bands', 'owner'],
  additionalProperties: true,
} as const;
