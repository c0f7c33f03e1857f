import { readBufferId, readPortNo, writeBufferId, writePortNo, type BufferId, type PortNo } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeActions, encodeActions, type Action } from '../structs/action.js';

export interface PacketOut {
  readonly type: 'packet_out';
  readonly xid: number;
  readonly buffer_id: BufferId;
  readonly in_port: PortNo;
  readonly actions: readonly Action[];
  /** Empty when buffer_id names a buffered packet. */
  readonly data: Buffer;
}

/** ofp_packet_out, OF 1.3.5 §7.3.7: buffer_id(4) in_port(4) actions_len(2) pad(6) actions(actions_len) data(...). */
export function decodePacketOut(r: Reader, xid: number): PacketOut {
  const buffer_id = readBufferId(r);
  const in_port = readPortNo(r);
  const actionsLen = r.u16('actions_len');
  r.pad(6);
  const actions = decodeActions(r, actionsLen);
  return { type: 'packet_out', xid, buffer_id, in_port, actions, data: r.bytes(r.remaining, 'packet data') };
}

export function encodePacketOut(w: Writer, m: PacketOut): void {
  writeBufferId(w, m.buffer_id ?? 'no_buffer');
  writePortNo(w, m.in_port ?? 'controller');
  const len = w.reserve16();
  w.pad(6);
  const start = w.pos;
  encodeActions(w, m.actions ?? []);
  w.patch16(len, start);
  w.bytes(m.data ?? Buffer.alloc(0));
}
