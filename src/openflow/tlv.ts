import type { Reader } from './reader.js';
import type { Writer } from './writer.js';
import { describe, inContext, uint } from './input-checks.js';

// One registry for every type(2)-length(2) TLV family (actions, instructions,
// meter bands, queue and table-feature properties, hello elements) and for
// the multipart bodies, in the dns-packet style: one entry per kind with its
// wire code, its length rule, and its decode and encode. Frames (where the
// length sits, shared header fields, padding after the TLV), the unknown
// variant and the experimenter variant are written here once.

/** How long one TLV of a kind may be, its type and length fields included. */
export type TlvLength = { readonly exact: number } | { readonly min: number };

/** One kind of a family, registered by its wire code. */
export interface TlvKind<V, H = void> {
  readonly code: number;
  /** The JSON discriminant, e.g. "output". */
  readonly type: string;
  readonly length: TlvLength;
  /** The body after the family's header; the reader is limited to this TLV. `start` is its first byte. */
  decode(r: Reader, head: H, start: number): V;
  /** The body after the family's header; lengths are patched by the frame. */
  encode(w: Writer, v: V, start: number): void;
}

type Typed = { readonly type: string };
type Variant<V, T> = Extract<V, { readonly type: T }>;

/** A kind whose decode/encode see only their own variant of the family's union. */
export function kind<V extends Typed, H = void>() {
  return <T extends V['type']>(k: {
    readonly code: number;
    readonly type: T;
    readonly length: TlvLength;
    decode(r: Reader, head: H, start: number): Variant<V, T>;
    encode(w: Writer, v: Variant<V, T>, start: number): void;
  }): TlvKind<V, H> => k as unknown as TlvKind<V, H>;
}

/** An undefined code: the body after the family's header, kept as bytes so re-encoding is exact. */
export interface UnknownTlv {
  readonly type: 'unknown';
  readonly code: number;
  readonly data: Buffer;
}

const UNKNOWN_CODE = -1;

function unknownKind<V, H>(min: number): TlvKind<V, H> {
  return {
    code: UNKNOWN_CODE,
    type: 'unknown',
    length: { min },
    decode(r, head, start) {
      const code = (r.buf[start]! << 8) | r.buf[start + 1]!;
      return { type: 'unknown', code, ...head, data: r.bytes(r.remaining, 'body') } as V;
    },
    encode(w, v) {
      w.bytes((v as unknown as UnknownTlv).data);
    },
  };
}

/**
 * The experimenter variant of a family (ofp_*_experimenter_header): the
 * family's header, experimenter(4), [exp_type(4)], [pad], then data kept as
 * bytes. `type` differs only where one family has two experimenter codes
 * (table-feature props: experimenter and experimenter_miss).
 */
export function experimenterKind<V, H = void>(spec: {
  readonly code: number;
  readonly type?: string;
  readonly length: TlvLength;
  readonly expType?: boolean;
  /** Padding after the experimenter id (queue props have 4). */
  readonly pad?: number;
}): TlvKind<V, H> {
  const type = spec.type ?? 'experimenter';
  const pad = spec.pad ?? 0;
  return {
    code: spec.code,
    type,
    length: spec.length,
    decode(r, head) {
      const experimenter = r.u32('experimenter');
      if (spec.expType) {
        const exp_type = r.u32('exp_type');
        r.pad(pad);
        return { type, ...head, experimenter, exp_type, data: r.bytes(r.remaining, 'experimenter data') } as V;
      }
      r.pad(pad);
      return { type, ...head, experimenter, data: r.bytes(r.remaining, 'experimenter data') } as V;
    },
    encode(w, v) {
      const e = v as unknown as { experimenter: unknown; exp_type?: unknown; data: Buffer };
      w.u32(uint(w, e.experimenter, 0xffffffff, 'experimenter id'));
      if (spec.expType) w.u32(uint(w, e.exp_type, 0xffffffff, 'exp_type'));
      w.pad(pad);
      w.bytes(e.data);
    },
  };
}

/** Every kind of one family, looked up by wire code (decode) or by JSON type (encode). */
export class TlvRegistry<V extends Typed, H = void> {
  readonly kinds: readonly TlvKind<V, H>[];
  /** The kind for codes no entry claims. */
  readonly unknown: TlvKind<V, H>;
  /** Wire code by type name, for schemas and id lists. */
  readonly codes: Readonly<Record<string, number>>;
  private readonly small: (TlvKind<V, H> | undefined)[] = [];
  private readonly large = new Map<number, TlvKind<V, H>>();
  private readonly byName = new Map<string, TlvKind<V, H>>();

  constructor(
    /** What one TLV is called in errors: "action", "meter band". */
    readonly what: string,
    kinds: readonly TlvKind<V, H>[],
    /** The least length of a code no kind claims: the family's common header. */
    unknownMin: number,
    /** A header every TLV of the family has, checked first (e.g. the 8-byte ofp_action_header). */
    private readonly header?: { readonly length: number; readonly name: string },
    /** How errors name the type field: "action type"; "queue property" where the spec says so. */
    private readonly typeLabel = `${what} type`,
  ) {
    this.kinds = kinds;
    this.unknown = unknownKind<V, H>(unknownMin);
    const codes: Record<string, number> = {};
    for (const k of kinds) {
      if (this.byCode(k.code) !== undefined || this.byName.has(k.type)) throw new Error(`${what}: ${k.type}/${k.code} registered twice`);
      if (k.code < 64) this.small[k.code] = k;
      else this.large.set(k.code, k);
      this.byName.set(k.type, k);
      codes[k.type] = k.code;
    }
    this.codes = Object.freeze(codes);
  }

