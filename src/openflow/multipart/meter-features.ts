import { bitTable, readBits32, writeBits32 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { MeterFlagBits } from '../messages/meter-mod.js';

/** Band types as bits (1 << ofp_meter_band_type); experimenter (0xffff) has no bit. */
export const MeterBandTypeBits = bitTable('meter band types', { drop: 2, dscp_remark: 4 });

/** OFPMP_METER_FEATURES reply body (ofp_meter_features, OF 1.3.5 §7.3.5.14); the request has no body. */
export interface MeterFeaturesReply {
  readonly type: 'meter_features';
  readonly max_meter: number;
  /** 'drop' | 'dscp_remark'. */
  readonly band_types: readonly string[];
  /** Meter flag names: kbps, pktps, burst, stats. */
  readonly capabilities: readonly string[];
  readonly max_bands: number;
  readonly max_color: number;
}

// ofp_meter_features, OF 1.3.5 §7.3.5.14: max_meter(4) band_types(4) capabilities(4) max_bands(1) max_color(1) pad(2)
export function decodeMeterFeaturesReply(r: Reader): MeterFeaturesReply {
  const max_meter = r.u32('max_meter');
  const band_types = readBits32(r, MeterBandTypeBits);
  const capabilities = readBits32(r, MeterFlagBits);
  const max_bands = r.u8('max_bands');
  const max_color = r.u8('max_color');
  r.pad(2);
  return { type: 'meter_features', max_meter, band_types, capabilities, max_bands, max_color };
}

// ofp_meter_features, OF 1.3.5 §7.3.5.14: max_meter(4) band_types(4) capabilities(4) max_bands(1) max_color(1) pad(2)
export function encodeMeterFeaturesReply(w: Writer, b: MeterFeaturesReply): void {
  w.u32(b.max_meter);
  writeBits32(w, MeterBandTypeBits, b.band_types);
  writeBits32(w, MeterFlagBits, b.capabilities);
  w.u8(b.max_bands);
  w.u8(b.max_color);
  w.pad(2);
}
