import { show } from './show.js';
import { CodecError, withOfpCode, type OfpErrorCode } from './codec-error.js';

/**
 * Growable big-endian writer. It is the only code that writes padding and
 * the only code that computes lengths (reserve, then patch), so no encoder
 * counts bytes by hand. One instance is reused per encoder to avoid garbage
 * on the hot path; `finish()` copies out the result.
 */
export class Writer {
  buf: Buffer;
  pos = 0;
  /** Non-zero padding to reproduce, keyed by message offset (from Reader.pads). */
  pads: Record<string, string> | undefined;
  msgType: string | undefined;

  constructor(initial = 1024) {
    this.buf = Buffer.alloc(initial);
  }

  reset(): this {
    this.pos = 0;
    this.pads = undefined;
    this.msgType = undefined;
    return this;
  }

  /** Make room for n more bytes (for callers that fill `buf` directly). */
  grow(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** `ofp`: the OFPT_ERROR a switch would answer for this input, where the spec names one. */
  fail(reason: string, ofp?: OfpErrorCode): never {
    if (ofp !== undefined) reason = withOfpCode(reason, ofp);
    throw new CodecError('bad_input', reason, this.pos, this.msgType, undefined, undefined, ofp);
  }

  u8(v: number): void {
    if (typeof v !== 'number' || (v & 0xff) !== v) this.fail(`value ${String(v)} does not fit in 8 bits`);
    this.grow(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    if (typeof v !== 'number' || (v & 0xffff) !== v) this.fail(`value ${String(v)} does not fit in 16 bits`);
    this.grow(2);
    const b = this.buf;
    b[this.pos] = v >>> 8;
    b[this.pos + 1] = v & 0xff;
    this.pos += 2;
  }
  u32(v: number): void {
    if (typeof v !== 'number' || v >>> 0 !== v) this.fail(`value ${String(v)} does not fit in 32 bits`);
    this.grow(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = (v >>> 16) & 0xff;
    b[p + 2] = (v >>> 8) & 0xff;
    b[p + 3] = v & 0xff;
    this.pos = p + 4;
  }
  /**
   * Accepts a bigint, or (from JSON) a decimal / 0x-hex string or a safe
   * integer, so `ofp-encode` can take exactly what `ofp-print` prints.
   */
  u64(v: bigint | string | number): void {
    if (typeof v !== 'bigint') v = toBigInt(v, this);
    this.grow(8);
    if (v === 0n) {
      // Cookies and counters are mostly zero; BigInt writes are slow.
      const b = this.buf;
      const p = this.pos;
      b[p] = b[p + 1] = b[p + 2] = b[p + 3] = b[p + 4] = b[p + 5] = b[p + 6] = b[p + 7] = 0;
    } else {
      if (v < 0n || v > 0xffffffffffffffffn) this.fail(`value ${String(v)} does not fit in 64 bits`);
      this.buf.writeBigUInt64BE(v, this.pos);
    }
    this.pos += 8;
  }
  /** Raw bytes; from JSON, a hex string. */
  bytes(b: Uint8Array | string): void {
    if (typeof b === 'string') return this.hex(b);
    if (!(b instanceof Uint8Array)) this.fail('expected bytes (a hex string in JSON)');
    this.grow(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  hex(s: string, n?: number): void {
    if (typeof s !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(s)) this.fail(`expected a hex string, got ${show(s)}`);
    if (n !== undefined && s.length !== n * 2) this.fail(`expected ${n} bytes of hex, got ${s.length / 2}`);
    this.grow(s.length / 2);
    this.pos += this.buf.write(s, this.pos, 'hex');
  }
  /**
   * Fixed-size NUL-padded string; too long is an error, not a truncation.
   * `utf8` (port names): written as UTF-8; a name longer than the field is
   * cut on a character boundary, leaving room for the terminating NUL. A
   * field the reader kept whole (not valid UTF-8) is written back as it came.
   */
  str(s: string, n: number, utf8 = false): void {
    if (typeof s !== 'string') this.fail('expected a string');
    if (utf8) return this.utf8(s, n);
    const len = Buffer.byteLength(s, 'latin1');
    if (len > n) this.fail(`string ${show(s)} is longer than ${n} bytes`);
    this.grow(len);
    this.buf.write(s, this.pos, 'latin1');
    this.pos += len;
    this.pad(n - len);
  }
  private utf8(s: string, n: number): void {
    this.grow(n);
    const keep = this.pads?.[String(this.pos)];
    if (keep !== undefined && keep.length === n * 2) {
      const raw = Buffer.from(keep, 'hex');
      const nul = raw.indexOf(0);
      if (raw.toString('utf8', 0, nul < 0 ? n : nul) === s) {
        raw.copy(this.buf, this.pos);
        this.pos += n;
        return;
      }
    }
    const bytes = Buffer.from(s, 'utf8');
    let len = bytes.length;
    if (len > n) {
      len = n - 1;
      // Back off continuation bytes (10xxxxxx) so the cut falls between characters.
      while (len > 0 && (bytes[len]! & 0xc0) === 0x80) len--;
    }
    bytes.copy(this.buf, this.pos, 0, len);
    this.pos += len;
    this.pad(n - len);
  }
  pad(n: number): void {
    if (n <= 0) return;
    this.grow(n);
    const keep = this.pads?.[String(this.pos)];
    if (keep !== undefined && keep.length === n * 2) {
      this.buf.write(keep, this.pos, 'hex');
    } else {
      const b = this.buf;
      for (let i = this.pos, end = this.pos + n; i < end; i++) b[i] = 0;
    }
    this.pos += n;
  }
  /** Pad to the next multiple of 8 measured from `start`. */
  align8(start: number): void {
    const rem = (this.pos - start) % 8;
    if (rem !== 0) this.pad(8 - rem);
  }

  /** Reserve a 16-bit length; returns its position for `patch16`. */
  reserve16(): number {
    const at = this.pos;
    this.grow(2);
    this.pos += 2;
    return at;
  }
  /** Write `value` (default: bytes from `from` to now) into a reserved u16. */
  patch16(at: number, from: number, value = this.pos - from): void {
    if (value > 0xffff) this.fail(`length ${value} does not fit in 16 bits`);
    this.buf[at] = value >>> 8;
    this.buf[at + 1] = value & 0xff;
  }
  reserve8(): number {
    const at = this.pos;
    this.grow(1);
    this.pos += 1;
    return at;
  }
  patch8(at: number, value: number): void {
    if (value > 0xff) this.fail(`length ${value} does not fit in 8 bits`);
    this.buf[at] = value;
  }
  reserve32(): number {
    const at = this.pos;
    this.grow(4);
    this.pos += 4;
    return at;
  }
  patch32(at: number, value: number): void {
    this.buf.writeUInt32BE(value, at);
  }

  /** A copy of what was written since `from`. */
  finish(from = 0): Buffer {
    const out = Buffer.allocUnsafe(this.pos - from);
    this.buf.copy(out, 0, from, this.pos);
    return out;
  }
}

function toBigInt(v: unknown, w: Writer): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^(?:[0-9]+|0x[0-9a-fA-F]+)$/.test(v)) return BigInt(v);
  return w.fail(`expected a 64-bit unsigned integer (bigint, decimal or 0x-hex string), got ${show(v)}`);
}
