import { CodecError } from './codec-error.js';
import { dpidToString } from './common.js';
import { isOfpType } from './codec.js';
import type { OfpMessage } from './message.js';

/**
 * The JSON form of a message: bigint as a decimal string (no precision is
 * lost), datapath ids as 16 hex digits, bytes as lowercase hex. Encoders take
 * this same form back, so `ofp-encode` accepts exactly what `ofp-print` prints.
 */
export function toJsonValue(value: unknown): unknown {
  return JSON.parse(toJsonText(value));
}

export function toJsonText(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    function (this: Record<string, unknown>, key: string, v: unknown) {
      const orig = this[key];
      if (typeof orig === 'bigint') return key === 'datapath_id' ? dpidToString(orig) : orig.toString();
      if (Buffer.isBuffer(orig) || orig instanceof Uint8Array) return Buffer.from(orig as Uint8Array).toString('hex');
      return v;
    },
    indent,
  );
}

/** Check the envelope of a JSON message; field-level checks happen in the encoders. */
export function messageFromJson(value: unknown): OfpMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CodecError('bad_input', 'a message must be a JSON object with a "type" field', 0);
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !isOfpType(type)) {
    throw new CodecError('bad_input', `unknown message type ${JSON.stringify(type)}`, 0);
  }
  const xid = (value as { xid?: unknown }).xid;
  if (xid !== undefined && !(typeof xid === 'number' && Number.isInteger(xid) && xid >= 0 && xid <= 0xffffffff)) {
    throw new CodecError('bad_input', `xid must be an integer 0..4294967295, got ${JSON.stringify(xid)}`, 4, type);
  }
  return value as OfpMessage;
}
