import { readPortNo, writePortNo, type PortNo } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeUntilEnd, encodeEach, expectEnd } from '../multipart/record.js';
import { decodePacketQueue, encodePacketQueue, type PacketQueue } from '../structs/queue-prop.js';

/** OFPT_QUEUE_GET_CONFIG_REQUEST, OF 1.3.5 §7.3.6. */
export interface QueueGetConfigRequest {
  readonly type: 'queue_get_config_request';
  readonly xid: number;
  /** Port to query; 'any' for all ports. */
  readonly port: PortNo;
}

/** OFPT_QUEUE_GET_CONFIG_REPLY, OF 1.3.5 §7.3.6. */
export interface QueueGetConfigReply {
  readonly type: 'queue_get_config_reply';
  readonly xid: number;
  readonly port: PortNo;
  readonly queues: readonly PacketQueue[];
}

// ofp_queue_get_config_request, OF 1.3.5 §7.3.6: port(4) pad(4)
export function decodeQueueGetConfigRequest(r: Reader, xid: number): QueueGetConfigRequest {
  const port = readPortNo(r);
  r.pad(4);
  expectEnd(r, 'queue_get_config_request');
  return { type: 'queue_get_config_request', xid, port };
}

// ofp_queue_get_config_request, OF 1.3.5 §7.3.6: port(4) pad(4)
export function encodeQueueGetConfigRequest(w: Writer, m: QueueGetConfigRequest): void {
  writePortNo(w, m.port);
  w.pad(4);
}

// ofp_queue_get_config_reply, OF 1.3.5 §7.3.6: port(4) pad(4) queues(rest, ofp_packet_queue each)
export function decodeQueueGetConfigReply(r: Reader, xid: number): QueueGetConfigReply {
  const port = readPortNo(r);
  r.pad(4);
  const queues = decodeUntilEnd(r, decodePacketQueue);
  return { type: 'queue_get_config_reply', xid, port, queues };
}

// ofp_queue_get_config_reply, OF 1.3.5 §7.3.6: port(4) pad(4) queues
export function encodeQueueGetConfigReply(w: Writer, m: QueueGetConfigReply): void {
  writePortNo(w, m.port);
  w.pad(4);
  encodeEach(w, m.queues, 'queues', encodePacketQueue);
}
