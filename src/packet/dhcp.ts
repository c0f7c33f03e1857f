// DHCP (RFC 2131 §2) in a BOOTP message (RFC 951): op 1, htype 1, hlen 1,
// hops 1, xid 4, secs 2, flags 2, ciaddr 4, yiaddr 4, siaddr 4, giaddr 4,
// chaddr 16, sname 64, file 128 (236 bytes), then the magic cookie
// 99.130.83.99 and options (dhcp-options.ts). Carried in UDP, server port 67,
// client port 68.

import { PacketBuildError, PacketError, truncated } from './errors.js';
import { ipv4Bytes, toBytes, uint } from './fields.js';
import { ipv4ToString } from './ip-address.js';
import { macToString, parseMac } from './mac.js';
import { encodeDhcpOptions, parseDhcpOptions, type DhcpOption } from './dhcp-options.js';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
export const DHCP_DISCOVER = 1;
export const DHCP_OFFER = 2;
export const DHCP_REQUEST = 3;
export const DHCP_DECLINE = 4;
export const DHCP_ACK = 5;
export const DHCP_NAK = 6;
export const DHCP_RELEASE = 7;
export const DHCP_INFORM = 8;
/** RFC 2131 §2: a client asking for broadcast replies (it has no address yet). */
export const DHCP_FLAG_BROADCAST = 0x8000;
export const DHCP_MAGIC_COOKIE = 0x63825363;
export const BOOTP_FIXED_LENGTH = 236;
/** RFC 951's 64-byte vendor area made 300 bytes the size relays and old clients expect. */
export const BOOTP_MIN_LENGTH = 300;

export interface DhcpLayer {
  readonly op: number;
  readonly htype: number;
  readonly hlen: number;
  readonly hops: number;
  readonly xid: number;
  readonly secs: number;
  readonly flags: number;
  readonly ciaddr: string;
  readonly yiaddr: string;
  readonly siaddr: string;
  readonly giaddr: string;
  /** A MAC for Ethernet (htype 1, hlen 6); otherwise hex of the first hlen bytes. */
  readonly chaddr: string;
  /** Up to the first NUL. */
  readonly sname: string;
  readonly file: string;
  /** In order, pad and end left out; empty for plain BOOTP (no magic cookie). */
  readonly options: readonly DhcpOption[];
  readonly messageType?: number;
  readonly requestedIp?: string;
  readonly serverId?: string;
  readonly leaseTime?: number;
  readonly subnetMask?: string;
  readonly router?: readonly string[];
  readonly dns?: readonly string[];
  readonly hostname?: string;
  /** Hex, type byte first. */
  readonly clientId?: string;
}

export function isDhcpPort(port: number): boolean {
  return port === DHCP_SERVER_PORT || port === DHCP_CLIENT_PORT;
}

function cString(buf: Buffer, from: number, to: number): string {
  const nul = buf.indexOf(0, from);
  return buf.toString('utf8', from, nul < 0 || nul > to ? to : nul);
}

/** `end` is the end of the UDP payload; `whole` that the datagram was captured entirely. */
export function parseDhcp(buf: Buffer, off: number, end: number, whole: boolean): DhcpLayer | PacketError {
  if (end - off < BOOTP_FIXED_LENGTH) {
    return whole
      ? new PacketError('dhcp', 'bad_length', off, `a BOOTP message needs ${BOOTP_FIXED_LENGTH} bytes, the datagram has ${end - off}`)
      : truncated('dhcp', off, BOOTP_FIXED_LENGTH, end - off);
  }
  const htype = buf[off + 1]!;
  const hlen = buf[off + 2]!;
  const chaddr =
    htype === 1 && hlen === 6 ? macToString(buf, off + 28) : buf.toString('hex', off + 28, off + 28 + Math.min(hlen, 16));
  let options: DhcpOption[] = [];
  if (end - off >= BOOTP_FIXED_LENGTH + 4 && buf.readUInt32BE(off + BOOTP_FIXED_LENGTH) === DHCP_MAGIC_COOKIE) {
    const parsed = parseDhcpOptions(buf, off + BOOTP_FIXED_LENGTH + 4, end, whole);
    if (parsed instanceof PacketError) return parsed;
    options = parsed;
  }
  const layer: { -readonly [K in keyof DhcpLayer]: DhcpLayer[K] } = {
    op: buf[off]!,
    htype,
    hlen,
    hops: buf[off + 3]!,
    xid: buf.readUInt32BE(off + 4),
    secs: buf.readUInt16BE(off + 8),
    flags: buf.readUInt16BE(off + 10),
    ciaddr: ipv4ToString(buf, off + 12),
    yiaddr: ipv4ToString(buf, off + 16),
    siaddr: ipv4ToString(buf, off + 20),
    giaddr: ipv4ToString(buf, off + 24),
    chaddr,
    sname: cString(buf, off + 44, off + 108),
    file: cString(buf, off + 108, off + 236),
    options,
  };
  // The first instance wins, as RFC 2131 leaves repeats undefined.
  for (const o of options) {
    switch (o.type) {
      case 'message_type':
        layer.messageType ??= o.value;
        break;
      case 'requested_ip':
        layer.requestedIp ??= o.value;
        break;
      case 'server_id':
        layer.serverId ??= o.value;
        break;
      case 'lease_time':
        layer.leaseTime ??= o.value;
        break;
      case 'subnet_mask':
        layer.subnetMask ??= o.value;
        break;
      case 'router':
        layer.router ??= o.value;
        break;
      case 'dns':
        layer.dns ??= o.value;
        break;
      case 'hostname':
        layer.hostname ??= o.value;
        break;
      case 'client_id':
        layer.clientId ??= typeof o.value === 'string' ? o.value : Buffer.from(o.value).toString('hex');
        break;
    }
  }
  return layer;
}

