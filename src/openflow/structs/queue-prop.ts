import { readPortNo, writePortNo, type PortNo } from '../common.js';
import { enumTable } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeUntilEnd, needObject, peekLength } from '../multipart/record.js';
import { experimenterKind, kind, TlvFrame, TlvRegistry, type TlvKind } from '../tlv.js';


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

const QUEUE_LEN = 16;

const prop = kind<QueueProp>();

// ofp_queue_prop_min_rate / _max_rate, OF 1.3.5 §7.2.2: header(8) rate(2) pad(6)
function rate<T extends 'min_rate' | 'max_rate'>(code: number, type: T): TlvKind<QueueProp> {
  return prop({
    code, type, length: { exact: 16 },
    decode(r) {
      const rate = r.u16('rate');
      r.pad(6);
      return { type, rate } as Extract<QueueProp, { type: T }>;
    },
    encode(w, p) {
      w.u16((p as { rate: number }).rate);
      w.pad(6);
    },
  });
}

/** ofp_queue_properties, OF 1.3.5 §7.2.2. */
export const QUEUE_PROPS = new TlvRegistry<QueueProp>('queue property', [
  rate(1, 'min_rate'),
  rate(2, 'max_rate'),
  // ofp_queue_prop_experimenter, OF 1.3.5 §7.2.2: header(8) experimenter(4) pad(4) data(len-16)
  experimenterKind<QueueProp>({ code: 0xffff, length: { min: 16 }, pad: 4 }),
], 8, { length: 8, name: 'ofp_queue_prop_header' }, 'queue property');

/** ofp_queue_properties by name. */
export const QueuePropTypeNames = enumTable('queue property', QUEUE_PROPS.codes);

const FRAME = new TlvFrame(QUEUE_PROPS, {
  // ofp_queue_prop_header, OF 1.3.5 §7.2.2: after property(2) len(2): pad(4)
  decode: (r) => r.pad(4),
  encode: (w) => w.pad(4),
}, false, true);

/** One property (ofp_queue_prop_header + body, OF 1.3.5 §7.2.2). */
export function decodeQueueProp(r: Reader): QueueProp {
  return FRAME.decode(r);
}

/** One property (ofp_queue_prop_header + body, OF 1.3.5 §7.2.2). */
export function encodeQueueProp(w: Writer, p: QueueProp): void {
  FRAME.encode(w, p);
}

// ofp_packet_queue, OF 1.3.5 §7.2.2: queue_id(4) port(4) len(2) pad(6) properties(len-16)
export function decodePacketQueue(r: Reader): PacketQueue {
  const saved = r.limit(peekLength(r, 8, QUEUE_LEN, 'packet queue'), 'packet queue');
  const queue_id = r.u32('queue_id');
  const port = readPortNo(r);
  r.pos += 2;
  r.pad(6);
  const properties = FRAME.decodeRest(r);
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
  FRAME.encodeList(w, q.properties, 'queue properties');
  w.patch16(at, start);
}
