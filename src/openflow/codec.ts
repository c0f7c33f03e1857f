import { show } from './enums.js';
import { CodecError } from './codec-error.js';
import { OFP_HEADER_LEN, OFP_VERSION } from './common.js';
import { MsgTypes } from './message-type.js';
import type { OfpMessage, OfpMessageBody, OfpType } from './message.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';
import { decodeHello, encodeHello } from './messages/hello.js';
import { decodeErrorMsg, encodeErrorMsg } from './messages/error.js';
import { decodeEcho, encodeEcho } from './messages/echo.js';
import { decodeExperimenterMsg, encodeExperimenterMsg } from './messages/experimenter.js';
import { decodeEmpty } from './messages/empty.js';
import { decodeFeaturesReply, encodeFeaturesReply } from './messages/features.js';
import { decodeSwitchConfig, encodeSwitchConfig } from './messages/switch-config.js';
import { decodePacketIn, encodePacketIn } from './messages/packet-in.js';
import { decodeFlowRemoved, encodeFlowRemoved } from './messages/flow-removed.js';
import { decodePortStatus, encodePortStatus } from './messages/port-status.js';
import { decodePacketOut, encodePacketOut } from './messages/packet-out.js';
import { decodeFlowMod, encodeFlowMod } from './messages/flow-mod.js';
import { decodeGroupMod, encodeGroupMod } from './messages/group-mod.js';
import { decodePortMod, encodePortMod } from './messages/port-mod.js';
import { decodeTableMod, encodeTableMod } from './messages/table-mod.js';
import { decodeMultipartReply, decodeMultipartRequest, encodeMultipartReply, encodeMultipartRequest } from './messages/multipart.js';
import {
  decodeQueueGetConfigReply, decodeQueueGetConfigRequest, encodeQueueGetConfigReply, encodeQueueGetConfigRequest,
} from './messages/queue-config.js';
import { decodeRole, encodeRole } from './messages/role.js';
import { decodeAsyncConfig, encodeAsyncConfig } from './messages/async-config.js';
import { decodeMeterMod, encodeMeterMod } from './messages/meter-mod.js';

function decodeBody(r: Reader, code: number, xid: number, version: number): OfpMessageBody {
  const type = MsgTypes.byValue.get(code);
  if (type === undefined) r.fail('bad_type', `message type ${code} is not defined by OpenFlow 1.3`, 1);
  r.msgType = type;
  if (type !== 'hello' && version !== OFP_VERSION) r.fail('bad_version', `version 0x${version.toString(16)} is not OpenFlow 1.3 (0x04)`, 0);
  switch (type) {
    case 'hello': return decodeHello(r, xid, version);
    case 'error': return decodeErrorMsg(r, xid);
    case 'echo_request': return decodeEcho(r, xid, 'echo_request');
    case 'echo_reply': return decodeEcho(r, xid, 'echo_reply');
    case 'experimenter': return decodeExperimenterMsg(r, xid);
    case 'features_request': return decodeEmpty(r, xid, 'features_request');
    case 'features_reply': return decodeFeaturesReply(r, xid);
    case 'get_config_request': return decodeEmpty(r, xid, 'get_config_request');
    case 'get_config_reply': return decodeSwitchConfig(r, xid, 'get_config_reply');
    case 'set_config': return decodeSwitchConfig(r, xid, 'set_config');
    case 'packet_in': return decodePacketIn(r, xid);
    case 'flow_removed': return decodeFlowRemoved(r, xid);
    case 'port_status': return decodePortStatus(r, xid);
    case 'packet_out': return decodePacketOut(r, xid);
    case 'flow_mod': return decodeFlowMod(r, xid);
    case 'group_mod': return decodeGroupMod(r, xid);
    case 'port_mod': return decodePortMod(r, xid);
    case 'table_mod': return decodeTableMod(r, xid);
    case 'multipart_request': return decodeMultipartRequest(r, xid);
    case 'multipart_reply': return decodeMultipartReply(r, xid);
    case 'barrier_request': return decodeEmpty(r, xid, 'barrier_request');
    case 'barrier_reply': return decodeEmpty(r, xid, 'barrier_reply');
    case 'queue_get_config_request': return decodeQueueGetConfigRequest(r, xid);
    case 'queue_get_config_reply': return decodeQueueGetConfigReply(r, xid);
    case 'role_request': return decodeRole(r, xid, 'role_request');
    case 'role_reply': return decodeRole(r, xid, 'role_reply');
    case 'get_async_request': return decodeEmpty(r, xid, 'get_async_request');
    case 'get_async_reply': return decodeAsyncConfig(r, xid, 'get_async_reply');
    case 'set_async': return decodeAsyncConfig(r, xid, 'set_async');
    case 'meter_mod': return decodeMeterMod(r, xid);
    default: {
      const unhandled: never = type;
      return r.fail('bad_type', `message type ${String(unhandled)} has no decoder`, 1);
    }
  }
}

