import type { OfpMessage } from '../openflow/message.js';
import type { MultipartReplyBody, MultipartRequestBody } from '../openflow/messages/multipart.js';
import type { ChannelCounters, SwitchInfo } from '../openflow/channel/connection.js';

/**
 * What core needs from one switch connection. The OpenFlow channel
 * implements it; tests can use a fake. Core never sees a socket.
 */
export interface SwitchLink {
  readonly info: SwitchInfo | undefined;
  send(msg: OfpMessage): boolean;
  xid(): number;
  request(msg: OfpMessage, timeoutMs?: number): Promise<OfpMessage>;
  requestAll(msg: OfpMessage, timeoutMs?: number): Promise<OfpMessage[]>;
  multipart(body: MultipartRequestBody, timeoutMs?: number): Promise<MultipartReplyBody[]>;
  barrier(timeoutMs?: number): Promise<void>;
}

/** What core needs from the OpenFlow listener. */
export interface Southbound {
  /** Message counters over every connection, open and closed (for metrics). */
  totals(): ChannelCounters;
  readonly connectionCount: number;
  /** Where switches connect, once listening. */
  readonly address: { port: number; host: string } | undefined;
  on(event: 'switch-up', fn: (link: SwitchLink, info: SwitchInfo) => void): unknown;
  on(event: 'switch-down', fn: (link: SwitchLink, reason: string) => void): unknown;
  on(event: 'message', fn: (link: SwitchLink, msg: OfpMessage) => void): unknown;
}
