import { readMeterId, writeMeterId, type MeterId } from '../common.js';
import { bitTable, enumTable, readBits16, readEnum16, writeBits16, writeEnum16 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeMeterBands, encodeMeterBands, type MeterBand } from '../structs/meter-band.js';

/** ofp_meter_mod_command. */
export const MeterModCommandNames = enumTable('meter_mod command', { add: 0, modify: 1, delete: 2 });
export type MeterModCommand = 'add' | 'modify' | 'delete';

/** ofp_meter_flags (also meter_config flags and meter_features capabilities). */
export const MeterFlagBits = bitTable('meter flags', { kbps: 1, pktps: 2, burst: 4, stats: 8 });

/** OFPT_METER_MOD, OF 1.3.5 §7.3.4.4. */
export interface MeterMod {
  readonly type: 'meter_mod';
  readonly xid: number;
  readonly command: MeterModCommand | number;
  /** Names from MeterFlagBits: 'kbps' | 'pktps' | 'burst' | 'stats'; unknown bits as "0x..". */
  readonly flags: readonly string[];
  readonly meter_id: MeterId;
  readonly bands: readonly MeterBand[];
}

// ofp_meter_mod, OF 1.3.5 §7.3.4.4: command(2) flags(2) meter_id(4) bands(rest)
export function decodeMeterMod(r: Reader, xid: number): MeterMod {
  const command = readEnum16(r, MeterModCommandNames) as MeterModCommand | number;
  const flags = readBits16(r, MeterFlagBits);
  const meter_id = readMeterId(r);
  const bands = decodeMeterBands(r);
  return { type: 'meter_mod', xid, command, flags, meter_id, bands };
}

// ofp_meter_mod, OF 1.3.5 §7.3.4.4: command(2) flags(2) meter_id(4) bands
export function encodeMeterMod(w: Writer, m: MeterMod): void {
  writeEnum16(w, MeterModCommandNames, m.command);
  writeBits16(w, MeterFlagBits, m.flags);
  writeMeterId(w, m.meter_id);
  encodeMeterBands(w, m.bands);
}
