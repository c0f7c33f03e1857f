import { show } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** ofp_hello_elem_*, OF 1.3.5 §7.5.1. */
export type HelloElement =
  /** Bitmaps as 32-bit words; bit n of word i set = version 32*i+n supported. */
  | { readonly type: 'versionbitmap'; readonly bitmaps: readonly number[] }
  | { readonly type: 'unknown'; readonly code: number; readonly data: Buffer };

/** HELLO is the one message whose header version may be other than 0x04. */
export interface Hello {
  readonly type: 'hello';
  readonly xid: number;
  readonly version: number;
  readonly elements: readonly HelloElement[];
  /** The peer left out the last element's padding (some 1.3.0 switches do); kept so re-encoding is exact. */
  readonly unpadded?: true;
}

/** ofp_hello, OF 1.3.5 §7.5.1: elements[] each type(2) length(2) body, padded to 8 (pad not in length). */
export function decodeHello(r: Reader, xid: number, version: number): Hello {
  const elements: HelloElement[] = [];
  let unpadded = false;
  while (r.remaining > 0) {
    const start = r.pos;
    const type = r.u16('hello element type');
    const length = r.u16('hello element length');
    if (length < 4) r.fail('bad_length', `hello element length ${length} < 4`, start);
    const saved = r.limit(length - 4, 'hello element');
    if (type === 1) {
      if ((length - 4) % 4 !== 0) r.fail('bad_length', `versionbitmap length ${length} is not 4 + a multiple of 4`, start);
      const bitmaps: number[] = [];
      while (r.remaining > 0) bitmaps.push(r.u32('version bitmap'));
      elements.push({ type: 'versionbitmap', bitmaps });
    } else {
      elements.push({ type: 'unknown', code: type, data: r.bytes(length - 4) });
    }
    r.restore(saved, 'hello element');
    // Peers built against 1.3.0 sometimes omit the trailing element padding.
    const pad = (8 - (length % 8)) % 8;
    if (pad > r.remaining) {
      if (r.remaining !== 0) r.fail('bad_length', `hello element padding cut short: ${r.remaining} of ${pad} bytes`);
      unpadded = pad > 0;
    } else r.pad(pad);
  }
  return unpadded ? { type: 'hello', xid, version, elements, unpadded: true } : { type: 'hello', xid, version, elements };
}

export function encodeHello(w: Writer, m: Hello): void {
  const elements = m.elements ?? [];
  for (const [i, e] of elements.entries()) {
    const start = w.pos;
    if (e.type === 'versionbitmap') {
      w.u16(1);
      const len = w.reserve16();
      for (const b of e.bitmaps) w.u32(b);
      w.patch16(len, start);
    } else if (e.type === 'unknown') {
      w.u16(e.code);
      const len = w.reserve16();
      w.bytes(e.data);
      w.patch16(len, start);
    } else {
      w.fail(`unknown hello element ${show((e as { type: unknown }).type)}`);
    }
    if (!(m.unpadded && i === elements.length - 1)) w.align8(start);
  }
}

/** The versions a HELLO offers: its bitmap if present, else just its header version. */
export function helloVersions(h: Hello): number[] {
  const bm = h.elements.find((e) => e.type === 'versionbitmap');
  if (!bm || bm.type !== 'versionbitmap') return [h.version];
  const out: number[] = [];
  bm.bitmaps.forEach((word, i) => {
    for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) out.push(i * 32 + bit);
  });
  return out;
}
