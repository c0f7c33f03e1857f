import { decodeMessage } from '../openflow/codec.js';
import { CodecError } from '../openflow/codec-error.js';
import { toJsonText } from '../openflow/json.js';
import { inputLines } from './hex-lines.js';

/** One line of hex → one line of JSON, or {"error","offset"}. */
export function printOne(line: string): { text: string; ok: boolean } {
  const hex = line.replace(/\s+/g, '').replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]*$/.test(hex)) {
    const bad = hex.search(/[^0-9a-fA-F]/);
    return fail(`not hexadecimal: character ${JSON.stringify(hex[bad])} at hex position ${bad}`, Math.floor(bad / 2));
  }
  if (hex.length % 2 !== 0) return fail('odd number of hex digits', Math.floor(hex.length / 2));
  const buf = Buffer.from(hex, 'hex');
  try {
    const msg = decodeMessage(buf);
    const declared = buf.readUInt16BE(2);
    if (declared !== buf.length) return fail(`${buf.length - declared} bytes follow the message's length of ${declared}`, declared);
    return { text: toJsonText(msg), ok: true };
  } catch (e) {
    if (e instanceof CodecError) return fail(e.message, e.offset);
    throw e;
  }
}

function fail(error: string, offset: number): { text: string; ok: boolean } {
  return { text: JSON.stringify({ error, offset }), ok: false };
}

export function ofpPrint(args: readonly string[]): number {
  const lines = inputLines(args);
  if (lines.length === 0) {
    process.stderr.write('usage: switchyard ofp-print HEX... | switchyard ofp-print -\n');
    return 2;
  }
  let bad = false;
  for (const line of lines) {
    const r = printOne(line);
    if (!r.ok) bad = true;
    process.stdout.write(r.text + '\n');
  }
  return bad ? 2 : 0;
}
