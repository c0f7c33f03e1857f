import { CodecError } from './codec-error.js';
import type { Writer } from './writer.js';

// Checks encoders run on caller input (often JSON from the REST API), so a
// malformed value fails with a sentence naming the field instead of a
// TypeError or a bare "does not fit in 32 bits".

/** Safe for anything a caller may hand us (JSON.stringify throws on bigint). */
export function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return typeof v;
  }
}

/** An encoder's plain integer field, checked here so the error names the field. */
export function uint(w: Writer, v: unknown, max: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    w.fail(`${what} must be an integer 0..${max}, got ${describe(v)}`);
  }
  return v;
}

/** An encoder's 64-bit field: bigint, or from JSON a decimal/0x string or a safe integer. */
export function u64(w: Writer, v: unknown, what: string): void {
  if (typeof v !== 'bigint' && typeof v !== 'string' && typeof v !== 'number') {
    w.fail(`${what} must be a 64-bit integer (bigint, decimal or 0x-hex string), got ${describe(v)}`);
  }
  w.u64(v);
}

/**
 * Rethrow an encode/decode failure with where it happened ("actions[2]: …")
 * so a user can find the bad element of a long JSON list. Anything that is
 * not a CodecError is a bug, but still leaves as one: callers rely on it.
 */
export function inContext(e: unknown, where: string): CodecError {
  if (e instanceof CodecError) {
    return new CodecError(e.kind, `${where}: ${e.reason}`, e.offset, e.msgType, e.xid, e.excerpt, e.ofp);
  }
  return new CodecError('bad_input', `${where}: internal error: ${e instanceof Error ? e.message : String(e)}`, 0);
}
