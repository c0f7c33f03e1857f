import { bitTable, enumTable, readBits16, writeBits16 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeAggregateReply, decodeAggregateRequest, encodeAggregateReply, encodeAggregateRequest } from '../multipart/aggregate.js';
import type { AggregateReply, AggregateRequest } from '../multipart/aggregate.js';
import { decodeDescReply, encodeDescReply, type DescReply } from '../multipart/desc.js';
import type { ExperimenterBody } from '../multipart/experimenter.js';
import { experimenterKind, kind, TlvRegistry, type TlvKind } from '../tlv.js';
import { decodeFlowStatsReply, decodeFlowStatsRequest, encodeFlowStatsReply, encodeFlowStatsRequest } from '../multipart/flow-stats.js';
import type { FlowStatsReply, FlowStatsRequest } from '../multipart/flow-stats.js';
import { decodeGroupDescReply, encodeGroupDescReply, type GroupDescReply } from '../multipart/group-desc.js';
import { decodeGroupFeaturesReply, encodeGroupFeaturesReply, type GroupFeaturesReply } from '../multipart/group-features.js';
import { decodeGroupStatsReply, decodeGroupStatsRequest, encodeGroupStatsReply, encodeGroupStatsRequest } from '../multipart/group-stats.js';
import type { GroupStatsReply, GroupStatsRequest } from '../multipart/group-stats.js';
import { decodeMeterConfigReply, decodeMeterConfigRequest, encodeMeterConfigReply, encodeMeterConfigRequest } from '../multipart/meter-config.js';
import type { MeterConfigReply, MeterConfigRequest } from '../multipart/meter-config.js';
import { decodeMeterFeaturesReply, encodeMeterFeaturesReply, type MeterFeaturesReply } from '../multipart/meter-features.js';
import { decodeMeterStatsReply, decodeMeterStatsRequest, encodeMeterStatsReply, encodeMeterStatsRequest } from '../multipart/meter-stats.js';
import type { MeterStatsReply, MeterStatsRequest } from '../multipart/meter-stats.js';
import { decodePortDescReply, encodePortDescReply, type PortDescReply } from '../multipart/port-desc.js';
import { decodePortStatsReply, decodePortStatsRequest, encodePortStatsReply, encodePortStatsRequest } from '../multipart/port-stats.js';
import type { PortStatsReply, PortStatsRequest } from '../multipart/port-stats.js';
import { decodeQueueStatsReply, decodeQueueStatsRequest, encodeQueueStatsReply, encodeQueueStatsRequest } from '../multipart/queue-stats.js';
import type { QueueStatsReply, QueueStatsRequest } from '../multipart/queue-stats.js';
import { expectEnd, needObject } from '../multipart/record.js';
import { decodeTableFeaturesBody, encodeTableFeaturesBody, type TableFeaturesBody } from '../multipart/table-features.js';
import { decodeTableStatsReply, encodeTableStatsReply, type TableStatsReply } from '../multipart/table-stats.js';

export type MultipartType =
  | 'desc' | 'flow' | 'aggregate' | 'table' | 'port_stats' | 'queue' | 'group' | 'group_desc'
  | 'group_features' | 'meter' | 'meter_config' | 'meter_features' | 'table_features' | 'port_desc' | 'experimenter';

export const MultipartRequestFlagBits = bitTable('multipart request flags', { req_more: 1 });
export const MultipartReplyFlagBits = bitTable('multipart reply flags', { reply_more: 1 });

/** A request type whose body is empty. */
export interface EmptyRequest {
  readonly type: 'desc' | 'table' | 'group_desc' | 'group_features' | 'meter_features' | 'port_desc';
}

/** A multipart type the spec does not define: its body, as sent. */
export interface UnknownMultipartBody {
  readonly type: 'unknown';
  readonly code: number;
  readonly data: Buffer;
}

/** Request bodies by `type` (the ofp_multipart_type name). */
export type MultipartRequestBody =
  | EmptyRequest
  | FlowStatsRequest
  | AggregateRequest
  | PortStatsRequest
  | QueueStatsRequest
  | GroupStatsRequest
  | MeterStatsRequest
  | MeterConfigRequest
  | TableFeaturesBody
  | ExperimenterBody
  | UnknownMultipartBody;

