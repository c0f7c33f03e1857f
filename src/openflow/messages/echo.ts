import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** ECHO_REQUEST / ECHO_REPLY, OF 1.3.5 §7.5.2-3: header + arbitrary data. */
export interface EchoRequest {
  readonly type: 'echo_request';
  readonly xid: number;
  readonly data: Buffer;
}
export interface EchoReply {
  readonly type: 'echo_reply';
  readonly xid: number;
  readonly data: Buffer;
}

export function decodeEcho<T extends 'echo_request' | 'echo_reply'>(r: Reader, xid: number, type: T): { type: T; xid: number; data: Buffer } {
  return { type, xid, data: r.bytes(r.remaining, 'echo data') };
}
export function encodeEcho(w: Writer, m: EchoRequest | EchoReply): void {
  w.bytes(m.data ?? Buffer.alloc(0));
}