/**
 * Decode one whole frame starting at `offset` (ofp_header, OF 1.3.5 §7.1:
 * version(1) type(1) length(2) xid(4)). The frame's length field must fit
 * in `buf`. Throws only CodecError; the result holds no views into `buf`.
 */
export function decodeMessage(buf: Buffer, offset = 0): OfpMessage {
  const r = new Reader(buf, offset);
  try {
    const version = r.u8('version');
    const code = r.u8('type');
    const length = r.u16('length');
    const xid = r.u32('xid');
    if (length < OFP_HEADER_LEN) r.fail('bad_length', `length ${length} is shorter than the 8-byte header`, 2);
    if (offset + length > buf.length) r.fail('truncated', `length says ${length} bytes but only ${buf.length - offset} are here`, 2);
    r.end = offset + length;
    r.xid = xid;
    const msg = decodeBody(r, code, xid, version);
    if (r.remaining !== 0) r.fail('bad_length', `${r.remaining} bytes left over after the ${msg.type} body`);
    if (r.pads !== undefined) (msg as { padding?: Record<string, string> }).padding = r.pads;
    return msg;
  } catch (e) {
    if (e instanceof CodecError) throw e;
    // A bug, not bad input; still a CodecError so one bad frame cannot take the process down.
    throw new CodecError('internal', `decoder failed: ${(e as Error).message}`, r.offset, r.msgType, r.xid);
  }
}

export type DecodeResult = { readonly ok: true; readonly msg: OfpMessage } | { readonly ok: false; readonly error: CodecError };

export function tryDecode(buf: Buffer, offset = 0): DecodeResult {
  try {
    return { ok: true, msg: decodeMessage(buf, offset) };
  } catch (e) {
    return { ok: false, error: e as CodecError };
  }
}

function encodeBody(w: Writer, m: OfpMessage): void {
  switch (m.type) {
    case 'hello': return encodeHello(w, m);
    case 'error': return encodeErrorMsg(w, m);
    case 'echo_request':
    case 'echo_reply': return encodeEcho(w, m);
    case 'experimenter': return encodeExperimenterMsg(w, m);
    case 'features_request':
    case 'get_config_request':
    case 'barrier_request':
    case 'barrier_reply':
    case 'get_async_request': return;
    case 'features_reply': return encodeFeaturesReply(w, m);
    case 'get_config_reply':
    case 'set_config': return encodeSwitchConfig(w, m);
    case 'packet_in': return encodePacketIn(w, m);
    case 'flow_removed': return encodeFlowRemoved(w, m);
    case 'port_status': return encodePortStatus(w, m);
    case 'packet_out': return encodePacketOut(w, m);
    case 'flow_mod': return encodeFlowMod(w, m);
    case 'group_mod': return encodeGroupMod(w, m);
    case 'port_mod': return encodePortMod(w, m);
    case 'table_mod': return encodeTableMod(w, m);
    case 'multipart_request': return encodeMultipartRequest(w, m);
    case 'multipart_reply': return encodeMultipartReply(w, m);
    case 'queue_get_config_request': return encodeQueueGetConfigRequest(w, m);
    case 'queue_get_config_reply': return encodeQueueGetConfigReply(w, m);
    case 'role_request':
    case 'role_reply': return encodeRole(w, m);
    case 'get_async_reply':
    case 'set_async': return encodeAsyncConfig(w, m);
    case 'meter_mod': return encodeMeterMod(w, m);
    default: {
      const unhandled: never = m;
      return w.fail(`unknown message type ${show((unhandled as { type: unknown }).type)}`);
    }
  }
}

const shared = new Writer(4096);

/**
 * Encode into `w` (default: a shared writer, reset first) and return a copy
 * of the frame. Length fields are always computed here, never taken from `m`.
 */
export function encodeMessage(m: OfpMessage, w: Writer = shared): Buffer {
  w.reset();
  encodeInto(w, m);
  return w.finish();
}

/** Append one frame to `w` (for batching several messages into one socket write). */
export function encodeInto(w: Writer, m: OfpMessage): void {
  const start = w.pos;
  w.msgType = typeof m?.type === 'string' ? m.type : undefined;
  const code = w.msgType === undefined ? undefined : MsgTypes.byName.get(w.msgType);
  try {
    if (code === undefined) w.fail(`"type" must be one of ${[...MsgTypes.byName.keys()].join(', ')}`);
    w.pads = m.padding;
    w.u8(m.type === 'hello' ? (m.version ?? OFP_VERSION) : OFP_VERSION);
    w.u8(code);
    const len = w.reserve16();
    w.u32(m.xid ?? 0);
    encodeBody(w, m);
    w.patch16(len, start);
  } catch (e) {
    w.pos = start;
    if (e instanceof CodecError) throw e;
    // Input shaped wrongly enough to trip a TypeError (e.g. a string where a list belongs).
    throw new CodecError('bad_input', `malformed ${w.msgType ?? 'message'}: ${(e as Error).message}`, 0, w.msgType);
  } finally {
    w.pads = undefined;
  }
}

export function isOfpType(s: string): s is OfpType {
  return MsgTypes.byName.has(s);
}
