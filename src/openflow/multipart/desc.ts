import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** OFPMP_DESC reply body (ofp_desc, OF 1.3.5 §7.3.5.1); the request has no body. */
export interface DescReply {
  readonly type: 'desc';
  readonly mfr_desc: string;
  readonly hw_desc: string;
  readonly sw_desc: string;
  readonly serial_num: string;
  /** Human-readable datapath description. */
  readonly dp_desc: string;
}

const DESC_STR_LEN = 256;
const SERIAL_NUM_LEN = 32;

// ofp_desc, OF 1.3.5 §7.3.5.1: mfr_desc(256) hw_desc(256) sw_desc(256) serial_num(32) dp_desc(256)
export function decodeDescReply(r: Reader): DescReply {
  return {
    type: 'desc',
    mfr_desc: r.str(DESC_STR_LEN, 'mfr_desc'),
    hw_desc: r.str(DESC_STR_LEN, 'hw_desc'),
    sw_desc: r.str(DESC_STR_LEN, 'sw_desc'),
    serial_num: r.str(SERIAL_NUM_LEN, 'serial_num'),
    dp_desc: r.str(DESC_STR_LEN, 'dp_desc'),
  };
}

// ofp_desc, OF 1.3.5 §7.3.5.1: mfr_desc(256) hw_desc(256) sw_desc(256) serial_num(32) dp_desc(256)
export function encodeDescReply(w: Writer, b: DescReply): void {
  w.str(b.mfr_desc, DESC_STR_LEN);
  w.str(b.hw_desc, DESC_STR_LEN);
  w.str(b.sw_desc, DESC_STR_LEN);
  w.str(b.serial_num, SERIAL_NUM_LEN);
  w.str(b.dp_desc, DESC_STR_LEN);
}
