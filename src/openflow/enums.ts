import type { Reader } from './reader.js';
import type { Writer } from './writer.js';
import { show } from './show.js';

/**
 * Spec enums travel as names in JSON ("no_match", "controller"); values the
 * spec does not name stay numbers so nothing is lost. Bitmaps travel as name
 * lists; a bit the spec does not name is kept as "0x<hex>".
 */
export interface EnumTable<N extends string> {
  readonly byValue: ReadonlyMap<number, N>;
  readonly byName: ReadonlyMap<string, number>;
  readonly what: string;
}

export function enumTable<N extends string>(what: string, entries: Readonly<Record<N, number>>): EnumTable<N> {
  const byValue = new Map<number, N>();
  const byName = new Map<string, number>();
  for (const [name, value] of Object.entries(entries) as [N, number][]) {
    byValue.set(value, name);
    byName.set(name, value);
  }
  return { byValue, byName, what };
}

export function enumName<N extends string>(t: EnumTable<N>, v: number): N | number {
  return t.byValue.get(v) ?? v;
}

/** Name or number to wire value; undefined if the name is unknown (caller reports). */
export function enumValue(t: EnumTable<string>, v: string | number): number | undefined {
  if (typeof v === 'number') return v;
  return t.byName.get(v);
}

export function readEnum8<N extends string>(r: Reader, t: EnumTable<N>): N | number {
  return enumName(t, r.u8(t.what));
}
export function readEnum16<N extends string>(r: Reader, t: EnumTable<N>): N | number {
  return enumName(t, r.u16(t.what));
}
export function readEnum32<N extends string>(r: Reader, t: EnumTable<N>): N | number {
  return enumName(t, r.u32(t.what));
}

function wireValue(w: Writer, t: EnumTable<string>, v: string | number): number {
  const n = enumValue(t, v);
  if (n === undefined) w.fail(`unknown ${t.what} ${show(v)}; expected one of ${[...t.byName.keys()].join(', ')} or a number`);
  return n;
}
export function writeEnum8(w: Writer, t: EnumTable<string>, v: string | number): void {
  w.u8(wireValue(w, t, v));
}
export function writeEnum16(w: Writer, t: EnumTable<string>, v: string | number): void {
  w.u16(wireValue(w, t, v));
}
export function writeEnum32(w: Writer, t: EnumTable<string>, v: string | number): void {
  w.u32(wireValue(w, t, v));
}

/** Bit names by bit value (1 << n). */
export type BitTable<N extends string> = EnumTable<N>;
export const bitTable = enumTable;

export function bitsToNames<N extends string>(t: BitTable<N>, v: number): (N | `0x${string}`)[] {
  const out: (N | `0x${string}`)[] = [];
  for (let bit = 0; bit < 32 && v !== 0; bit++) {
    const mask = 2 ** bit;
    if (v % (mask * 2) >= mask) {
      v -= mask;
      out.push(t.byValue.get(mask) ?? (`0x${mask.toString(16)}` as `0x${string}`));
    }
  }
  return out;
}

export function namesToBits(w: Writer, t: BitTable<string>, names: readonly string[]): number {
  if (!Array.isArray(names)) w.fail(`${t.what} must be a list of flag names`);
  let v = 0;
  for (const name of names) {
    let bit = t.byName.get(name);
    if (bit === undefined && typeof name === 'string' && /^0x[0-9a-f]+$/i.test(name)) bit = parseInt(name, 16);
    if (bit === undefined) w.fail(`unknown ${t.what} flag ${show(name)}; expected one of ${[...t.byName.keys()].join(', ')}`);
    v = (v | bit) >>> 0;
  }
  return v;
}

export function readBits16<N extends string>(r: Reader, t: BitTable<N>): (N | `0x${string}`)[] {
  return bitsToNames(t, r.u16(t.what));
}
export function readBits32<N extends string>(r: Reader, t: BitTable<N>): (N | `0x${string}`)[] {
  return bitsToNames(t, r.u32(t.what));
}
export function writeBits16(w: Writer, t: BitTable<string>, names: readonly string[]): void {
  w.u16(namesToBits(w, t, names));
}
export function writeBits32(w: Writer, t: BitTable<string>, names: readonly string[]): void {
  w.u32(namesToBits(w, t, names));
}

export { show } from './show.js';
