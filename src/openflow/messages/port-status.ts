import { enumTable, readEnum8, writeEnum8 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodePort, encodePort, type Port } from '../structs/port.js';

export const PortReasons = enumTable('port_status reason', { add: 0, delete: 1, modify: 2 });

export interface PortStatus {
  readonly type: 'port_status';
  readonly xid: number;
  readonly reason: 'add' | 'delete' | 'modify' | number;
  readonly desc: Port;
}

/** ofp_port_status, OF 1.3.5 §7.4.3: reason(1) pad(7) desc(ofp_port, 64). */
export function decodePortStatus(r: Reader, xid: number): PortStatus {
  const reason = readEnum8(r, PortReasons) as PortStatus['reason'];
  r.pad(7);
  return { type: 'port_status', xid, reason, desc: decodePort(r) };
}

export function encodePortStatus(w: Writer, m: PortStatus): void {
  writeEnum8(w, PortReasons, m.reason);
  w.pad(7);
  encodePort(w, m.desc);
}