/**
 * Reply bodies by `type`. Lists: flow.flows, table.tables, port_stats.stats,
 * queue.stats, group.stats, group_desc.groups, meter.stats,
 * meter_config.configs, table_features.tables, port_desc.ports.
 */
export type MultipartReplyBody =
  | DescReply
  | FlowStatsReply
  | AggregateReply
  | TableStatsReply
  | PortStatsReply
  | QueueStatsReply
  | GroupStatsReply
  | GroupDescReply
  | GroupFeaturesReply
  | MeterStatsReply
  | MeterConfigReply
  | MeterFeaturesReply
  | TableFeaturesBody
  | PortDescReply
  | ExperimenterBody
  | UnknownMultipartBody;

/** OFPT_MULTIPART_REQUEST, OF 1.3.5 §7.3.5. */
export interface MultipartRequest {
  readonly type: 'multipart_request';
  readonly xid: number;
  /** 'req_more' when more requests of this xid follow. */
  readonly flags: readonly string[];
  readonly body: MultipartRequestBody;
}

/** OFPT_MULTIPART_REPLY, OF 1.3.5 §7.3.5. */
export interface MultipartReply {
  readonly type: 'multipart_reply';
  readonly xid: number;
  /** 'reply_more' when more replies of this xid follow. */
  readonly flags: readonly string[];
  readonly body: MultipartReplyBody;
}

type Req<T> = Extract<MultipartRequestBody, { type: T }>;
const request = kind<MultipartRequestBody>();
const ANY = { min: 0 } as const;

// A body's own decoder checks its fixed part; the registry adds nothing to
// what each has always enforced, except that bodiless requests are empty.
function emptyRequest<T extends EmptyRequest['type']>(code: number, type: T): TlvKind<MultipartRequestBody> {
  return request({ code, type, length: { exact: 0 }, decode: () => ({ type }) as Req<T>, encode: () => undefined });
}
function body<B extends { readonly type: string }>(
  code: number,
  type: B['type'],
  decode: (r: Reader) => B,
  encode: (w: Writer, b: B) => void,
): TlvKind<MultipartRequestBody> & TlvKind<MultipartReplyBody> {
  return { code, type, length: ANY, decode, encode } as unknown as TlvKind<MultipartRequestBody> & TlvKind<MultipartReplyBody>;
}

// ofp_experimenter_multipart_header, OF 1.3.5 §7.3.5.15: experimenter(4) exp_type(4) data(rest)
const experimenter = experimenterKind<ExperimenterBody>({ code: 0xffff, length: { min: 8 }, expType: true });

/** ofp_multipart_request bodies by ofp_multipart_type, OF 1.3.5 §7.3.5. */
export const MULTIPART_REQUESTS = new TlvRegistry<MultipartRequestBody>('multipart request body', [
  emptyRequest(0, 'desc'),
  body<FlowStatsRequest>(1, 'flow', decodeFlowStatsRequest, encodeFlowStatsRequest),
  body<AggregateRequest>(2, 'aggregate', decodeAggregateRequest, encodeAggregateRequest),
  emptyRequest(3, 'table'),
  body<PortStatsRequest>(4, 'port_stats', decodePortStatsRequest, encodePortStatsRequest),
  body<QueueStatsRequest>(5, 'queue', decodeQueueStatsRequest, encodeQueueStatsRequest),
  body<GroupStatsRequest>(6, 'group', decodeGroupStatsRequest, encodeGroupStatsRequest),
  emptyRequest(7, 'group_desc'),
  emptyRequest(8, 'group_features'),
  body<MeterStatsRequest>(9, 'meter', decodeMeterStatsRequest, encodeMeterStatsRequest),
  body<MeterConfigRequest>(10, 'meter_config', decodeMeterConfigRequest, encodeMeterConfigRequest),
  emptyRequest(11, 'meter_features'),
  body<TableFeaturesBody>(12, 'table_features', decodeTableFeaturesBody, encodeTableFeaturesBody),
  emptyRequest(13, 'port_desc'),
  experimenter as TlvKind<MultipartRequestBody>,
], 0, undefined, 'multipart body type');

