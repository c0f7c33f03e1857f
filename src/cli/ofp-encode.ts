import { encodeMessage } from '../openflow/codec.js';
import { CodecError } from '../openflow/codec-error.js';
import { messageFromJson } from '../openflow/json.js';
import { inputLines } from './hex-lines.js';

/** One JSON message (the form ofp-print prints) → hex, or "error: …". */
export function encodeOne(line: string): { text: string; ok: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { text: `error: invalid JSON: ${(e as Error).message}`, ok: false };
  }
  try {
    return { text: encodeMessage(messageFromJson(value)).toString('hex'), ok: true };
  } catch (e) {
    if (e instanceof CodecError) return { text: `error: ${e.msgType ? `${e.msgType}: ` : ''}${e.reason}`, ok: false };
    throw e;
  }
}

export function ofpEncode(args: readonly string[]): number {
  const lines = inputLines(args);
  if (lines.length === 0) {
    process.stderr.write('usage: switchyard ofp-encode JSON... | switchyard ofp-encode -\n');
    return 2;
  }
  let bad = false;
  for (const line of lines) {
    const r = encodeOne(line);
    if (!r.ok) bad = true;
    process.stdout.write(r.text + '\n');
  }
  return bad ? 2 : 0;
}
