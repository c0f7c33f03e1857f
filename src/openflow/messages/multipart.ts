import { bitTable, enumTable, readBits16, writeBits16 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeAggregateReply, decodeAggregateRequest, encodeAggregateReply, encodeAggregateRequest } from '../multipart/aggregate.js';
import type { AggregateReply, AggregateRequest } from '../multipart/aggregate.js';
import { decodeDescReply, encodeDescReply, type DescReply } from '../multipart/desc.js';
import { decodeExperimenterBody, encodeExperimenterBody, type ExperimenterBody } from '../multipart/experimenter.js';
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
import { expectEnd, needObject, show } from '../multipart/record.js';
import { decodeTableFeaturesBody, encodeTableFeaturesBody, type TableFeaturesBody } from '../multipart/table-features.js';
import { decodeTableStatsReply, encodeTableStatsReply, type TableStatsReply } from '../multipart/table-stats.js';

/** ofp_multipart_type, OF 1.3.5 §7.3.5. */
export const MultipartTypeNames = enumTable('multipart type', {
  desc: 0, flow: 1, aggregate: 2, table: 3, port_stats: 4, queue: 5, group: 6, group_desc: 7,
  group_features: 8, meter: 9, meter_config: 10, meter_features: 11, table_features: 12, port_desc: 13,
  experimenter: 0xffff,
});
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

// ofp_multipart_request body, OF 1.3.5 §7.3.5: layout chosen by the multipart type
function decodeRequestBody(r: Reader, code: number): MultipartRequestBody {
  switch (code) {
    case 0: return { type: 'desc' };
    case 1: return decodeFlowStatsRequest(r);
    case 2: return decodeAggregateRequest(r);
    case 3: return { type: 'table' };
    case 4: return decodePortStatsRequest(r);
    case 5: return decodeQueueStatsRequest(r);
    case 6: return decodeGroupStatsRequest(r);
    case 7: return { type: 'group_desc' };
    case 8: return { type: 'group_features' };
    case 9: return decodeMeterStatsRequest(r);
    case 10: return decodeMeterConfigRequest(r);
    case 11: return { type: 'meter_features' };
    case 12: return decodeTableFeaturesBody(r);
    case 13: return { type: 'port_desc' };
    case 0xffff: return decodeExperimenterBody(r);
    default: return { type: 'unknown', code, data: r.bytes(r.remaining) };
  }
}

// ofp_multipart_reply body, OF 1.3.5 §7.3.5: layout chosen by the multipart type
function decodeReplyBody(r: Reader, code: number): MultipartReplyBody {
  switch (code) {
    case 0: return decodeDescReply(r);
    case 1: return decodeFlowStatsReply(r);
    case 2: return decodeAggregateReply(r);
    case 3: return decodeTableStatsReply(r);
    case 4: return decodePortStatsReply(r);
    case 5: return decodeQueueStatsReply(r);
    case 6: return decodeGroupStatsReply(r);
    case 7: return decodeGroupDescReply(r);
    case 8: return decodeGroupFeaturesReply(r);
    case 9: return decodeMeterStatsReply(r);
    case 10: return decodeMeterConfigReply(r);
    case 11: return decodeMeterFeaturesReply(r);
    case 12: return decodeTableFeaturesBody(r);
    case 13: return decodePortDescReply(r);
    case 0xffff: return decodeExperimenterBody(r);
    default: return { type: 'unknown', code, data: r.bytes(r.remaining) };
  }
}

/** Writes the wire type of a body, after checking the body is an object with a known `type`. */
function writeBodyType(w: Writer, body: MultipartRequestBody | MultipartReplyBody): void {
  needObject(w, body, 'multipart body');
  if (body.type === 'unknown') {
    w.u16(body.code);
    return;
  }
  const code = MultipartTypeNames.byName.get(body.type);
  if (code === undefined) {
    w.fail(`unknown multipart body type ${show(body.type)}; expected one of ${[...MultipartTypeNames.byName.keys()].join(', ')} or unknown`);
  }
  w.u16(code);
}

