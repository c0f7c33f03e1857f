import t from 'tap';
import { Framer, MAX_FRAME } from '../../src/openflow/framer.js';
import { CodecError } from '../../src/openflow/codec-error.js';
import { allFrames } from '../helpers/corpus.js';

function collect(f: Framer, chunks: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  for (const c of chunks) f.push(c, (frame) => out.push(Buffer.from(frame)));
  return out;
}

const frames = allFrames();

t.test('every frame split at every offset comes out whole', async (t) => {
  let checked = 0;
  for (const frame of frames) {
    for (let cut = 0; cut <= frame.length; cut++) {
      const out = collect(new Framer(), [frame.subarray(0, cut), frame.subarray(cut)]);
      if (out.length !== 1 || !out[0]!.equals(frame)) {
        t.fail(`frame ${frame.toString('hex', 0, 8)} cut at ${cut} gave ${out.length} frames`);
        return;
      }
      checked++;
    }
  }
  t.ok(checked > frames.length, `${checked} splits of ${frames.length} frames`);
});

t.test('many frames in one chunk, and then one byte at a time', async (t) => {
  const all = Buffer.concat(frames);
  const out = collect(new Framer(), [all]);
  t.equal(out.length, frames.length);
  t.ok(out.every((f, i) => f.equals(frames[i]!)));
  const bytes = [...all].map((b) => Buffer.from([b]));
  const out2 = collect(new Framer(), bytes);
  t.equal(out2.length, frames.length);
  t.ok(out2.every((f, i) => f.equals(frames[i]!)));
});

t.test('a frame boundary inside the header of the next frame', async (t) => {
  const a = frames[0]!;
  const b = frames[1]!;
  const joined = Buffer.concat([a, b]);
  const out = collect(new Framer(), [joined.subarray(0, a.length + 3), joined.subarray(a.length + 3)]);
  t.same(out.map((f) => f.toString('hex')), [a.toString('hex'), b.toString('hex')]);
});

t.test('a length below 8 is fatal for the stream', async (t) => {
  const f = new Framer();
  t.throws(() => f.push(Buffer.from('0400000400000001', 'hex'), () => {}), { name: 'CodecError', kind: 'bad_length' });
  t.throws(() => f.push(Buffer.from('0402000800000001', 'hex'), () => {}), CodecError, 'the framer stays dead');
  const g = new Framer();
  g.push(Buffer.from('0400', 'hex'), () => {});
  t.throws(() => g.push(Buffer.from('000000000001', 'hex'), () => {}), { name: 'CodecError', kind: 'bad_length' }, 'also when the length arrives split');
});

t.test('a bogus length never holds more than one 64 KiB frame', async (t) => {
  const f = new Framer();
  let n = 0;
  const huge = Buffer.alloc(MAX_FRAME * 3, 0xff);
  huge.writeUInt32BE(0x0402ffff, 0);
  // Each 0xffff-byte "frame" of 0xff bytes is followed by a header length of 0xffff again.
  for (let off = 0; off < huge.length; off += 1000) {
    f.push(huge.subarray(off, off + 1000), () => n++);
    t.ok(f.buffered <= MAX_FRAME, 'buffered stays bounded');
    if (f.buffered > MAX_FRAME) return;
  }
  t.equal(n, 3, 'three maximal frames came out');
});
