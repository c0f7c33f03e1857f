// DHCP options (RFC 2132): code 1, length 1, value; pad (0) and end (255)
// are a single byte. The options an SDN controller acts on are decoded;
// every other one, and any whose length does not fit its definition, keeps
// its raw bytes so re-encoding reproduces it.

import { PacketBuildError, PacketError, truncated } from './errors.js';
import { ipv4Bytes, toBytes, uint, type Bytes } from './fields.js';
import { ipv4ToString } from './ip-address.js';

export const DHCP_OPT_PAD = 0;
export const DHCP_OPT_SUBNET_MASK = 1;
export const DHCP_OPT_ROUTER = 3;
export const DHCP_OPT_DNS = 6;
export const DHCP_OPT_HOSTNAME = 12;
export const DHCP_OPT_REQUESTED_IP = 50;
export const DHCP_OPT_LEASE_TIME = 51;
export const DHCP_OPT_MESSAGE_TYPE = 53;
export const DHCP_OPT_SERVER_ID = 54;
export const DHCP_OPT_CLIENT_ID = 61;
export const DHCP_OPT_END = 255;

export type DhcpOption =
  | { readonly type: 'subnet_mask' | 'requested_ip' | 'server_id'; readonly value: string }
  | { readonly type: 'router' | 'dns'; readonly value: readonly string[] }
  /** Lease time in seconds; message type 1..8 (DHCP_DISCOVER...). */
  | { readonly type: 'lease_time' | 'message_type'; readonly value: number }
  | { readonly type: 'hostname'; readonly value: string }
  /** The whole option value, hardware type byte first (hex when decoded). */
  | { readonly type: 'client_id'; readonly value: Bytes }
  /** Any other option: its code and value (hex when decoded). */
  | { readonly type: 'option'; readonly code: number; readonly data: Bytes };

const ADDRESS_CODES = { subnet_mask: DHCP_OPT_SUBNET_MASK, requested_ip: DHCP_OPT_REQUESTED_IP, server_id: DHCP_OPT_SERVER_ID } as const;
const LIST_CODES = { router: DHCP_OPT_ROUTER, dns: DHCP_OPT_DNS } as const;

function addresses(buf: Buffer, p: number, end: number): string[] {
  const out: string[] = [];
  for (; p < end; p += 4) out.push(ipv4ToString(buf, p));
  return out;
}

function decodeOne(buf: Buffer, code: number, p: number, end: number): DhcpOption {
  const n = end - p;
  switch (code) {
    case DHCP_OPT_SUBNET_MASK:
      if (n === 4) return { type: 'subnet_mask', value: ipv4ToString(buf, p) };
      break;
    case DHCP_OPT_REQUESTED_IP:
      if (n === 4) return { type: 'requested_ip', value: ipv4ToString(buf, p) };
      break;
    case DHCP_OPT_SERVER_ID:
      if (n === 4) return { type: 'server_id', value: ipv4ToString(buf, p) };
      break;
    case DHCP_OPT_ROUTER:
    case DHCP_OPT_DNS:
      if (n >= 4 && n % 4 === 0) return { type: code === DHCP_OPT_ROUTER ? 'router' : 'dns', value: addresses(buf, p, end) };
      break;
    case DHCP_OPT_LEASE_TIME:
      if (n === 4) return { type: 'lease_time', value: buf.readUInt32BE(p) };
      break;
    case DHCP_OPT_MESSAGE_TYPE:
      if (n === 1) return { type: 'message_type', value: buf[p]! };
      break;
    case DHCP_OPT_HOSTNAME: {
      const s = buf.toString('utf8', p, end);
      if (n >= 1 && Buffer.from(s).equals(buf.subarray(p, end))) return { type: 'hostname', value: s };
      break;
    }
    case DHCP_OPT_CLIENT_ID:
      if (n >= 2) return { type: 'client_id', value: buf.toString('hex', p, end) };
      break;
  }
  return { type: 'option', code, data: buf.toString('hex', p, end) };
}

/**
 * Options from `off` to `end` (the end of the UDP payload), stopping at End.
 * `whole` says the datagram was captured entirely, so an option running past
 * `end` is a bad length rather than a short capture.
 */
export function parseDhcpOptions(buf: Buffer, off: number, end: number, whole: boolean): DhcpOption[] | PacketError {
  const out: DhcpOption[] = [];
  let p = off;
  while (p < end) {
    const code = buf[p]!;
    if (code === DHCP_OPT_END) break;
    if (code === DHCP_OPT_PAD) {
      p++;
      continue;
    }
    const v = p + 2;
    if (v > end || v + buf[p + 1]! > end) {
      const need = v > end ? 2 : 2 + buf[p + 1]!;
      return whole
        ? new PacketError('dhcp', 'bad_length', p, `option ${code} needs ${need} bytes, ${end - p} left`)
        : truncated('dhcp', p, need, end - p);
    }
    out.push(decodeOne(buf, code, v, v + buf[p + 1]!));
    p = v + buf[p + 1]!;
  }
  return out;
}

function option(code: number, value: Uint8Array, field: string): Buffer {
  if (value.length > 255) throw new PacketBuildError('dhcp', field, `${value.length} bytes; an option holds at most 255`);
  return Buffer.concat([Buffer.from([code, value.length]), value]);
}

function encodeOne(o: DhcpOption): Buffer {
  switch (o.type) {
    case 'subnet_mask':
    case 'requested_ip':
    case 'server_id':
      return option(ADDRESS_CODES[o.type], ipv4Bytes('dhcp', o.type, o.value), o.type);
    case 'router':
    case 'dns':
      if (o.value.length === 0) throw new PacketBuildError('dhcp', o.type, 'needs at least one address');
      return option(LIST_CODES[o.type], Buffer.concat(o.value.map((a) => ipv4Bytes('dhcp', o.type, a))), o.type);
    case 'lease_time': {
      const v = Buffer.alloc(4);
      v.writeUInt32BE(uint('dhcp', o.type, o.value, 32), 0);
      return option(DHCP_OPT_LEASE_TIME, v, o.type);
    }
    case 'message_type':
      return option(DHCP_OPT_MESSAGE_TYPE, Buffer.from([uint('dhcp', o.type, o.value, 8)]), o.type);
    case 'hostname':
      if (o.value.length === 0) throw new PacketBuildError('dhcp', o.type, 'must not be empty');
      return option(DHCP_OPT_HOSTNAME, Buffer.from(o.value, 'utf8'), o.type);
    case 'client_id': {
      const v = toBytes('dhcp', o.type, o.value);
      if (v.length < 2) throw new PacketBuildError('dhcp', o.type, 'needs a type byte and at least one byte of id');
      return option(DHCP_OPT_CLIENT_ID, v, o.type);
    }
    case 'option': {
      const code = uint('dhcp', 'option.code', o.code, 8);
      if (code === DHCP_OPT_PAD || code === DHCP_OPT_END) throw new PacketBuildError('dhcp', 'option.code', 'pad and end are written by the builder');
      return option(code, toBytes('dhcp', 'option.data', o.data), 'option');
    }
    default: {
      const never: never = o;
      throw new PacketBuildError('dhcp', 'options', `unknown option ${JSON.stringify(never)}`);
    }
  }
}

/** The options in order, then End. */
export function encodeDhcpOptions(options: readonly DhcpOption[]): Buffer {
  return Buffer.concat([...options.map(encodeOne), Buffer.from([DHCP_OPT_END])]);
}
