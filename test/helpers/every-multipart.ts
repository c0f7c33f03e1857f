import type { OfpMessage } from '../../src/openflow/message.js';

/** Every multipart request and reply body, as data (filled in per body type). */
export const MULTIPART_MESSAGES: readonly { name: string; msg: OfpMessage }[] = [
  { name: 'multipart_request desc', msg: { type: 'multipart_request', xid: 20, flags: [], body: { type: 'desc' } } },
];
