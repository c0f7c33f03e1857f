import { bitTable, readBits32, writeBits32 } from '../enums.js';
import { readPortNo, writePortNo, type PortNo } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { readMac, writeMac } from './addr.js';

export const PortConfigBits = bitTable('port config', { port_down: 1, no_recv: 4, no_fwd: 32, no_packet_in: 64 });
export const PortStateBits = bitTable('port state', { link_down: 1, blocked: 2, live: 4 });
export const PortFeatureBits = bitTable('port features', {
  '10mb_hd': 1, '10mb_fd': 2, '100mb_hd': 4, '100mb_fd': 8, '1gb_hd': 16, '1gb_fd': 32, '10gb_fd': 64,
  '40gb_fd': 128, '100gb_fd': 256, '1tb_fd': 512, other: 1024, copper: 2048, fiber: 4096, autoneg: 8192,
  pause: 16384, pause_asym: 32768,
});

export type Flags = readonly string[];

/** ofp_port, OF 1.3.5 §7.2.1: 64 bytes. */
export interface Port {
  readonly port_no: PortNo;
  readonly hw_addr: string;
  readonly name: string;
  readonly config: Flags;
  readonly state: Flags;
  readonly curr: Flags;
  readonly advertised: Flags;
  readonly supported: Flags;
  readonly peer: Flags;
  /** kbps */
  readonly curr_speed: number;
  readonly max_speed: number;
}

/** ofp_port: port_no(4) pad(4) hw_addr(6) pad(2) name(16) config(4) state(4) curr/advertised/supported/peer(4 each) curr_speed(4) max_speed(4). */
export function decodePort(r: Reader): Port {
  const port_no = readPortNo(r);
  r.pad(4);
  const hw_addr = readMac(r);
  r.pad(2);
  // ofp_port.name: UTF-8, NUL-padded to OFP_MAX_PORT_NAME_LEN (16).
  const name = r.str(16, 'port name', true);
  return {
    port_no,
    hw_addr,
    name,
    config: readBits32(r, PortConfigBits),
    state: readBits32(r, PortStateBits),
    curr: readBits32(r, PortFeatureBits),
    advertised: readBits32(r, PortFeatureBits),
    supported: readBits32(r, PortFeatureBits),
    peer: readBits32(r, PortFeatureBits),
    curr_speed: r.u32('curr_speed'),
    max_speed: r.u32('max_speed'),
  };
}

export function encodePort(w: Writer, p: Port): void {
  writePortNo(w, p.port_no);
  w.pad(4);
  writeMac(w, p.hw_addr);
  w.pad(2);
  w.str(p.name, 16, true);
  writeBits32(w, PortConfigBits, p.config);
  writeBits32(w, PortStateBits, p.state);
  writeBits32(w, PortFeatureBits, p.curr);
  writeBits32(w, PortFeatureBits, p.advertised);
  writeBits32(w, PortFeatureBits, p.supported);
  writeBits32(w, PortFeatureBits, p.peer);
  w.u32(p.curr_speed);
  w.u32(p.max_speed);
}