// ofp_multipart_request body, OF 1.3.5 §7.3.5: layout chosen by body.type
function encodeRequestBody(w: Writer, b: MultipartRequestBody): void {
  switch (b.type) {
    case 'flow': return encodeFlowStatsRequest(w, b);
    case 'aggregate': return encodeAggregateRequest(w, b);
    case 'port_stats': return encodePortStatsRequest(w, b);
    case 'queue': return encodeQueueStatsRequest(w, b);
    case 'group': return encodeGroupStatsRequest(w, b);
    case 'meter': return encodeMeterStatsRequest(w, b);
    case 'meter_config': return encodeMeterConfigRequest(w, b);
    case 'table_features': return encodeTableFeaturesBody(w, b);
    case 'experimenter': return encodeExperimenterBody(w, b);
    case 'unknown': return w.bytes(b.data);
    default: return; // the bodiless requests
  }
}

// ofp_multipart_reply body, OF 1.3.5 §7.3.5: layout chosen by body.type
function encodeReplyBody(w: Writer, b: MultipartReplyBody): void {
  switch (b.type) {
    case 'desc': return encodeDescReply(w, b);
    case 'flow': return encodeFlowStatsReply(w, b);
    case 'aggregate': return encodeAggregateReply(w, b);
    case 'table': return encodeTableStatsReply(w, b);
    case 'port_stats': return encodePortStatsReply(w, b);
    case 'queue': return encodeQueueStatsReply(w, b);
    case 'group': return encodeGroupStatsReply(w, b);
    case 'group_desc': return encodeGroupDescReply(w, b);
    case 'group_features': return encodeGroupFeaturesReply(w, b);
    case 'meter': return encodeMeterStatsReply(w, b);
    case 'meter_config': return encodeMeterConfigReply(w, b);
    case 'meter_features': return encodeMeterFeaturesReply(w, b);
    case 'table_features': return encodeTableFeaturesBody(w, b);
    case 'port_desc': return encodePortDescReply(w, b);
    case 'experimenter': return encodeExperimenterBody(w, b);
    case 'unknown': return w.bytes(b.data);
  }
}

// ofp_multipart_request, OF 1.3.5 §7.3.5: type(2) flags(2) pad(4) body(rest)
export function decodeMultipartRequest(r: Reader, xid: number): MultipartRequest {
  const code = r.u16('multipart type');
  const flags = readBits16(r, MultipartRequestFlagBits);
  r.pad(4);
  const body = decodeRequestBody(r, code);
  expectEnd(r, 'multipart_request body');
  return { type: 'multipart_request', xid, flags, body };
}

// ofp_multipart_request, OF 1.3.5 §7.3.5: type(2) flags(2) pad(4) body
export function encodeMultipartRequest(w: Writer, m: MultipartRequest): void {
  writeBodyType(w, m.body);
  writeBits16(w, MultipartRequestFlagBits, m.flags);
  w.pad(4);
  encodeRequestBody(w, m.body);
}

// ofp_multipart_reply, OF 1.3.5 §7.3.5: type(2) flags(2) pad(4) body(rest)
export function decodeMultipartReply(r: Reader, xid: number): MultipartReply {
  const code = r.u16('multipart type');
  const flags = readBits16(r, MultipartReplyFlagBits);
  r.pad(4);
  const body = decodeReplyBody(r, code);
  expectEnd(r, 'multipart_reply body');
  return { type: 'multipart_reply', xid, flags, body };
}

// ofp_multipart_reply, OF 1.3.5 §7.3.5: type(2) flags(2) pad(4) body
export function encodeMultipartReply(w: Writer, m: MultipartReply): void {
  writeBodyType(w, m.body);
  writeBits16(w, MultipartReplyFlagBits, m.flags);
  w.pad(4);
  encodeReplyBody(w, m.body);
}
