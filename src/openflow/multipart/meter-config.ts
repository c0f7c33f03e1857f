import { readMeterId, writeMeterId, type MeterId } from '../common.js';
import { readBits16, writeBits16 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { MeterFlagBits } from '../messages/meter-mod.js';
import { decodeMeterBands, encodeMeterBands, type MeterBand } from '../structs/meter-band.js';
import { decodeMeterMultipartRequest, encodeMeterMultipartRequest } from './meter-stats.js';
import { decodeUntilEnd, encodeEach, needObject, peekLength } from './record.js';

/** OFPMP_METER_CONFIG request body (ofp_meter_multipart_request, OF 1.3.5 §7.3.5.13). */
export interface MeterConfigRequest {
  readonly type: 'meter_config';
  /** 'all' for every meter. */
  readonly meter_id: MeterId;
}

/** ofp_meter_config, OF 1.3.5 §7.3.5.13: one meter's configuration. */
export interface MeterConfig {
  /** Names from MeterFlagBits: kbps, pktps, burst, stats. */
  readonly flags: readonly string[];
  readonly meter_id: MeterId;
  readonly bands: readonly MeterBand[];
}

/** OFPMP_METER_CONFIG reply body. */
export interface MeterConfigReply {
  readonly type: 'meter_config';
  readonly configs: readonly MeterConfig[];
}

const FIXED_LEN = 8;

// ofp_meter_multipart_request, OF 1.3.5 §7.3.5.13: meter_id(4) pad(4)
export function decodeMeterConfigRequest(r: Reader): MeterConfigRequest {
  return { type: 'meter_config', meter_id: decodeMeterMultipartRequest(r) };
}

// ofp_meter_multipart_request, OF 1.3.5 §7.3.5.13: meter_id(4) pad(4)
export function encodeMeterConfigRequest(w: Writer, b: MeterConfigRequest): void {
  encodeMeterMultipartRequest(w, b.meter_id);
}

// ofp_meter_config, OF 1.3.5 §7.3.5.13: length(2) flags(2) meter_id(4) bands(length-8)
export function decodeMeterConfig(r: Reader): MeterConfig {
  const saved = r.limit(peekLength(r, 0, FIXED_LEN, 'meter_config'), 'meter_config');
  r.pos += 2;
  const flags = readBits16(r, MeterFlagBits);
  const meter_id = readMeterId(r);
  const bands = decodeMeterBands(r);
  r.restore(saved, 'meter_config');
  return { flags, meter_id, bands };
}

// ofp_meter_config, OF 1.3.5 §7.3.5.13: length(2) flags(2) meter_id(4) bands
export function encodeMeterConfig(w: Writer, c: MeterConfig): void {
  needObject(w, c, 'meter config');
  const start = w.pos;
  const at = w.reserve16();
  writeBits16(w, MeterFlagBits, c.flags);
  writeMeterId(w, c.meter_id);
  encodeMeterBands(w, c.bands);
  w.patch16(at, start);
}

// OFPMP_METER_CONFIG reply body, OF 1.3.5 §7.3.5.13: ofp_meter_config[] to the end of the message
export function decodeMeterConfigReply(r: Reader): MeterConfigReply {
  return { type: 'meter_config', configs: decodeUntilEnd(r, decodeMeterConfig) };
}

// OFPMP_METER_CONFIG reply body, OF 1.3.5 §7.3.5.13: ofp_meter_config[]
export function encodeMeterConfigReply(w: Writer, b: MeterConfigReply): void {
  encodeEach(w, b.configs, 'configs', encodeMeterConfig);
}
