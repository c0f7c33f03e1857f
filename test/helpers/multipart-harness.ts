// Shared checks for the multipart, group_mod, meter_mod and queue_config
// tests. This file only exports helpers (tap lists it as "no tests found");
// it carries the .test.ts suffix to stay within those tests' file set.
import type { Test } from 'tap';
import { decodeMessage, encodeMessage } from '../../src/openflow/codec.js';
import { CodecError } from '../../src/openflow/codec-error.js';
import { messageFromJson, toJsonValue } from '../../src/openflow/json.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import { Writer } from '../../src/openflow/writer.js';
import { firstDiff } from './hex.js';

export { hex } from './hex.js';

/** A body encoder under test, called directly so a TypeError is not hidden by encodeMessage's catch-all. */
export type BodyEncoder = (w: Writer, m: never) => void;

/** Calls `f`; passes if it returns or throws a CodecError that is not a caught codec bug. */
function onlyCodecError(f: () => void): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    // enums.ts/common.ts quote a bad value with JSON.stringify, which throws on a
    // bigint; encodeMessage turns that into bad_input, and JSON input has no bigints.
    if (e instanceof TypeError && /serialize a BigInt/.test(e.message)) return undefined;
    if (!(e instanceof CodecError)) return `threw ${(e as Error)?.name}: ${(e as Error)?.message}`;
    if (e.kind === 'internal') return `internal error: ${e.message}`;
    return undefined;
  }
}

/** Expect decoding `bytes` to fail with a CodecError of `kind`. */
export function rejects(t: Test, name: string, bytes: Buffer, kind: string): void {
  t.equal(bytes.readUInt16BE(2), bytes.length, `${name}: fixture header length matches its bytes`);
  try {
    decodeMessage(bytes);
    t.fail(`${name}: decoded, expected ${kind}`);
  } catch (e) {
    t.ok(e instanceof CodecError, `${name}: a CodecError`);
    t.equal((e as CodecError).kind, kind, `${name}: ${(e as CodecError).message}`);
  }
}

/** Expect encoding `m` to fail with a CodecError (bad_input) whose reason matches `reason`. */
export function refuses(t: Test, name: string, m: unknown, encode: BodyEncoder, reason: RegExp): void {
  const w = new Writer();
  try {
    (encode as (w: Writer, m: unknown) => void)(w, m);
    t.fail(`${name}: encoded, expected an error`);
  } catch (e) {
    t.ok(e instanceof CodecError, `${name}: a CodecError`);
    t.match((e as CodecError).reason, reason, `${name}: ${(e as Error).message}`);
  }
}

/** A copy of `v` with the value at `path` replaced (or the key removed when `value` is `REMOVE`). */
const REMOVE = Symbol('remove');
function replaced(v: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? replaced(x, rest, value) : x)).filter((x) => x !== REMOVE);
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const x = k === head ? replaced(o[k], rest, value) : o[k];
    if (x !== REMOVE) out[k] = x;
  }
  return out;
}

function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return [];
  const out: (string | number)[][] = [];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  for (const k of keys) {
    const p = [...prefix, k];
    out.push(p, ...paths((v as Record<string | number, unknown>)[k], p));
  }
  return out;
}

const JUNK: readonly unknown[] = [REMOVE, null, undefined, 'junk', -1, 1.5, 2 ** 40, {}, [], true, 10n ** 30n, [null]];

/**
 * The full check of one hand-written frame: decode gives `expected`,
 * encoding `expected` and the decoded message both give `bytes` back, so
 * does a trip through JSON; cutting the frame anywhere or corrupting any
 * byte only ever raises a CodecError (and whatever still decodes
 * re-encodes exactly); and no malformed field reaches the body encoder as
 * anything but a CodecError.
 */
export function check(t: Test, name: string, bytes: Buffer, expected: OfpMessage, encodeBody: BodyEncoder): void {
  t.test(name, async (t) => {
    t.equal(bytes.readUInt16BE(2), bytes.length, 'fixture header length matches its bytes');
    const msg = decodeMessage(bytes);
    t.strictSame(msg, expected, 'decode gives the expected message');
    t.equal(firstDiff(encodeMessage(expected), bytes), undefined, 'encode gives the expected bytes');
    t.equal(firstDiff(encodeMessage(msg), bytes), undefined, 'encode(decode(x)) === x');
    const json = toJsonValue(msg);
    t.equal(firstDiff(encodeMessage(messageFromJson(json)), bytes), undefined, 'encode(JSON(decode(x))) === x');

    const problems: string[] = [];
    const decodesBack = (b: Buffer, what: string): void => {
      let m: OfpMessage | undefined;
      const bad = onlyCodecError(() => void (m = decodeMessage(b)));
      if (bad) problems.push(`${what}: ${bad}`);
      if (m !== undefined) {
        const diff = onlyCodecError(() => {
          const d = firstDiff(encodeMessage(m!), b);
          if (d) problems.push(`${what}: decoded but re-encodes differently: ${d}`);
        });
        if (diff) problems.push(`${what}: re-encode ${diff}`);
      }
    };
    for (let cut = 0; cut < bytes.length; cut++) {
      const b = Buffer.from(bytes.subarray(0, cut));
      if (cut >= 4) b.writeUInt16BE(cut, 2); // the header agrees, so the body decoders meet the cut
      decodesBack(b, `cut at ${cut}`);
    }
    for (let i = 8; i < bytes.length; i++) {
      for (const v of [0x00, 0xff, bytes[i]! ^ 0x01, bytes[i]! ^ 0x80]) {
        const b = Buffer.from(bytes);
        b[i] = v;
        decodesBack(b, `byte ${i} = 0x${v.toString(16)}`);
      }
    }
    for (const p of paths(expected)) {
      if (p.length === 1 && (p[0] === 'type' || p[0] === 'xid')) continue;
      for (const junk of JUNK) {
        const w = new Writer();
        const bad = onlyCodecError(() => (encodeBody as (w: Writer, m: unknown) => void)(w, replaced(expected, p, junk)));
        if (bad) problems.push(`encode with ${p.join('.')} = ${typeof junk === 'symbol' ? '(removed)' : String(junk)}: ${bad}`);
      }
    }
    t.strictSame(problems.slice(0, 20), [], 'truncation, corruption and malformed input raise only CodecError');
  });
}
