// Shared by the packet tests: fixtures, a seeded PRNG, and byte comparison
// that names the first differing offset.
import { readFileSync } from 'node:fs';
import { firstDiff, hex } from '../helpers/hex.js';
import { REPO_ROOT } from '../helpers/ovs.js';

export { hex, firstDiff };

export interface CapturedFrame {
  readonly info: string;
  readonly hex: string;
  /** What tshark decoded from these bytes when they were captured. */
  readonly tshark: Readonly<Record<string, string>>;
}

/** Real frames from fixtures/capture.sh (Linux kernel traffic on a veth pair). */
export function captures(): CapturedFrame[] {
  const url = `${REPO_ROOT}test/packet/fixtures/captures.json`;
  return (JSON.parse(readFileSync(url, 'utf8')) as { frames: CapturedFrame[] }).frames;
}

export function captureBytes(match: (f: CapturedFrame) => boolean): Buffer {
  const f = captures().find(match);
  if (!f) throw new Error('fixture frame not found');
  return Buffer.from(f.hex, 'hex');
}

/** mulberry32: deterministic, so a failing seed can be replayed with PACKET_FUZZ_SEED (the one the frame mutator uses). */
export { rng } from '../helpers/mutate.js';

/** Equal bytes, or a message naming the first difference. */
export function bytesDiff(actual: Uint8Array, expected: Uint8Array): string | undefined {
  return firstDiff(Buffer.from(actual), Buffer.from(expected));
}

/**
 * A checksum written for the tests alone (RFC 1071, summing by 16-bit
 * words over a concatenation), so expected values never come from the
 * library's own checksum code.
 */
export function refChecksum(...parts: Uint8Array[]): number {
  const all = Buffer.concat(parts.map((p) => Buffer.from(p)));
  let sum = 0;
  for (let i = 0; i < all.length; i += 2) sum += all[i]! * 256 + (all[i + 1] ?? 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return 0xffff - sum;
}
