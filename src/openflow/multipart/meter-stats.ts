import { readMeterId, writeMeterId, type MeterId } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeUntilEnd, encodeEach, needObject, peekLength } from './record.js';

/** OFPMP_METER request body (ofp_meter_multipart_request, OF 1.3.5 §7.3.5.12). */
export interface MeterStatsRequest {
  readonly type: 'meter';
  /** 'all' for every meter. */
  readonly meter_id: MeterId;
}

/** ofp_meter_band_stats, OF 1.3.5 §7.3.5.12. */
export interface MeterBandStats {
  readonly packet_band_count: bigint;
  readonly byte_band_count: bigint;
}

/** ofp_meter_stats, OF 1.3.5 §7.3.5.12. */
export interface MeterStats {
  readonly meter_id: MeterId;
  readonly flow_count: number;
  readonly packet_in_count: bigint;
  readonly byte_in_count: bigint;
  readonly duration_sec: number;
  readonly duration_nsec: number;
  /** One per band, in band order. */
  readonly band_stats: readonly MeterBandStats[];
}

/** OFPMP_METER reply body. */
export interface MeterStatsReply {
  readonly type: 'meter';
  readonly stats: readonly MeterStats[];
}

const FIXED_LEN = 40;

// ofp_meter_multipart_request, OF 1.3.5 §7.3.5.12: meter_id(4) pad(4)
export function decodeMeterMultipartRequest(r: Reader): MeterId {
  const meter_id = readMeterId(r);
  r.pad(4);
  return meter_id;
}

// ofp_meter_multipart_request, OF 1.3.5 §7.3.5.12: meter_id(4) pad(4)
export function encodeMeterMultipartRequest(w: Writer, meter_id: MeterId): void {
  writeMeterId(w, meter_id);
  w.pad(4);
}

// ofp_meter_multipart_request, OF 1.3.5 §7.3.5.12: meter_id(4) pad(4)
export function decodeMeterStatsRequest(r: Reader): MeterStatsRequest {
  return { type: 'meter', meter_id: decodeMeterMultipartRequest(r) };
}

// ofp_meter_multipart_request, OF 1.3.5 §7.3.5.12: meter_id(4) pad(4)
export function encodeMeterStatsRequest(w: Writer, b: MeterStatsRequest): void {
  encodeMeterMultipartRequest(w, b.meter_id);
}

// ofp_meter_band_stats, OF 1.3.5 §7.3.5.12: packet_band_count(8) byte_band_count(8)
function decodeMeterBandStats(r: Reader): MeterBandStats {
  return { packet_band_count: r.u64('packet_band_count'), byte_band_count: r.u64('byte_band_count') };
}

// ofp_meter_band_stats, OF 1.3.5 §7.3.5.12: packet_band_count(8) byte_band_count(8)
function encodeMeterBandStats(w: Writer, s: MeterBandStats): void {
  w.u64(s.packet_band_count);
  w.u64(s.byte_band_count);
}

// ofp_meter_stats, OF 1.3.5 §7.3.5.12: meter_id(4) len(2) pad(6) flow_count(4) packet_in_count(8)
// byte_in_count(8) duration_sec(4) duration_nsec(4) band_stats(len-40, 16 each)
export function decodeMeterStats(r: Reader): MeterStats {
  const saved = r.limit(peekLength(r, 4, FIXED_LEN, 'meter_stats'), 'meter_stats');
  const meter_id = readMeterId(r);
  r.pos += 2;
  r.pad(6);
  const flow_count = r.u32('flow_count');
  const packet_in_count = r.u64('packet_in_count');
  const byte_in_count = r.u64('byte_in_count');
  const duration_sec = r.u32('duration_sec');
  const duration_nsec = r.u32('duration_nsec');
  const band_stats = decodeUntilEnd(r, decodeMeterBandStats);
  r.restore(saved, 'meter_stats');
  return { meter_id, flow_count, packet_in_count, byte_in_count, duration_sec, duration_nsec, band_stats };
}

// ofp_meter_stats, OF 1.3.5 §7.3.5.12: meter_id(4) len(2) pad(6) flow_count(4) packet_in_count(8)
// byte_in_count(8) duration_sec(4) duration_nsec(4) band_stats
export function encodeMeterStats(w: Writer, s: MeterStats): void {
  needObject(w, s, 'meter stats');
  const start = w.pos;
  writeMeterId(w, s.meter_id);
  const at = w.reserve16();
  w.pad(6);
  w.u32(s.flow_count);
  w.u64(s.packet_in_count);
  w.u64(s.byte_in_count);
  w.u32(s.duration_sec);
  w.u32(s.duration_nsec);
  encodeEach(w, s.band_stats, 'band_stats', encodeMeterBandStats);
  w.patch16(at, start);
}

// OFPMP_METER reply body, OF 1.3.5 §7.3.5.12: ofp_meter_stats[] to the end of the message
export function decodeMeterStatsReply(r: Reader): MeterStatsReply {
  return { type: 'meter', stats: decodeUntilEnd(r, decodeMeterStats) };
}

// OFPMP_METER reply body, OF 1.3.5 §7.3.5.12: ofp_meter_stats[]
export function encodeMeterStatsReply(w: Writer, b: MeterStatsReply): void {
  encodeEach(w, b.stats, 'stats', encodeMeterStats);
}
