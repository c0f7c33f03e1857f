import { readPortNo, writePortNo, type PortNo } from '../common.js';
import { enumTable } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeUntilEnd, encodeEach, needObject, peekLength, show } from '../multipart/record.js';

/** ofp_queue_properties. */
export const QueuePropTypeNames = enumTable('queue property', { min_rate: 1, max_rate: 2, experimenter: 0xffff });

/** ofp_queue_prop_*, OF 1.3.5 §7.2.2. */
export type QueueProp =
  /** rate: in 1/10 of a percent of the port speed; above 1000 means disabled. */
  | { readonly type: 'min_rate'; readonly rate: number }
  | { readonly type: 'max_rate'; readonly rate: number }
  /** data: whatever follows the experimenter id and its 4 pad bytes, as sent. */
  | { readonly type: 'experimenter'; readonly experimenter: number; readonly data: Buffer }
  /** A property the spec does not define: everything after the 8-byte header. */
  | { readonly type: 'unknown'; readonly code: number; readonly data: Buffer };

/** ofp_packet_queue, OF 1.3.5 §7.2.2: one queue of a queue_get_config_reply. */
export interface PacketQueue {
  readonly queue_id: number;
  /** The port the queue is attached to. */
  readonly port: PortNo;
  readonly properties: readonly QueueProp[];
}

const PROP_HEADER_LEN = 8;
const PROP_LEN = 16;
const QUEUE_LEN = 16;

// ofp_queue_prop_header + body, OF 1.3.5 §7.2.2: property(2) len(2) pad(4) then
// min_rate/max_rate: rate(2) pad(6); experimenter: experimenter(4) pad(4) data(len-16); other: data(len-8)
export function decodeQueueProp(r: Reader): QueueProp {
  r.need(2, 'queue property type');
  const code = (r.buf[r.pos]! << 8) | r.buf[r.pos + 1]!;
  const known = code === 1 || code === 2 || code === 0xffff;
  const saved = r.limit(peekLength(r, 2, known ? PROP_LEN : PROP_HEADER_LEN, 'queue property'), 'queue property');
  r.pos += 4;
  r.pad(4);
  let prop: QueueProp;
  if (code === 1 || code === 2) {
    const rate = r.u16('rate');
    r.pad(6);
    prop = { type: code === 1 ? 'min_rate' : 'max_rate', rate };
  } else if (code === 0xffff) {
    const experimenter = r.u32('experimenter');
    r.pad(4);
    prop = { type: 'experimenter', experimenter, data: r.bytes(r.remaining) };
  } else {
    prop = { type: 'unknown', code, data: r.bytes(r.remaining) };
  }
  r.restore(saved, 'queue property');
  return prop;
}

// ofp_queue_prop_header + body, OF 1.3.5 §7.2.2: property(2) len(2) pad(4) body
export function encodeQueueProp(w: Writer, p: QueueProp): void {
  const start = w.pos;
  const code = p.type === 'unknown' ? p.code : QueuePropTypeNames.byName.get(p.type);
  if (code === undefined) {
    w.fail(`unknown queue property ${show(p.type)}; expected min_rate, max_rate, experimenter or unknown`);
  }
  w.u16(code);
  const at = w.reserve16();
  w.pad(4);
  switch (p.type) {
    case 'min_rate':
    case 'max_rate':
      w.u16(p.rate);
      w.pad(6);
      break;
    case 'experimenter':
      w.u32(p.experimenter);
      w.pad(4);
      w.bytes(p.data);
      break;
    case 'unknown':
      w.bytes(p.data);
      break;
  }
  w.patch16(at, start);
}

// ofp_packet_queue, OF 1.3.5 §7.2.2: queue_id(4) port(4) len(2) pad(6) properties(len-16)
export function decodePacketQueue(r: Reader): PacketQueue {
  const saved = r.limit(peekLength(r, 8, QUEUE_LEN, 'packet queue'), 'packet queue');
  const queue_id = r.u32('queue_id');
  const port = readPortNo(r);
  r.pos += 2;
  r.pad(6);
  const properties = decodeUntilEnd(r, decodeQueueProp);
  r.restore(saved, 'packet queue');
  return { queue_id, port, properties };
}

// ofp_packet_queue, OF 1.3.5 §7.2.2: queue_id(4) port(4) len(2) pad(6) properties
export function encodePacketQueue(w: Writer, q: PacketQueue): void {
  needObject(w, q, 'queue');
  const start = w.pos;
  w.u32(q.queue_id);
  writePortNo(w, q.port);
  const at = w.reserve16();
  w.pad(6);
  encodeEach(w, q.properties, 'queue properties', encodeQueueProp);
  w.patch16(at, start);
}
