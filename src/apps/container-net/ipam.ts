// Address arithmetic for the IPAM, on ipaddr.js (the design card's choice:
// a small, well-kept parser that handles CIDR, prefix masks and range
// matching, which hand-rolled dotted-quad code tends to get subtly wrong).
// Pure functions only: which addresses are taken is the store's business.

import ipaddr from 'ipaddr.js';
import { NetError } from './types.js';

/** The smallest pool worth having: network, gateway, one host, broadcast. */
const MAX_PREFIX = 30;

export interface Subnet {
  /** Canonical "a.b.c.d/len" with the host bits cleared. */
  readonly cidr: string;
  readonly prefix: number;
  /** First and last address as 32-bit unsigned numbers (network and broadcast). */
  readonly first: number;
  readonly last: number;
}

const toNum = (ip: ipaddr.IPv4): number => ip.octets.reduce((n, o) => n * 256 + o, 0);
export const numToIp = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** Parse an IPv4 address in dotted-quad form, or throw a 400 naming `what`. */
export function parseIp(s: string, what: string): number {
  if (typeof s !== 'string' || !ipaddr.IPv4.isValidFourPartDecimal(s)) throw new NetError(400, 'invalid_address', `${what} ${JSON.stringify(s)} is not an IPv4 address like 10.20.0.5`);
  return toNum(ipaddr.IPv4.parse(s));
}

/**
 * Parse a subnet. Host bits must be zero ("10.20.0.5/24" is refused with
 * the CIDR it probably meant), so one subnet has one spelling.
 */
export function parseSubnet(s: string): Subnet {
  if (typeof s !== 'string' || !ipaddr.IPv4.isValidCIDRFourPartDecimal(s)) {
    throw new NetError(400, 'invalid_subnet', `subnet ${JSON.stringify(s)} is not an IPv4 CIDR like 10.20.0.0/24`);
  }
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(s);
  if (prefix < 8 || prefix > MAX_PREFIX) throw new NetError(400, 'invalid_subnet', `subnet ${s}: the prefix length must be 8 to ${MAX_PREFIX}, got /${prefix}`);
  const first = toNum(ipaddr.IPv4.networkAddressFromCIDR(s));
  const last = toNum(ipaddr.IPv4.broadcastAddressFromCIDR(s));
  const cidr = `${numToIp(first)}/${prefix}`;
  if (toNum(addr) !== first) throw new NetError(400, 'invalid_subnet', `subnet ${s} has host bits set; did you mean ${cidr}?`);
  return { cidr, prefix, first, last };
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** Whether `ip` may be given to someone: inside the subnet and neither its network nor its broadcast address. */
export function isUsable(s: Subnet, ip: number): boolean {
  return ip > s.first && ip < s.last;
}

/** The gateway: the one given (checked), or the first usable address. */
export function gatewayOf(s: Subnet, given?: string): string {
  if (given === undefined) return numToIp(s.first + 1);
  const ip = parseIp(given, 'gateway');
  if (!isUsable(s, ip)) throw new NetError(400, 'invalid_gateway', `gateway ${given} is not a usable address of ${s.cidr} (not its network or broadcast address, and inside it)`);
  return given;
}

/** The lowest usable address not in `taken`, or a 409 when the pool is full. */
export function lowestFree(s: Subnet, taken: ReadonlySet<string>): string {
  for (let n = s.first + 1; n < s.last; n++) {
    const ip = numToIp(n);
    if (!taken.has(ip)) return ip;
  }
  throw new NetError(409, 'pool_exhausted', `no free address left in ${s.cidr} (${s.last - s.first - 1} usable, all taken); detach an endpoint or use a larger subnet`);
}

/** An address someone asked for by name: inside the subnet, usable and free, or a clear refusal. */
export function checkRequested(s: Subnet, ip: string, taken: ReadonlySet<string>): string {
  const n = parseIp(ip, 'address');
  if (n < s.first || n > s.last) throw new NetError(400, 'address_outside_subnet', `address ${ip} is outside the subnet ${s.cidr}`);
  if (!isUsable(s, n)) throw new NetError(400, 'address_reserved', `address ${ip} is the network or broadcast address of ${s.cidr}`);
  if (taken.has(ip)) throw new NetError(409, 'address_taken', `address ${ip} of ${s.cidr} is already allocated`);
  return ip;
}

/**
 * A locally administered unicast MAC made from the IPv4 address (as
 * Kubernetes' bridge plugins do with 0a:58): stable across restarts and
 * unique because subnets never overlap.
 */
export function macForIp(ip: string): string {
  const n = parseIp(ip, 'address');
  return ['0a', '58', ...[n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** The MAC the controller answers ARP with for a network's gateway (network id in the low bytes). */
export function gatewayMac(networkId: number): string {
  return ['0a', '53', '59', (networkId >>> 16) & 255, (networkId >>> 8) & 255, networkId & 255].map((b) => (typeof b === 'string' ? b : b.toString(16).padStart(2, '0'))).join(':');
}