/** ofp_multipart_reply bodies by ofp_multipart_type, OF 1.3.5 §7.3.5. */
export const MULTIPART_REPLIES = new TlvRegistry<MultipartReplyBody>('multipart reply body', [
  body<DescReply>(0, 'desc', decodeDescReply, encodeDescReply),
  body<FlowStatsReply>(1, 'flow', decodeFlowStatsReply, encodeFlowStatsReply),
  body<AggregateReply>(2, 'aggregate', decodeAggregateReply, encodeAggregateReply),
  body<TableStatsReply>(3, 'table', decodeTableStatsReply, encodeTableStatsReply),
  body<PortStatsReply>(4, 'port_stats', decodePortStatsReply, encodePortStatsReply),
  body<QueueStatsReply>(5, 'queue', decodeQueueStatsReply, encodeQueueStatsReply),
  body<GroupStatsReply>(6, 'group', decodeGroupStatsReply, encodeGroupStatsReply),
  body<GroupDescReply>(7, 'group_desc', decodeGroupDescReply, encodeGroupDescReply),
  body<GroupFeaturesReply>(8, 'group_features', decodeGroupFeaturesReply, encodeGroupFeaturesReply),
  body<MeterStatsReply>(9, 'meter', decodeMeterStatsReply, encodeMeterStatsReply),
  body<MeterConfigReply>(10, 'meter_config', decodeMeterConfigReply, encodeMeterConfigReply),
  body<MeterFeaturesReply>(11, 'meter_features', decodeMeterFeaturesReply, encodeMeterFeaturesReply),
  body<TableFeaturesBody>(12, 'table_features', decodeTableFeaturesBody, encodeTableFeaturesBody),
  body<PortDescReply>(13, 'port_desc', decodePortDescReply, encodePortDescReply),
  experimenter as TlvKind<MultipartReplyBody>,
], 0, undefined, 'multipart body type');

/** ofp_multipart_type, OF 1.3.5 §7.3.5. */
export const MultipartTypeNames = enumTable('multipart type', MULTIPART_REQUESTS.codes);

// ofp_multipart_request / _reply body, OF 1.3.5 §7.3.5: layout chosen by the type at start (8 bytes before it)
function decodeBody<V extends { readonly type: string }>(r: Reader, reg: TlvRegistry<V>, code: number): V {
  const k = reg.forCode(code);
  reg.checkLength(r, k, code, r.remaining, r.pos - 8);
  return k.decode(r, undefined, r.pos - 8);
}

/** Writes the wire type of a body and returns the kind that encodes it. */
function writeBodyType<V extends { readonly type: string }>(w: Writer, reg: TlvRegistry<V>, b: V): TlvKind<V> {
  needObject(w, b, 'multipart body');
  const k = reg.forValue(w, b);
  w.u16(reg.codeOf(k, b));
  return k;
}

// ofp_multipart_request, OF 1.3.5 §7.3.5: type(2) flags(2) pad(4) body(rest)
export function decodeMultipartRequest(r: Reader, xid: number): MultipartRequest {
  const code = r.u16('multipart type');
  const flags = readBits16(r, MultipartRequestFlagBits);
  r.pad(4);
  const body = decodeBody(r, MULTIPART_REQUESTS, code);
  expectEnd(r, 'multipart_request body');
  return { type: 'multipart_request', xid, flags, body };
}

// ofp_multipart_request, OF 1.3.5 §7.3.5: type(2) flags(2) pad(4) body
export function encodeMultipartRequest(w: Writer, m: MultipartRequest): void {
  const k = writeBodyType(w, MULTIPART_REQUESTS, m.body);
  writeBits16(w, MultipartRequestFlagBits, m.flags);
  w.pad(4);
  k.encode(w, m.body, w.pos);
}

// ofp_multipart_reply, OF 1.3.5 §7.3.5: type(2) flags(2) pad(4) body(rest)
export function decodeMultipartReply(r: Reader, xid: number): MultipartReply {
  const code = r.u16('multipart type');
  const flags = readBits16(r, MultipartReplyFlagBits);
  r.pad(4);
  const body = decodeBody(r, MULTIPART_REPLIES, code);
  expectEnd(r, 'multipart_reply body');
  return { type: 'multipart_reply', xid, flags, body };
}

// ofp_multipart_reply, OF 1.3.5 §7.3.5: type(2) flags(2) pad(4) body
export function encodeMultipartReply(w: Writer, m: MultipartReply): void {
  const k = writeBodyType(w, MULTIPART_REPLIES, m.body);
  writeBits16(w, MultipartReplyFlagBits, m.flags);
  w.pad(4);
  k.encode(w, m.body, w.pos);
}
