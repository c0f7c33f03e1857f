import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeOxm, describe, encodeOxm, inContext, type OxmField } from './oxm.js';

/** ofp_match of type OFPMT_OXM: the OXM TLVs in the order they were sent. */
export type Match = readonly OxmField[];

/** ofp_match_type: OFPMT_STANDARD (0) is the 1.1 layout and not valid in 1.3. */
export const OFPMT_OXM = 1;

/** ofp_match, OF 1.3.5 §7.2.3.1: type(2) length(2) oxm_fields(length-4) pad to 8. */
export function decodeMatch(r: Reader): Match {
  // ofp_match, OF 1.3.5 §7.2.3.1: type(2) length(2) oxm_fields(length-4) pad((length+7)/8*8-length)
  const start = r.pos;
  const type = r.u16('match type');
  if (type !== OFPMT_OXM) r.fail('bad_value', `ofp_match type ${type} is not OFPMT_OXM (1)`, start);
  const length = r.u16('match length');
  if (length < 4) r.fail('bad_length', `ofp_match length ${length} is shorter than its 4-byte header`, start + 2);
  const saved = r.limit(length - 4, 'match oxm_fields');
  const out: OxmField[] = [];
  while (r.pos < r.end) out.push(decodeOxm(r));
  r.restore(saved, 'match oxm_fields');
  // length excludes the padding, so the padding is whatever rounds it up to 8.
  r.pad(((length + 7) & ~7) - length);
  return out;
}

export function encodeMatch(w: Writer, m: Match): void {
  // ofp_match, OF 1.3.5 §7.2.3.1: type(2) length(2) oxm_fields(length-4) pad((length+7)/8*8-length)
  if (!Array.isArray(m)) w.fail(`match must be a list of OXM fields like [{"field":"in_port","value":1}], got ${describe(m)}`);
  const start = w.pos;
  w.u16(OFPMT_OXM);
  const at = w.reserve16();
  for (let i = 0; i < m.length; i++) {
    try {
      encodeOxm(w, m[i] as OxmField);
    } catch (e) {
      throw inContext(e, `match[${i}]`);
    }
  }
  w.patch16(at, start);
  w.align8(start);
}
