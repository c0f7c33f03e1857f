import { enumValue } from '../enums.js';
import { describeError, ErrorTypeNames, errorCodeTable } from '../messages/error-codes.js';
import type { ErrorMsg } from '../messages/error.js';

/** A switch answered a request with OFPT_ERROR: type and code by name, and what it means. */
export class OfpErrorReply extends Error {
  override readonly name = 'OfpErrorReply';
  readonly errType: string | number;
  readonly code: string | number;
  /** One sentence a person can act on. */
  readonly hint: string;
  constructor(
    readonly reply: ErrorMsg,
    readonly requestType: string,
  ) {
    const typeNum = typeof reply.err_type === 'number' ? reply.err_type : (enumValue(ErrorTypeNames, reply.err_type) ?? -1);
    const codeNum =
      'code' in reply ? (typeof reply.code === 'number' ? reply.code : (enumValue(errorCodeTable(typeNum), reply.code) ?? -1)) : -1;
    const d = describeError(typeNum, codeNum);
    super(`switch rejected ${requestType}: ${String(d.type)}/${String(d.code)}: ${d.text}`);
    this.errType = d.type;
    this.code = 'code' in reply ? d.code : reply.exp_type;
    this.hint = d.text;
  }
}

export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(requestType: string, xid: number, ms: number) {
    super(`no reply to ${requestType} (xid ${xid}) within ${ms} ms`);
  }
}

export class ChannelClosedError extends Error {
  override readonly name = 'ChannelClosedError';
  constructor(reason: string) {
    super(`switch connection closed: ${reason}`);
  }
}
