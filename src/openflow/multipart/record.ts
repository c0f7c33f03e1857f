import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

// Helpers shared by the multipart bodies and the group/meter/queue structs:
// length-prefixed records, and input checks that keep a malformed JSON
// object from turning into a TypeError inside an encoder.

/**
 * The u16 length `at` bytes into the next record, without consuming it. A
 * length below the record's fixed part (0 included) is rejected here, so a
 * record loop always advances.
 */
export function peekLength(r: Reader, at: number, min: number, what: string): number {
  r.need(at + 2, `${what} length`);
  const p = r.pos + at;
  const len = (r.buf[p]! << 8) | r.buf[p + 1]!;
  if (len < min) r.fail('bad_length', `${what} length ${len} is less than its fixed ${min} bytes`, p);
  return len;
}

/** Decode records until the reader's current limit; each decoder must consume at least one byte. */
export function decodeUntilEnd<T>(r: Reader, decode: (r: Reader) => T): T[] {
  const out: T[] = [];
  while (r.pos < r.end) out.push(decode(r));
  return out;
}

/** For error messages: safe on anything (JSON.stringify throws on bigint). */
export { describe as show } from '../input-checks.js';

export function needObject(w: Writer, v: unknown, what: string): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) w.fail(`${what} must be an object`);
}

/** Checks `v` is a list whose entries are all objects. */
export function needObjects(w: Writer, v: unknown, what: string): void {
  if (!Array.isArray(v)) w.fail(`${what} must be a list`);
  for (const item of v) needObject(w, item, `each entry of ${what}`);
}

export function needList(w: Writer, v: unknown, what: string): void {
  if (!Array.isArray(v)) w.fail(`${what} must be a list`);
}

export function needBool(w: Writer, v: unknown, what: string): void {
  if (typeof v !== 'boolean') w.fail(`${what} must be true or false`);
}

/** Encode a list of objects in order, after checking it is one. */
export function encodeEach<T>(w: Writer, list: readonly T[], what: string, encode: (w: Writer, item: T) => void): void {
  needObjects(w, list, what);
  for (const item of list) encode(w, item);
}

/** A fixed-size body must fill its message exactly: extra bytes mean a length we misread. */
export function expectEnd(r: Reader, what: string): void {
  if (r.pos !== r.end) r.fail('bad_length', `${what}: ${r.end - r.pos} unexpected trailing bytes`);
}
