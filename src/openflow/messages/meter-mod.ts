import { readMeterId, writeMeterId, type MeterId } from '../common.js';
import { bitTable, enumTable, enumValue, readBits16, readEnum16, show, writeBits16 } from '../enums.js';
import { ofpError } from './error-codes.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodeMeterBand, encodeMeterBands, METER_BANDS, type MeterBand } from '../structs/meter-band.js';

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

const BAD_COMMAND = ofpError('meter_mod_failed', 'bad_command');
const BAD_BAND = ofpError('meter_mod_failed', 'bad_band');
const COMMANDS = [...MeterModCommandNames.byName.keys()].join(', ');
const BAND_TYPES = METER_BANDS.kinds.map((k) => k.type).join(', ');

// ofp_meter_mod, OF 1.3.5 §7.3.4.4: command(2) flags(2) meter_id(4) bands(rest).
// A switch answers an undefined command with OFPMMFC_BAD_COMMAND and a band
// of undefined type with OFPMMFC_BAD_BAND; so does this decoder.
export function decodeMeterMod(r: Reader, xid: number): MeterMod {
  const at = r.pos;
  const command = readEnum16(r, MeterModCommandNames) as MeterModCommand | number;
  if (typeof command === 'number') r.fail('bad_value', `meter_mod command ${command} is not defined; expected ${COMMANDS}`, at, BAD_COMMAND);
  const flags = readBits16(r, MeterFlagBits);
  const meter_id = readMeterId(r);
  const bands: MeterBand[] = [];
  while (r.pos < r.end) {
    const start = r.pos;
    const band = decodeMeterBand(r);
    if (band.type === 'unknown') r.fail('bad_value', `meter band type ${band.code} is not defined; expected ${BAND_TYPES}`, start, BAD_BAND);
    bands.push(band);
  }
  return { type: 'meter_mod', xid, command, flags, meter_id, bands };
}

// ofp_meter_mod, OF 1.3.5 §7.3.4.4: command(2) flags(2) meter_id(4) bands; the same rules as decode
export function encodeMeterMod(w: Writer, m: MeterMod): void {
  const command = typeof m.command === 'string' || typeof m.command === 'number' ? enumValue(MeterModCommandNames, m.command) : undefined;
  if (command === undefined || !MeterModCommandNames.byValue.has(command)) {
    w.fail(`meter_mod command ${show(m.command)} is not defined; expected ${COMMANDS}`, BAD_COMMAND);
  }
  w.u16(command);
  writeBits16(w, MeterFlagBits, m.flags);
  writeMeterId(w, m.meter_id);
  if (Array.isArray(m.bands)) {
    m.bands.forEach((b: unknown, i) => {
      const type = typeof b === 'object' && b !== null ? (b as { type?: unknown }).type : undefined;
      if (typeof type !== 'string' || METER_BANDS.byType(type) === undefined) {
        w.fail(`bands[${i}]: meter band type ${show(type)} is not defined; expected ${BAND_TYPES}`, BAD_BAND);
      }
    });
  }
  encodeMeterBands(w, m.bands);
}
