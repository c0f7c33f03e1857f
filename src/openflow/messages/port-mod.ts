import { readBits32, writeBits32 } from '../enums.js';
import { readPortNo, writePortNo, type PortNo } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { readMac, writeMac } from '../structs/addr.js';
import { PortConfigBits, PortFeatureBits } from '../structs/port.js';

export interface PortMod {
  readonly type: 'port_mod';
  readonly xid: number;
  readonly port_no: PortNo;
  readonly hw_addr: string;
  /** Bits to set; `mask` says which bits of config to change. */
  readonly config: readonly string[];
  readonly mask: readonly string[];
  /** Features to advertise; empty = leave unchanged. */
  readonly advertise: readonly string[];
}

/** ofp_port_mod, OF 1.3.5 §7.3.4.3: port_no(4) pad(4) hw_addr(6) pad(2) config(4) mask(4) advertise(4) pad(4). */
export function decodePortMod(r: Reader, xid: number): PortMod {
  const port_no = readPortNo(r);
  r.pad(4);
  const hw_addr = readMac(r);
  r.pad(2);
  const config = readBits32(r, PortConfigBits);
  const mask = readBits32(r, PortConfigBits);
  const advertise = readBits32(r, PortFeatureBits);
  r.pad(4);
  return { type: 'port_mod', xid, port_no, hw_addr, config, mask, advertise };
}

export function encodePortMod(w: Writer, m: PortMod): void {
  writePortNo(w, m.port_no);
  w.pad(4);
  writeMac(w, m.hw_addr);
  w.pad(2);
  writeBits32(w, PortConfigBits, m.config ?? []);
  writeBits32(w, PortConfigBits, m.mask ?? []);
  writeBits32(w, PortFeatureBits, m.advertise ?? []);
  w.pad(4);
}
