// STUB: interfaces and codec to be implemented (signatures fixed).
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

export interface QueueGetConfigRequest { readonly type: 'queue_get_config_request'; readonly xid: number }
export function decodeQueueGetConfigRequest(r: Reader, xid: number): QueueGetConfigRequest { throw new Error('not implemented'); }
export function encodeQueueGetConfigRequest(w: Writer, m: QueueGetConfigRequest): void { throw new Error('not implemented'); }
export interface QueueGetConfigReply { readonly type: 'queue_get_config_reply'; readonly xid: number }
export function decodeQueueGetConfigReply(r: Reader, xid: number): QueueGetConfigReply { throw new Error('not implemented'); }
export function encodeQueueGetConfigReply(w: Writer, m: QueueGetConfigReply): void { throw new Error('not implemented'); }
