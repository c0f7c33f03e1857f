import t from 'tap';
import { decodeMessage, encodeMessage } from '../../src/openflow/codec.js';
import { CodecError } from '../../src/openflow/codec-error.js';
import { Framer } from '../../src/openflow/framer.js';
import { allFrames } from '../helpers/corpus.js';
import { firstDiff } from '../helpers/hex.js';
import { mutate, rng } from '../helpers/mutate.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const COUNT = Number(process.env.FUZZ_COUNT ?? 100_000);
const corpus = allFrames();

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
