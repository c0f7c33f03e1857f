// The Internet checksum (RFC 1071): one's-complement sum of 16-bit
// big-endian words, an odd last byte padded with zero. TCP, UDP and ICMPv6
// also cover a pseudo-header of the IP addresses, protocol and length
// (RFC 793 §3.1, RFC 768, RFC 8200 §8.1), which is summed separately so a
// segment never has to be copied next to a fake header.

/** Folded 16-bit one's-complement sum of buf[start, end), added to `initial`. */
export function onesComplementSum(buf: Uint8Array, start = 0, end = buf.length, initial = 0): number {
  let sum = initial;
  let i = start;
  // Doubles stay exact far past any frame size, so fold once at the end.
  for (; i + 1 < end; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
  if (i < end) sum += buf[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** The value that goes in a checksum field (the field itself summed as zero). */
export function internetChecksum(buf: Uint8Array, start = 0, end = buf.length, initial = 0): number {
  return ~onesComplementSum(buf, start, end, initial) & 0xffff;
}

/**
 * Sum of the IPv4 (12-byte) or IPv6 (40-byte) pseudo-header, chosen by the
 * address length (4 or 16 bytes).
 */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, protocol: number, length: number): number {
  let sum = onesComplementSum(src, 0, src.length, 0);
  sum = onesComplementSum(dst, 0, dst.length, sum);
  // IPv6 carries a 32-bit length; IPv4's is 16 bits. Both sum the same way.
  sum += Math.floor(length / 0x10000) + (length & 0xffff) + protocol;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** Checksum of a whole TCP/UDP/ICMPv6 segment (its checksum field zeroed or to be verified). */
export function transportChecksum(src: Uint8Array, dst: Uint8Array, protocol: number, segment: Uint8Array, start = 0, end = segment.length): number {
  return internetChecksum(segment, start, end, pseudoHeaderSum(src, dst, protocol, end - start));
}
