import type { Reader } from '../reader.js';

/** Messages that are only an ofp_header (OF 1.3.5 §7.3.1, §7.3.2, §7.3.8, §7.3.9). */
export type EmptyType = 'features_request' | 'get_config_request' | 'barrier_request' | 'barrier_reply' | 'get_async_request';

export interface EmptyMsg<T extends EmptyType = EmptyType> {
  readonly type: T;
  readonly xid: number;
}

export function decodeEmpty<T extends EmptyType>(r: Reader, xid: number, type: T): EmptyMsg<T> {
  // Bytes after the header of a body-less message are not well-formed.
  if (r.remaining !== 0) r.fail('bad_length', `${type} has no body but ${r.remaining} bytes follow the header`);
  return { type, xid };
}