  byCode(code: number): TlvKind<V, H> | undefined {
    return code < 64 ? this.small[code] : this.large.get(code);
  }
  byType(type: string): TlvKind<V, H> | undefined {
    return this.byName.get(type);
  }
  /** The kind that decodes `code`: its own, or the unknown kind. */
  forCode(code: number): TlvKind<V, H> {
    return (code < 64 ? this.small[code] : this.large.get(code)) ?? this.unknown;
  }

  /** The kind that encodes `v` and its wire code; refuses an "unknown" whose code a kind claims. */
  forValue(w: Writer, v: V): TlvKind<V, H> {
    if (v === null || typeof v !== 'object') w.fail(`${article(this.what)} ${this.what} must be an object with a "type", got ${describe(v)}`);
    const k = this.byName.get(v.type);
    if (k !== undefined) return k;
    if (v.type === 'unknown') {
      const code = (v as unknown as UnknownTlv).code;
      if (!Number.isInteger(code) || this.byCode(code) !== undefined) {
        w.fail(`unknown ${this.what} code ${describe(code)} must be an integer the spec does not define; use the named type instead`);
      }
      if (code < 0 || code > 0xffff) w.fail(`unknown ${this.what} code ${code} does not fit in 16 bits`);
      return this.unknown;
    }
    return w.fail(`unknown ${this.typeLabel} ${describe(v.type)}; expected one of ${[...this.byName.keys()].join(', ')}, unknown`);
  }

  codeOf(k: TlvKind<V, H>, v: V): number {
    return k === this.unknown ? (v as unknown as UnknownTlv).code : k.code;
  }

  /** The family's own header must fit before anything else is read (`at`: where the length field is). */
  checkHeader(r: Reader, code: number, len: number, at: number): void {
    if (this.header !== undefined && len < this.header.length) {
      r.fail('bad_length', `${this.what} type ${code} has length ${len}, shorter than the ${this.header.length}-byte ${this.header.name}`, at);
    }
    if (len < 4) r.fail('bad_length', `${this.what} type ${code} has length ${len}, shorter than its 4-byte type and length`, at);
  }

  /** Enforce a kind's length rule on a declared length (`at`: where the length field is). */
  checkLength(r: Reader, k: TlvKind<V, H>, code: number, len: number, at: number): void {
    const rule = k.length;
    if ('exact' in rule) {
      if (len !== rule.exact) r.fail('bad_length', `${k.type} ${this.what} must be ${rule.exact} bytes, not ${len}`, at);
    } else if (len < rule.min) {
      r.fail('bad_length', `${this.what} type ${code} has length ${len}, shorter than ${rule.min} bytes`, at);
    }
  }
}

function article(what: string): string {
  return /^[aeiou]/.test(what) ? 'an' : 'a';
}

/** Fields every kind of a family shares after type(2) length(2). */
export interface TlvHead<V, H> {
  decode(r: Reader): H;
  encode(w: Writer, v: V): void;
}

/**
 * The frame type(2) length(2) [head] body, the length counting the whole
 * TLV. `padAfter`: padding to 8 follows and is not counted in the length
 * (table-feature properties, hello elements); otherwise any padding is part
 * of the body.
 */
export class TlvFrame<V extends Typed, H = void> {
  constructor(
    readonly registry: TlvRegistry<V, H>,
    private readonly head?: TlvHead<V, H>,
    private readonly padAfter = false,
    /**
     * Whether a TLV running past its container is reported (truncated) before
     * a length its kind does not allow (bad_length); the families keep the
     * order their tests and callers have always seen.
     */
    private readonly truncationFirst = false,
  ) {}

  decode(r: Reader): V {
    // TLV header: type(2) length(2), then length-4 bytes of head and body
    const reg = this.registry;
    const start = r.pos;
    const code = r.u16(`${reg.what} type`);
    const len = r.u16(`${reg.what} length`);
    const k = reg.forCode(code);
    reg.checkHeader(r, code, len, start + 2);
    if (!this.truncationFirst) reg.checkLength(r, k, code, len, start + 2);
    const saved = r.limit(len - 4, reg.what);
    if (this.truncationFirst) reg.checkLength(r, k, code, len, start + 2);
    const head = this.head === undefined ? (undefined as H) : this.head.decode(r);
    const v = k.decode(r, head, start);
    r.restore(saved, reg.what);
    if (this.padAfter) r.pad((8 - (len % 8)) % 8);
    return v;
  }

  encode(w: Writer, v: V): void {
    // TLV header: type(2) length(2, patched), then head and body
    const reg = this.registry;
    const k = reg.forValue(w, v);
    const start = w.pos;
    w.u16(reg.codeOf(k, v));
    const at = w.reserve16();
    if (this.head !== undefined) this.head.encode(w, v);
    k.encode(w, v, start);
    w.patch16(at, start);
    if (this.padAfter) w.align8(start);
  }

  /** TLVs filling exactly `len` bytes. */
  decodeList(r: Reader, len: number, what: string): V[] {
    if (!(len >= 0)) r.fail('bad_length', `${what} length ${len} is negative`);
    const saved = r.limit(len, what);
    const out = this.decodeRest(r);
    r.restore(saved, what);
    return out;
  }

  /** TLVs up to the reader's current limit. */
  decodeRest(r: Reader): V[] {
    const out: V[] = [];
    while (r.pos < r.end) out.push(this.decode(r));
    return out;
  }

  /** A list, each failure named by its index ("actions[2]: …"). */
  encodeList(w: Writer, list: readonly V[], what: string, example?: string): void {
    if (!Array.isArray(list)) w.fail(`${what} must be a list${example ? ` like ${example}` : ''}, got ${describe(list)}`);
    for (let i = 0; i < list.length; i++) {
      try {
        this.encode(w, list[i] as V);
      } catch (e) {
        throw inContext(e, `${what}[${i}]`);
      }
    }
  }
}
