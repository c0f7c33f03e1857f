import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** OFPMP_EXPERIMENTER body, request and reply alike (ofp_experimenter_multipart_header, OF 1.3.5 §7.3.5.15). */
export interface ExperimenterBody {
  readonly type: 'experimenter';
  readonly experimenter: number;
  readonly exp_type: number;
  /** Everything after the header, as sent. */
  readonly data: Buffer;
}

// ofp_experimenter_multipart_header, OF 1.3.5 §7.3.5.15: experimenter(4) exp_type(4) data(rest)
export function decodeExperimenterBody(r: Reader): ExperimenterBody {
  const experimenter = r.u32('experimenter');
  const exp_type = r.u32('exp_type');
  return { type: 'experimenter', experimenter, exp_type, data: r.bytes(r.remaining) };
}

// ofp_experimenter_multipart_header, OF 1.3.5 §7.3.5.15: experimenter(4) exp_type(4) data
export function encodeExperimenterBody(w: Writer, b: ExperimenterBody): void {
  w.u32(b.experimenter);
  w.u32(b.exp_type);
  w.bytes(b.data);
}
