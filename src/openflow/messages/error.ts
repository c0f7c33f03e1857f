import { show } from '../enums.js';
import { enumName, enumValue } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { ErrorTypeNames, OFPET_EXPERIMENTER, errorCodeTable } from './error-codes.js';

/**
 * OFPT_ERROR with a spec error type (ofp_error_msg). Names per
 * error-codes.ts; a type or code the spec does not define stays a number.
 * `data` is the first bytes of the failed request (ASCII text for
 * hello_failed).
 */
export interface StandardErrorMsg {
  readonly type: 'error';
  readonly xid: number;
  readonly err_type: string | number;
  readonly code: string | number;
  readonly data: Buffer;
}

/** OFPT_ERROR with type OFPET_EXPERIMENTER (ofp_error_experimenter_msg). */
export interface ExperimenterErrorMsg {
  readonly type: 'error';
  readonly xid: number;
  readonly err_type: 'experimenter';
  readonly exp_type: number;
  readonly experimenter: number;
  readonly data: Buffer;
}

export type ErrorMsg = StandardErrorMsg | ExperimenterErrorMsg;

export function isExperimenterError(m: ErrorMsg): m is ExperimenterErrorMsg {
  return m.err_type === 'experimenter' || m.err_type === OFPET_EXPERIMENTER;
}

// ofp_error_msg, OF 1.3.5 §7.4.4: type(2) code(2) data(...); for type 0xffff
// ofp_error_experimenter_msg: type(2) exp_type(2) experimenter(4) data(...).
export function decodeErrorMsg(r: Reader, xid: number): ErrorMsg {
  const t = r.u16('error type');
  if (t === OFPET_EXPERIMENTER) {
    const exp_type = r.u16('exp_type');
    const experimenter = r.u32('experimenter');
    return { type: 'error', xid, err_type: 'experimenter', exp_type, experimenter, data: r.bytes(r.remaining, 'error data') };
  }
  const table = errorCodeTable(t);
  const code = enumName(table, r.u16(table.what));
  return { type: 'error', xid, err_type: enumName(ErrorTypeNames, t), code, data: r.bytes(r.remaining, 'error data') };
}

// ofp_error_msg / ofp_error_experimenter_msg body, OF 1.3.5 §7.4.4: type(2) code(2) | exp_type(2) experimenter(4), data(...).
export function encodeErrorMsg(w: Writer, m: ErrorMsg): void {
  if (typeof m !== 'object' || m === null) w.fail('error message must be an object');
  const t = errorTypeValue(w, m.err_type);
  w.u16(t);
  if (t === OFPET_EXPERIMENTER) {
    const x = m as Partial<ExperimenterErrorMsg>;
    if (typeof x.exp_type !== 'number') w.fail('experimenter error needs a numeric exp_type');
    if (typeof x.experimenter !== 'number') w.fail('experimenter error needs a numeric experimenter id');
    w.u16(x.exp_type);
    w.u32(x.experimenter);
  } else {
    w.u16(errorCodeValue(w, t, m.err_type, (m as StandardErrorMsg).code));
  }
  if (m.data === undefined) w.fail('error message needs data (bytes, may be empty)');
  w.bytes(m.data);
}

function errorTypeValue(w: Writer, v: unknown): number {
  const n = typeof v === 'string' || typeof v === 'number' ? enumValue(ErrorTypeNames, v) : undefined;
  if (n === undefined) {
    w.fail(`unknown error type ${show(v)}; expected one of ${[...ErrorTypeNames.byName.keys()].join(', ')} or a number`);
  }
  return n;
}

/** A code name is looked up in its own type's table: 'bad_prereq' exists for bad_match only. */
function errorCodeValue(w: Writer, t: number, typeGiven: unknown, v: unknown): number {
  const table = errorCodeTable(t);
  const n = typeof v === 'string' || typeof v === 'number' ? enumValue(table, v) : undefined;
  if (n === undefined) {
    const known = [...table.byName.keys()];
    w.fail(
      `unknown error code ${show(v)} for error type ${show(typeGiven)}; ` +
        (known.length > 0 ? `expected one of ${known.join(', ')} or a number` : 'this type has no named codes, use a number'),
    );
  }
  return n;
}
