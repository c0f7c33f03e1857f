import { CodecError, withOfpCode, type CodecErrorKind, type OfpErrorCode } from './codec-error.js';

/**
 * Bounds-checked big-endian reader over one frame. Offsets it reports are
 * relative to `base` (the first byte of the message), so errors and padding
 * records mean the same thing whatever buffer the frame came from.
 *
 * Nested TLVs narrow the readable range with `limit()`/`restore()` instead of
 * allocating sub-readers: the packet-in path decodes a match per message.
 */
export class Reader {
  pos: number;
  end: number;
  msgType: string | undefined;
  xid: number | undefined;
  /** Non-zero padding seen while decoding, by message offset, so encode can reproduce it. */
  pads: Record<string, string> | undefined;

  constructor(
    readonly buf: Buffer,
    readonly base = 0,
    end = buf.length,
  ) {
    this.pos = base;
    this.end = end;
  }

  get offset(): number {
    return this.pos - this.base;
  }
  get remaining(): number {
    return this.end - this.pos;
  }

  /** `ofp`: the OFPT_ERROR a switch would answer, where the spec names one. */
  fail(kind: CodecErrorKind, reason: string, at = this.pos, ofp?: OfpErrorCode): never {
    const from = Math.max(this.base, at - 4);
    const to = Math.min(this.buf.length, at + 12);
    if (ofp !== undefined) reason = withOfpCode(reason, ofp);
    throw new CodecError(kind, reason, at - this.base, this.msgType, this.xid, this.buf.toString('hex', from, to), ofp);
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      this.fail('truncated', `${what} needs ${n} bytes, ${this.end - this.pos} left`);
    }
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }
  u16(what = 'u16'): number {
    this.need(2, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }
  u32(what = 'u32'): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }
  u64(what = 'u64'): bigint {
    this.need(8, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 8;
    // Zero is by far the most common cookie/counter; skip the BigInt read.
    if ((b[p]! | b[p + 1]! | b[p + 2]! | b[p + 3]! | b[p + 4]! | b[p + 5]! | b[p + 6]! | b[p + 7]!) === 0) return 0n;
    return b.readBigUInt64BE(p);
  }
  /** A copy: views into the framer's buffer must not outlive one decode call. */
  bytes(n: number, what = 'bytes'): Buffer {
    this.need(n, what);
    // TypedArray#slice copies natively and is cheaper than allocUnsafe + copy.
    const out = Uint8Array.prototype.slice.call(this.buf, this.pos, this.pos + n) as Buffer;
    this.pos += n;
    return out;
  }
  /** A zero-copy view, valid only during this decode call. */
  view(n: number, what = 'bytes'): Buffer {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  hex(n: number, what = 'bytes'): string {
    this.need(n, what);
    const s = this.buf.toString('hex', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  /**
   * Fixed-size NUL-padded string (ofp_port.name, ofp_desc fields). Keeps bytes
   * after the NUL as padding. `utf8` (port names): the text is UTF-8; bytes
   * that are not valid UTF-8 are kept whole in `pads` so re-encoding is exact.
   */
  str(n: number, what = 'string', utf8 = false): string {
    this.need(n, what);
    const start = this.pos;
    let nul = start;
    const stop = start + n;
    while (nul < stop && this.buf[nul] !== 0) nul++;
    let s: string;
    if (utf8) {
      s = this.buf.toString('utf8', start, nul);
      if (!Buffer.from(s, 'utf8').equals(this.buf.subarray(start, nul))) {
        (this.pads ??= {})[String(start - this.base)] = this.buf.toString('hex', start, stop);
      }
    } else s = this.buf.toString('latin1', start, nul);
    this.pos = nul;
    this.pad(stop - nul);
    return s;
  }
  /** Skip padding; remember it when it is not all zeros so re-encoding is byte-exact. */
  pad(n: number): void {
    if (n <= 0) return;
    this.need(n, 'padding');
    const b = this.buf;
    const p = this.pos;
    for (let i = 0; i < n; i++) {
      if (b[p + i] !== 0) {
        (this.pads ??= {})[String(p - this.base)] = b.toString('hex', p, p + n);
        break;
      }
    }
    this.pos = p + n;
  }

  /** Narrow the readable range to the next `n` bytes; returns the token for `restore`. */
  limit(n: number, what: string): number {
    this.need(n, what);
    const saved = this.end;
    this.end = this.pos + n;
    return saved;
  }
  /** Leave a limited range: everything in it must have been consumed. */
  restore(saved: number, what: string): void {
    if (this.pos !== this.end) this.fail('bad_length', `${what}: ${this.end - this.pos} unexpected trailing bytes`);
    this.end = saved;
  }
}
