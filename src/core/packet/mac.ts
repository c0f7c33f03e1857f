// MAC addresses as the rest of the controller sees them: lowercase text with
// colons. Formatting runs twice per packet-in, so it is a table lookup and
// one template, no regex and no intermediate arrays.

/** "00".."ff", indexed by byte value. */
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
export const ZERO_MAC = '00:00:00:00:00:00';

export function macToString(buf: Uint8Array, off = 0): string {
  const h = HEX_BYTE;
  return `${h[buf[off]!]}:${h[buf[off + 1]!]}:${h[buf[off + 2]!]}:${h[buf[off + 3]!]}:${h[buf[off + 4]!]}:${h[buf[off + 5]!]}`;
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
