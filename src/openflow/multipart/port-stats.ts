import { readPortNo, writePortNo, type PortNo } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeUntilEnd, encodeEach } from './record.js';

/** OFPMP_PORT_STATS request body (ofp_port_stats_request, OF 1.3.5 §7.3.5.6). */
export interface PortStatsRequest {
  readonly type: 'port_stats';
  /** 'any' for all ports. */
  readonly port_no: PortNo;
}

/** ofp_port_stats, OF 1.3.5 §7.3.5.6. A counter the switch does not keep is all ones. */
export interface PortStats {
  readonly port_no: PortNo;
  readonly rx_packets: bigint;
  readonly tx_packets: bigint;
  readonly rx_bytes: bigint;
  readonly tx_bytes: bigint;
  readonly rx_dropped: bigint;
  readonly tx_dropped: bigint;
  readonly rx_errors: bigint;
  readonly tx_errors: bigint;
  readonly rx_frame_err: bigint;
  readonly rx_over_err: bigint;
  readonly rx_crc_err: bigint;
  readonly collisions: bigint;
  readonly duration_sec: number;
  readonly duration_nsec: number;
}

/** OFPMP_PORT_STATS reply body. */
export interface PortStatsReply {
  readonly type: 'port_stats';
  readonly stats: readonly PortStats[];
}

/** The twelve u64 counters, in wire order. */
const COUNTERS = [
  'rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes', 'rx_dropped', 'tx_dropped',
  'rx_errors', 'tx_errors', 'rx_frame_err', 'rx_over_err', 'rx_crc_err', 'collisions',
] as const;

// ofp_port_stats_request, OF 1.3.5 §7.3.5.6: port_no(4) pad(4)
export function decodePortStatsRequest(r: Reader): PortStatsRequest {
  const port_no = readPortNo(r);
  r.pad(4);
  return { type: 'port_stats', port_no };
}

// ofp_port_stats_request, OF 1.3.5 §7.3.5.6: port_no(4) pad(4)
export function encodePortStatsRequest(w: Writer, b: PortStatsRequest): void {
  writePortNo(w, b.port_no);
  w.pad(4);
}

// ofp_port_stats, OF 1.3.5 §7.3.5.6: port_no(4) pad(4) rx_packets tx_packets rx_bytes tx_bytes rx_dropped
// tx_dropped rx_errors tx_errors rx_frame_err rx_over_err rx_crc_err collisions(8 each) duration_sec(4) duration_nsec(4)
export function decodePortStats(r: Reader): PortStats {
  const port_no = readPortNo(r);
  r.pad(4);
  const counters = {} as Record<(typeof COUNTERS)[number], bigint>;
  for (const name of COUNTERS) counters[name] = r.u64(name);
  return { port_no, ...counters, duration_sec: r.u32('duration_sec'), duration_nsec: r.u32('duration_nsec') };
}

// ofp_port_stats, OF 1.3.5 §7.3.5.6: port_no(4) pad(4) 12 counters(8 each) duration_sec(4) duration_nsec(4)
export function encodePortStats(w: Writer, s: PortStats): void {
  writePortNo(w, s.port_no);
  w.pad(4);
  for (const name of COUNTERS) w.u64(s[name]);
  w.u32(s.duration_sec);
  w.u32(s.duration_nsec);
}

// OFPMP_PORT_STATS reply body, OF 1.3.5 §7.3.5.6: ofp_port_stats[] (112 bytes each) to the end of the message
export function decodePortStatsReply(r: Reader): PortStatsReply {
  return { type: 'port_stats', stats: decodeUntilEnd(r, decodePortStats) };
}

// OFPMP_PORT_STATS reply body, OF 1.3.5 §7.3.5.6: ofp_port_stats[] (112 bytes each)
export function encodePortStatsReply(w: Writer, b: PortStatsReply): void {
  encodeEach(w, b.stats, 'stats', encodePortStats);
}
