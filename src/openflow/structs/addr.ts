import { show } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

// Addresses travel as text: MACs lowercase with colons, IPv4 dotted, IPv6 in
// RFC 5952 canonical form. Parsing is strict: a malformed address is an
// encode error, never a silently different value.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function readMac(r: Reader, what = 'mac'): string {
  r.need(6, what);
  const b = r.buf;
  const p = r.pos;
  r.pos = p + 6;
  return `${HEX[b[p]!]}:${HEX[b[p + 1]!]}:${HEX[b[p + 2]!]}:${HEX[b[p + 3]!]}:${HEX[b[p + 4]!]}:${HEX[b[p + 5]!]}`;
}

/** Hex digit value by character code, -1 for anything else. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) HEX_VALUE[65 + i] = HEX_VALUE[97 + i] = 10 + i;

// An L2 app writes the same few host MACs into flow-mod after flow-mod, so
// parsed MACs are remembered (a bounded cache: cleared when full).
const MAC_CACHE_SIZE = 4096;
const macSlots = new Map<string, number>();
const macBytes = new Uint8Array(MAC_CACHE_SIZE * 6);

function parseMacInto(b: Uint8Array, p: number, mac: string): boolean {
  if (mac.length === 17) {
    let bad = 0;
    for (let i = 0, j = 0; i < 6; i++, j += 3) {
      const c1 = mac.charCodeAt(j);
      const c2 = mac.charCodeAt(j + 1);
      const hi = c1 < 128 ? HEX_VALUE[c1]! : -1;
      const lo = c2 < 128 ? HEX_VALUE[c2]! : -1;
      if (i < 5) {
        const sep = mac.charCodeAt(j + 2);
        if (sep !== 58 && sep !== 45) bad = 1;
      }
      bad |= (hi | lo) & 0x80;
      b[p + i] = (hi << 4) | lo;
    }
    return bad === 0;
  }
  return false;
}

/** Parsed by hand with a table and cached: this runs for every flow-mod an L2 app sends. */
export function writeMac(w: Writer, mac: unknown): void {
  if (typeof mac === 'string') {
    let slot = macSlots.get(mac);
    if (slot === undefined) {
      if (macSlots.size >= MAC_CACHE_SIZE) macSlots.clear();
      const at = macSlots.size * 6;
      if (parseMacInto(macBytes, at, mac)) {
        slot = at;
        macSlots.set(mac, at);
      }
    }
    if (slot !== undefined) {
      w.grow(6);
      const b = w.buf;
      const p = w.pos;
      b[p] = macBytes[slot]!;
      b[p + 1] = macBytes[slot + 1]!;
      b[p + 2] = macBytes[slot + 2]!;
      b[p + 3] = macBytes[slot + 3]!;
      b[p + 4] = macBytes[slot + 4]!;
      b[p + 5] = macBytes[slot + 5]!;
      w.pos = p + 6;
      return;
    }
  }
  w.fail(`${show(mac)} is not a MAC address like aa:bb:cc:dd:ee:ff`);
}

export function readIpv4(r: Reader, what = 'ipv4'): string {
  r.need(4, what);
  const b = r.buf;
  const p = r.pos;
  r.pos = p + 4;
  return `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
}

/**
 * Dotted-quad text to a 32-bit number, strictly (no leading zeros, each part
 * 0-255); a hand-written scanner because flow-mods carry IPv4 matches.
 */
export function ipv4ToNumber(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || dots === 3) return undefined;
      v = v * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57 && !(digits > 0 && part === 0) /* no leading zeros */) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return v * 256 + part;
}

export function parseIpv4(s: unknown): number[] | undefined {
  const v = ipv4ToNumber(s);
  return v === undefined ? undefined : [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

export function writeIpv4(w: Writer, ip: unknown): void {
  const v = ipv4ToNumber(ip);
  if (v === undefined) w.fail(`${show(ip)} is not an IPv4 address like 10.0.0.1`);
  w.u32(v);
}

export function formatIpv6(b: Uint8Array, p = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[p + 2 * i]! << 8) | b[p + 2 * i + 1]!);
  // RFC 5952: compress the longest run (>= 2) of zero words, first one on ties.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function readIpv6(r: Reader, what = 'ipv6'): string {
  r.need(16, what);
  const s = formatIpv6(r.buf, r.pos);
  r.pos += 16;
  return s;
}

export function parseIpv6(s: unknown): number[] | undefined {
  if (typeof s !== 'string' || s.length > 45) return undefined;
  let text = s;
  // Embedded IPv4 (::ffff:1.2.3.4) becomes two hex groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    text = `${text.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseHalf = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseHalf(halves[0]!);
  const rest = halves.length === 2 ? parseHalf(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const words = [...head, ...rest];
  if (halves.length === 1 ? words.length !== 8 : words.length > 7) return undefined;
  const fill = 8 - words.length;
  const full = halves.length === 2 ? [...head, ...Array<number>(fill).fill(0), ...rest] : words;
  const bytes: number[] = [];
  for (const x of full) bytes.push(x >> 8, x & 0xff);
  return bytes;
}

export function writeIpv6(w: Writer, ip: unknown): void {
  const bytes = parseIpv6(ip);
  if (!bytes) w.fail(`${show(ip)} is not an IPv6 address like fe80::1`);
  for (const n of bytes) w.u8(n);
}
