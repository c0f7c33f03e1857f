import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** OFPT_EXPERIMENTER, OF 1.3.5 §7.5.4: experimenter(4) exp_type(4) data(...), kept as bytes. */
export interface ExperimenterMsg {
  readonly type: 'experimenter';
  readonly xid: number;
  readonly experimenter: number;
  readonly exp_type: number;
  readonly data: Buffer;
}

export function decodeExperimenterMsg(r: Reader, xid: number): ExperimenterMsg {
  const experimenter = r.u32('experimenter');
  const exp_type = r.u32('exp_type');
  return { type: 'experimenter', xid, experimenter, exp_type, data: r.bytes(r.remaining, 'experimenter data') };
}
export function encodeExperimenterMsg(w: Writer, m: ExperimenterMsg): void {
  w.u32(m.experimenter);
  w.u32(m.exp_type);
  w.bytes(m.data ?? Buffer.alloc(0));
}
