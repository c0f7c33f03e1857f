// IP addresses as text: IPv4 dotted decimal, IPv6 in RFC 5952 form
// (lowercase, no leading zeros, longest run of two or more zero groups
// compressed, the first on a tie). IPv4-mapped addresses print in plain hex
// groups ("::ffff:a00:1") rather than RFC 5952 §5's optional mixed notation,
// because src/openflow prints OXM ipv6 fields that way and a host learned
// from a packet-in must compare equal to the same host in a flow match.
// Parsing is strict: malformed text is undefined, never a different address.

import { hexDigit, macToString } from './mac.js';

export function ipv4ToString(buf: Uint8Array, off = 0): string {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

/** Writes the 4 bytes at `out[at]`; false (and `out` partly written) when `s` is not dotted decimal. */
function parseIpv4Into(s: string, from: number, to: number, out: Uint8Array, at: number): boolean {
  let part = 0;
  let value = 0;
  let digits = 0;
  let leadingZero = false;
  for (let i = from; i <= to; i++) {
    const c = i < to ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 3) return false;
      out[at + part++] = value;
      value = 0;
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57) return false;
    // "010" is octal to some tools and decimal to others: refuse it.
    if (digits === 1 && leadingZero) return false;
    if (digits === 0) leadingZero = c === 48;
    value = value * 10 + (c - 48);
    if (++digits > 3 || value > 255) return false;
  }
  return part === 4;
}

export function parseIpv4Address(s: string): Buffer | undefined {
  if (typeof s !== 'string' || s.length < 7 || s.length > 15) return undefined;
  const out = Buffer.alloc(4);
  return parseIpv4Into(s, 0, s.length, out, 0) ? out : undefined;
}

export function ipv6ToString(buf: Uint8Array, off = 0): string {
  let bestStart = -1;
  let bestLen = 1; // a single zero group is never compressed
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    const zero = (buf[off + 2 * i]! | buf[off + 2 * i + 1]!) === 0;
    if (zero) {
      if (runStart < 0) runStart = i;
      if (i - runStart + 1 > bestLen) {
        bestStart = runStart;
        bestLen = i - runStart + 1;
      }
    } else {
      runStart = -1;
    }
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += ((buf[off + 2 * i]! << 8) | buf[off + 2 * i + 1]!).toString(16);
    if (i < 7) s += ':';
  }
  return s;
}

export function parseIpv6Address(s: string): Buffer | undefined {
  if (typeof s !== 'string' || s.length < 2 || s.length > 45) return undefined;
  const out = Buffer.alloc(16);
  const groups: number[] = [];
  let gap = -1; // index in `groups` where "::" stands
  let i = 0;
  const n = s.length;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return undefined;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    // A dotted quad may only be the last 32 bits.
    let end = i;
    let dotted = false;
    while (end < n && s.charCodeAt(end) !== 58) {
      if (s.charCodeAt(end) === 46) dotted = true;
      end++;
    }
    if (dotted) {
      if (end !== n || groups.length > 6) return undefined;
      const v4 = Buffer.alloc(4);
      if (!parseIpv4Into(s, i, end, v4, 0)) return undefined;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      i = end;
      break;
    }
    if (end === i || end - i > 4) return undefined;
    let v = 0;
    for (let k = i; k < end; k++) {
      const d = hexDigit(s.charCodeAt(k));
      if (d < 0) return undefined;
      v = (v << 4) | d;
    }
    groups.push(v);
    if (groups.length > 8) return undefined;
    i = end;
    if (i === n) break;
    // at a ':'
    if (s.charCodeAt(i + 1) === 58) {
      if (gap >= 0) return undefined;
      gap = groups.length;
      i += 2;
    } else {
      i += 1;
      if (i === n) return undefined; // trailing single ':'
    }
  }
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return undefined;
  const tail = gap < 0 ? 0 : groups.length - gap;
  for (let g = 0; g < groups.length; g++) {
    const slot = gap >= 0 && g >= gap ? 8 - tail + (g - gap) : g;
    out[2 * slot] = groups[g]! >> 8;
    out[2 * slot + 1] = groups[g]! & 0xff;
  }
  return out;
}

/** 4 bytes for dotted text, 16 for IPv6 text. */
export function parseIpAddress(s: string): Buffer | undefined {
  if (typeof s !== 'string') return undefined;
  return s.includes(':') ? parseIpv6Address(s) : parseIpv4Address(s);
}

/** ff02::1:ffXX:XXXX, where a neighbor solicitation for `target` is sent (RFC 4291 §2.7.1). */
export function solicitedNodeMulticast(target: string): string | undefined {
  const b = parseIpv6Address(target);
  if (!b) return undefined;
  const out = Buffer.from('ff0200000000000000000001ff000000', 'hex');
  b.copy(out, 13, 13, 16);
  return ipv6ToString(out);
}

/** 33:33 and the address's low 32 bits: the Ethernet group an IPv6 multicast maps to (RFC 2464 §7). */
export function ipv6MulticastMac(group: string): string | undefined {
  const b = parseIpv6Address(group);
  if (!b || b[0] !== 0xff) return undefined;
  return macToString(Buffer.from([0x33, 0x33, b[12]!, b[13]!, b[14]!, b[15]!]));
}
