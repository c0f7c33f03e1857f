// Every failure the codec can report. Nothing else may escape decode/encode:
// the channel relies on this to answer with OFPT_ERROR and keep other
// connections alive.

export type CodecErrorKind =
  | 'truncated' // a read went past the end of the frame or of a TLV
  | 'bad_length' // a length field disagrees with the bytes around it
  | 'bad_version'
  | 'bad_type' // a message type OpenFlow 1.3 does not define
  | 'bad_value' // an enum, name or value the codec cannot represent
  | 'bad_input' // encode: the message object is not well-formed
  | 'internal'; // a codec bug caught at the boundary; fuzz tests fail on it

/**
 * The OFPT_ERROR a switch would answer for this input (OF 1.3.5 §7.4.4), for
 * the rules where the spec says what to reject: the channel can answer with
 * it and the REST API names it. Names as in messages/error-codes.ts.
 */
export interface OfpErrorCode {
  /** ofp_error_type name, e.g. "bad_match". */
  readonly type: string;
  /** The per-type code name, e.g. "bad_len". */
  readonly code: string;
  readonly typeValue: number;
  readonly codeValue: number;
}

export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(
    readonly kind: CodecErrorKind,
    readonly reason: string,
    /** Byte offset from the start of the message where the problem was found. */
    readonly offset: number,
    /** The message type being decoded/encoded, when known (e.g. "flow_mod"). */
    readonly msgType?: string,
    readonly xid?: number,
    /** Up to 16 bytes around the offset, hex, for logs. */
    readonly excerpt?: string,
    /** Set when a switch would reject this with a specific OFPT_ERROR. */
    readonly ofp?: OfpErrorCode,
  ) {
    super(
      `${msgType ?? 'message'}${xid !== undefined ? ` xid=${xid}` : ''}: ${reason} at offset ${offset}` +
        (excerpt ? ` (bytes: ${excerpt})` : ''),
    );
  }
}

export function isCodecError(e: unknown): e is CodecError {
  return e instanceof CodecError;
}

/** A reason naming the error a switch would send, so a REST client sees the code (e.g. "bad_match/bad_len"). */
export function withOfpCode(reason: string, ofp: OfpErrorCode): string {
  return `${reason} (a switch answers OFPT_ERROR ${ofp.type}/${ofp.code})`;
}