export interface DhcpFields {
  /** Default BOOTREQUEST, or BOOTREPLY for offer/ack/nak message types. */
  readonly op?: number;
  readonly xid: number;
  /** A MAC, or hex for other hardware types (with htype/hlen set to match). */
  readonly chaddr: string;
  /** Default 1 (Ethernet). */
  readonly htype?: number;
  /** Default 6, or the length of a hex chaddr. */
  readonly hlen?: number;
  readonly hops?: number;
  readonly secs?: number;
  readonly flags?: number;
  readonly ciaddr?: string;
  readonly yiaddr?: string;
  readonly siaddr?: string;
  readonly giaddr?: string;
  readonly sname?: string;
  readonly file?: string;
  /** Written in order after the magic cookie, then End; the message is padded to 300 bytes. */
  readonly options: readonly DhcpOption[];
}

function replyType(options: readonly DhcpOption[]): boolean {
  const t = options.find((o) => o.type === 'message_type');
  return t !== undefined && t.type === 'message_type' && (t.value === DHCP_OFFER || t.value === DHCP_ACK || t.value === DHCP_NAK);
}

function writeCString(out: Buffer, off: number, size: number, s: string | undefined, field: string): void {
  if (s === undefined) return;
  const b = Buffer.from(s, 'utf8');
  // Keep a terminating NUL inside the field, as clients read it as a C string.
  if (b.length >= size || b.includes(0)) throw new PacketBuildError('dhcp', field, `must be under ${size} bytes without NUL`);
  b.copy(out, off);
}

/** The BOOTP/DHCP message (the UDP payload). */
export function buildDhcp(f: DhcpFields): Buffer {
  const options = encodeDhcpOptions(f.options);
  const out = Buffer.alloc(Math.max(BOOTP_MIN_LENGTH, BOOTP_FIXED_LENGTH + 4 + options.length));
  out[0] = uint('dhcp', 'op', f.op ?? (replyType(f.options) ? BOOTREPLY : BOOTREQUEST), 8);
  const mac = parseMac(f.chaddr);
  const chaddr = mac ?? toBytes('dhcp', 'chaddr', f.chaddr);
  if (chaddr.length > 16) throw new PacketBuildError('dhcp', 'chaddr', `${chaddr.length} bytes; the field holds 16`);
  out[1] = uint('dhcp', 'htype', f.htype ?? 1, 8);
  out[2] = uint('dhcp', 'hlen', f.hlen ?? chaddr.length, 8);
  out[3] = uint('dhcp', 'hops', f.hops ?? 0, 8);
  out.writeUInt32BE(uint('dhcp', 'xid', f.xid, 32), 4);
  out.writeUInt16BE(uint('dhcp', 'secs', f.secs ?? 0, 16), 8);
  out.writeUInt16BE(uint('dhcp', 'flags', f.flags ?? 0, 16), 10);
  const zero = '0.0.0.0';
  ipv4Bytes('dhcp', 'ciaddr', f.ciaddr ?? zero).copy(out, 12);
  ipv4Bytes('dhcp', 'yiaddr', f.yiaddr ?? zero).copy(out, 16);
  ipv4Bytes('dhcp', 'siaddr', f.siaddr ?? zero).copy(out, 20);
  ipv4Bytes('dhcp', 'giaddr', f.giaddr ?? zero).copy(out, 24);
  out.set(chaddr, 28);
  writeCString(out, 44, 64, f.sname, 'sname');
  writeCString(out, 108, 128, f.file, 'file');
  out.writeUInt32BE(DHCP_MAGIC_COOKIE, BOOTP_FIXED_LENGTH);
  options.copy(out, BOOTP_FIXED_LENGTH + 4);
  return out;
}
