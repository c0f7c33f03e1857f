import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './ovs.js';
import * as S from './samples.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'ovs');

export interface Fixture {
  readonly file: string;
  readonly comment: string;
  readonly bytes: Buffer;
}

/** Captures that are not well-formed OpenFlow 1.3 on purpose (malformed, or another version). */
export const NOT_OF13 = new Set(['invalid.hex', 'other_version.hex']);

/** Records of test/fixtures/ovs/*.hex: a `# comment` line, then one line of hex. */
export function ovsFixtures(which: 'valid' | 'invalid' = 'valid'): Fixture[] {
  if (!existsSync(FIXTURES)) return [];
  const out: Fixture[] = [];
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.hex') && NOT_OF13.has(f) === (which === 'invalid'));
  for (const file of files.sort()) {
    let comment = '';
    for (const line of readFileSync(join(FIXTURES, file), 'utf8').split('\n')) {
      const l = line.trim();
      if (l.startsWith('#')) comment = l.slice(1).trim();
      else if (l.length > 0) out.push({ file, comment, bytes: Buffer.from(l, 'hex') });
    }
  }
  return out;
}

/** Every well-formed frame we have: hand-built samples and OVS captures. */
export function allFrames(): Buffer[] {
  const samples = Object.values(S).filter((v): v is Buffer => Buffer.isBuffer(v) && v.length >= 8 && v[0] === 4);
  return [...samples, ...ovsFixtures().map((f) => f.bytes)];
}
