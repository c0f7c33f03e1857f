import t from 'tap';
import { decodeMessage, encodeMessage } from '../../src/openflow/codec.js';
import { CodecError } from '../../src/openflow/codec-error.js';
import { Framer } from '../../src/openflow/framer.js';
import { allFrames } from '../helpers/corpus.js';
import { firstDiff } from '../helpers/hex.js';

// Deterministic PRNG (mulberry32) so a failure can be replayed from its seed.
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const COUNT = Number(process.env.FUZZ_COUNT ?? 100_000);
const corpus = allFrames();

function mutate(r: () => number, base: Buffer): Buffer {
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

t.test(`fuzz: ${COUNT} mutated and random frames (seed ${SEED})`, async (t) => {
  const r = rng(SEED);
  let decoded = 0;
  let rejected = 0;
  const failures: string[] = [];
  const framer = new Framer();
  for (let i = 0; i < COUNT && failures.length < 5; i++) {
    const frame = mutate(r, corpus[Math.floor(r() * corpus.length)]!);
    try {
      const msg = decodeMessage(frame);
      decoded++;
      // Whatever decodes must re-encode to the same bytes.
      let again: Buffer;
      try {
        again = encodeMessage(msg);
      } catch (e) {
        failures.push(`encode of a decoded message threw ${(e as Error).message}: ${frame.toString('hex')}`);
        continue;
      }
      const diff = firstDiff(again, frame.subarray(0, frame.readUInt16BE(2)));
      if (diff) failures.push(`${diff}: ${frame.toString('hex')}`);
    } catch (e) {
      if (!(e instanceof CodecError)) failures.push(`non-codec exception ${String(e)}: ${frame.toString('hex')}`);
      else if (e.kind === 'internal') failures.push(`internal error ${e.message}: ${frame.toString('hex')}`);
      else rejected++;
    }
    // The framer sees the same bytes as a stream; it may only refuse with CodecError.
    if (frame.readUInt16BE(2) >= 8) {
      try {
        framer.push(frame, () => {});
      } catch (e) {
        if (!(e instanceof CodecError)) failures.push(`framer threw ${String(e)}`);
      }
    }
  }
  t.same(failures, [], 'only CodecError, and everything decoded re-encodes exactly');
  t.ok(decoded > 0 && rejected > 0, `${decoded} decoded, ${rejected} rejected with CodecError`);
});
