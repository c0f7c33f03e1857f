// Frame mutations for fuzzing the codec and the channel: a valid frame is
// bit-flipped, overwritten, truncated, has a nested length corrupted or bytes
// inserted/deleted (the header length kept consistent), or a random frame
// with a plausible header is made.

/** Deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function mutate(r: () => number, base: Buffer): Buffer {
  const b = Buffer.from(base);
  const int = (n: number): number => Math.floor(r() * n);
  switch (int(6)) {
    case 0: // flip a few bits
      for (let i = 0, n = 1 + int(4); i < n; i++) b[int(b.length)]! ^= 1 << int(8);
      return b;
    case 1: // random bytes in a few places
      for (let i = 0, n = 1 + int(4); i < n; i++) b[int(b.length)] = int(256);
      return b;
    case 2: { // truncate, keeping the header's length consistent
      const cut = b.subarray(0, 8 + int(Math.max(1, b.length - 8)));
      cut.writeUInt16BE(cut.length, 2);
      return Buffer.from(cut);
    }
    case 3: { // corrupt a 16-bit field that is likely a nested length
      if (b.length < 10) return b;
      b.writeUInt16BE(int(0x10000) & (r() < 0.5 ? 0xff : 0xffff), 8 + 2 * int((b.length - 8) >> 1) - (b.length % 2 === 0 ? 0 : 1));
      return b;
    }
    case 4: { // insert or delete bytes in the middle, fixing the header length
      const at = 8 + int(Math.max(1, b.length - 8));
      const ins = r() < 0.5;
      const out = ins
        ? Buffer.concat([b.subarray(0, at), Buffer.from([int(256), int(256), int(256), int(256)].slice(0, 1 + int(4))), b.subarray(at)])
        : Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(8)))]);
      if (out.length <= 0xffff) out.writeUInt16BE(out.length, 2);
      return out;
    }
    default: { // random frame with a plausible header
      const len = 8 + int(200);
      const out = Buffer.alloc(len);
      for (let i = 0; i < len; i++) out[i] = int(256);
      out[0] = 4;
      out[1] = int(30);
      out.writeUInt16BE(len, 2);
      return out;
    }
  }
}
