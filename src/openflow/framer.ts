import { CodecError } from './codec-error.js';
import { OFP_HEADER_LEN } from './common.js';

/** Largest possible frame: ofp_header.length is 16 bits. */
export const MAX_FRAME = 0xffff;
const EMPTY = Buffer.alloc(0);

/**
 * TCP chunks in, whole OpenFlow frames out. Frames handed to `onFrame` are
 * views valid only during the callback (decode copies what it keeps). At
 * most one partial frame (≤ 64 KiB) is ever held, whatever the peer sends.
 */
export class Framer {
  /**
   * The partial frame: allocated when one is first needed and grown to the
   * largest frame seen (at most 64 KiB), so a thousand quiet connections do
   * not hold 64 MiB between them.
   */
  private pending = EMPTY;
  private have = 0;
  private dead: CodecError | undefined;

  /** Bytes of a partial frame waiting for more input. */
  get buffered(): number {
    return this.have;
  }

  /**
   * Throws CodecError (fatal for the connection) on a length field < 8.
   * `skip(type)` true passes over a whole frame of that ofp_header.type without making a view of it: a
   * connection shedding a packet-in storm drops most frames, and a view per dropped frame was its main cost.
   */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void, skip?: (type: number) => boolean): void {
    if (this.dead) throw this.dead;
    let off = 0;
    if (this.have > 0) {
      if (this.have < OFP_HEADER_LEN) {
        const n = Math.min(OFP_HEADER_LEN - this.have, chunk.length);
        this.room(OFP_HEADER_LEN);
        chunk.copy(this.pending, this.have, 0, n);
        this.have += n;
        off = n;
        if (this.have < OFP_HEADER_LEN) return;
      }
      const len = this.pending.readUInt16BE(2);
      if (len < OFP_HEADER_LEN) this.kill(len, this.pending);
      this.room(len);
      const n = Math.min(len - this.have, chunk.length - off);
      chunk.copy(this.pending, this.have, off, off + n);
      this.have += n;
      off += n;
      if (this.have < len) return;
      this.have = 0;
      onFrame(this.pending.subarray(0, len));
    }
    while (chunk.length - off >= OFP_HEADER_LEN) {
      const len = (chunk[off + 2]! << 8) | chunk[off + 3]!;
      if (len < OFP_HEADER_LEN) this.kill(len, chunk.subarray(off));
      if (chunk.length - off < len) break;
      if (skip === undefined || !skip(chunk[off + 1]!)) onFrame(chunk.subarray(off, off + len));
      off += len;
    }
    if (off < chunk.length) {
      const rest = chunk.length - off;
      this.room(rest >= OFP_HEADER_LEN ? (chunk[off + 2]! << 8) | chunk[off + 3]! : OFP_HEADER_LEN);
      chunk.copy(this.pending, 0, off);
      this.have = chunk.length - off;
    }
  }

  /** Make the partial-frame buffer hold at least `n` bytes, keeping what it has. */
  private room(n: number): void {
    if (this.pending.length >= n) return;
    const next = Buffer.allocUnsafe(Math.min(MAX_FRAME, Math.max(n, 2 * this.pending.length, 256)));
    this.pending.copy(next, 0, 0, this.have);
    this.pending = next;
  }

  private kill(len: number, at: Buffer): never {
    this.dead = new CodecError('bad_length', `frame length ${len} is shorter than the 8-byte header; the stream cannot be resynchronised`, 2, undefined, undefined, at.toString('hex', 0, Math.min(16, at.length)));
    this.have = 0;
    throw this.dead;
  }
}
