import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { enumTable } from '../enums.js';
import { experimenterKind, kind, TlvFrame, TlvRegistry } from '../tlv.js';


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

/** The fields of ofp_meter_band_header every band shares after type(2) len(2). */
interface BandHead {
  readonly rate: number;
  readonly burst_size: number;
}

const band = kind<MeterBand, BandHead>();

/** ofp_meter_band_type, OF 1.3.5 §7.3.4.4. */
export const METER_BANDS = new TlvRegistry<MeterBand, BandHead>('meter band', [
  band({
    // ofp_meter_band_drop, OF 1.3.5 §7.3.4.4: header(12) pad(4)
    code: 1, type: 'drop', length: { exact: 16 },
    decode(r, { rate, burst_size }) {
      r.pad(4);
      return { type: 'drop', rate, burst_size };
    },
    encode: (w) => w.pad(4),
  }),
  band({
    // ofp_meter_band_dscp_remark, OF 1.3.5 §7.3.4.4: header(12) prec_level(1) pad(3)
    code: 2, type: 'dscp_remark', length: { exact: 16 },
    decode(r, { rate, burst_size }) {
      const prec_level = r.u8('prec_level');
      r.pad(3);
      return { type: 'dscp_remark', rate, burst_size, prec_level };
    },
    encode(w, b) {
      w.u8(b.prec_level);
      w.pad(3);
    },
  }),
  // ofp_meter_band_experimenter, OF 1.3.5 §7.3.4.4: header(12) experimenter(4) data(len-16)
  experimenterKind<MeterBand, BandHead>({ code: 0xffff, length: { min: 16 } }),
], 12, { length: 12, name: 'ofp_meter_band_header' });

/** ofp_meter_band_type by name. */
export const MeterBandTypeNames = enumTable('meter band type', METER_BANDS.codes);

const FRAME = new TlvFrame(METER_BANDS, {
  // ofp_meter_band_header, OF 1.3.5 §7.3.4.4: after type(2) len(2): rate(4) burst_size(4)
  decode: (r) => ({ rate: r.u32('rate'), burst_size: r.u32('burst_size') }),
  encode(w, b) {
    w.u32(b.rate);
    w.u32(b.burst_size);
  },
}, false, true);

/** One band (ofp_meter_band_header + body, OF 1.3.5 §7.3.4.4). */
export function decodeMeterBand(r: Reader): MeterBand {
  return FRAME.decode(r);
}

/** One band (ofp_meter_band_header + body, OF 1.3.5 §7.3.4.4). */
export function encodeMeterBand(w: Writer, b: MeterBand): void {
  FRAME.encode(w, b);
}

/** ofp_meter_band_header[], OF 1.3.5 §7.3.4.4: len(2)-prefixed bands to the end of the meter_mod / meter_config. */
export function decodeMeterBands(r: Reader): MeterBand[] {
  return FRAME.decodeRest(r);
}

/** ofp_meter_band_header[], OF 1.3.5 §7.3.4.4: len(2)-prefixed bands. */
export function encodeMeterBands(w: Writer, bands: readonly MeterBand[]): void {
  FRAME.encodeList(w, bands, 'bands');
}
