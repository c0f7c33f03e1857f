// STUB: interfaces and codec to be implemented (signatures fixed).
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

export interface MultipartRequest { readonly type: 'multipart_request'; readonly xid: number }
export function decodeMultipartRequest(r: Reader, xid: number): MultipartRequest { throw new Error('not implemented'); }
export function encodeMultipartRequest(w: Writer, m: MultipartRequest): void { throw new Error('not implemented'); }
export interface MultipartReply { readonly type: 'multipart_reply'; readonly xid: number }
export function decodeMultipartReply(r: Reader, xid: number): MultipartReply { throw new Error('not implemented'); }
export function encodeMultipartReply(w: Writer, m: MultipartReply): void { throw new Error('not implemented'); }
