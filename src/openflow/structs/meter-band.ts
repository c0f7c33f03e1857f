import { enumTable } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeUntilEnd, encodeEach, peekLength, show } from '../multipart/record.js';

/** ofp_meter_band_type. */
export const MeterBandTypeNames = enumTable('meter band type', { drop: 1, dscp_remark: 2, experimenter: 0xffff });

/**
 * ofp_meter_band_*, OF 1.3.5 §7.3.4.4 (meter_mod, meter_config). `rate` is
 * in kb/s or packets/s and `burst_size` in kilobits or packets, as the
 * meter's flags say.
 */
export type MeterBand =
  | { readonly type: 'drop'; readonly rate: number; readonly burst_size: number }
  /** prec_level: drop precedence levels to add to the DSCP. */
  | { readonly type: 'dscp_remark'; readonly rate: number; readonly burst_size: number; readonly prec_level: number }
  /** data: whatever follows the experimenter id, as sent. */
  | {
      readonly type: 'experimenter';
      readonly rate: number;
      readonly burst_size: number;
      readonly experimenter: number;
      readonly data: Buffer;
    }
  /** A band type the spec does not define: data is everything after the 12-byte common header. */
  | { readonly type: 'unknown'; readonly code: number; readonly rate: number; readonly burst_size: number; readonly data: Buffer };

const HEADER_LEN = 12;
const BAND_LEN = 16;

// ofp_meter_band_header + body, OF 1.3.5 §7.3.4.4: type(2) len(2) rate(4) burst_size(4) then
// drop: pad(4); dscp_remark: prec_level(1) pad(3); experimenter: experimenter(4) data(len-16); other: data(len-12)
export function decodeMeterBand(r: Reader): MeterBand {
  r.need(2, 'meter band type');
  const code = (r.buf[r.pos]! << 8) | r.buf[r.pos + 1]!;
  const known = code === 1 || code === 2 || code === 0xffff;
  const saved = r.limit(peekLength(r, 2, known ? BAND_LEN : HEADER_LEN, 'meter band'), 'meter band');
  r.pos += 4;
  const rate = r.u32('rate');
  const burst_size = r.u32('burst_size');
  let band: MeterBand;
  if (code === 1) {
    r.pad(4);
    band = { type: 'drop', rate, burst_size };
  } else if (code === 2) {
    const prec_level = r.u8('prec_level');
    r.pad(3);
    band = { type: 'dscp_remark', rate, burst_size, prec_level };
  } else if (code === 0xffff) {
    const experimenter = r.u32('experimenter');
    band = { type: 'experimenter', rate, burst_size, experimenter, data: r.bytes(r.remaining) };
  } else {
    band = { type: 'unknown', code, rate, burst_size, data: r.bytes(r.remaining) };
  }
  r.restore(saved, 'meter band');
  return band;
}

// ofp_meter_band_header + body, OF 1.3.5 §7.3.4.4: type(2) len(2) rate(4) burst_size(4) body
export function encodeMeterBand(w: Writer, b: MeterBand): void {
  const start = w.pos;
  const code = b.type === 'unknown' ? b.code : MeterBandTypeNames.byName.get(b.type);
  if (code === undefined) {
    w.fail(`unknown meter band type ${show(b.type)}; expected drop, dscp_remark, experimenter or unknown`);
  }
  w.u16(code);
  const at = w.reserve16();
  w.u32(b.rate);
  w.u32(b.burst_size);
  switch (b.type) {
    case 'drop':
      w.pad(4);
      break;
    case 'dscp_remark':
      w.u8(b.prec_level);
      w.pad(3);
      break;
    case 'experimenter':
      w.u32(b.experimenter);
      w.bytes(b.data);
      break;
    case 'unknown':
      w.bytes(b.data);
      break;
  }
  w.patch16(at, start);
}

// ofp_meter_band_header[], OF 1.3.5 §7.3.4.4: len(2)-prefixed bands to the end of the meter_mod / meter_config
export function decodeMeterBands(r: Reader): MeterBand[] {
  return decodeUntilEnd(r, decodeMeterBand);
}

// ofp_meter_band_header[], OF 1.3.5 §7.3.4.4: len(2)-prefixed bands
export function encodeMeterBands(w: Writer, bands: readonly MeterBand[]): void {
  encodeEach(w, bands, 'bands', encodeMeterBand);
}
