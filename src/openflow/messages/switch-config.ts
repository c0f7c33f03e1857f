import { enumTable, readEnum16, writeEnum16 } from '../enums.js';
import { readMaxLen, writeMaxLen, type MaxLen } from '../common.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** ofp_config_flags: IP fragment handling (OFPC_FRAG_*). */
export const ConfigFlags = enumTable('config flags', { frag_normal: 0, frag_drop: 1, frag_reasm: 2 });

/** GET_CONFIG_REPLY and SET_CONFIG share ofp_switch_config. */
export interface SwitchConfig<T extends 'get_config_reply' | 'set_config' = 'get_config_reply' | 'set_config'> {
  readonly type: T;
  readonly xid: number;
  readonly flags: string | number;
  /** Bytes of a table-miss packet sent to the controller; 'no_buffer' = whole packet. */
  readonly miss_send_len: MaxLen;
}

/** ofp_switch_config, OF 1.3.5 §7.3.2: flags(2) miss_send_len(2). */
export function decodeSwitchConfig<T extends 'get_config_reply' | 'set_config'>(r: Reader, xid: number, type: T): SwitchConfig<T> {
  const flags = readEnum16(r, ConfigFlags);
  const miss_send_len = readMaxLen(r);
  return { type, xid, flags, miss_send_len };
}

export function encodeSwitchConfig(w: Writer, m: SwitchConfig): void {
  writeEnum16(w, ConfigFlags, m.flags ?? 'frag_normal');
  writeMaxLen(w, m.miss_send_len);
}
