// ICMPv6 (RFC 4443): type 1, code 1, checksum 2 over an IPv6 pseudo-header
// and the whole message. Echo (128/129) carries identifier and sequence;
// Neighbor Discovery (RFC 4861 §4.1-4.4) carries fixed fields then options:
//   router solicitation 133: reserved 4
//   router advertisement 134: cur hop limit 1, M|O flags 1, router lifetime 2,
//                             reachable time 4, retrans timer 4
//   neighbor solicitation 135: reserved 4, target 16
//   neighbor advertisement 136: R|S|O flags + reserved 4, target 16
// NDP messages must be sent with hop limit 255 (NDP_HOP_LIMIT) or receivers drop them.

import { PacketError, truncated } from './errors.js';
import { transportChecksum } from './checksum.js';
import { ipv6Bytes, toBytes, uint, type Bytes } from './fields.js';
import { ipv6ToString, solicitedNodeMulticast } from './ip-address.js';
import { IPPROTO_ICMPV6 } from './ipv4.js';
import { encodeNdpOptions, parseNdpOptions, type NdpOption } from './ndp-options.js';

export const ICMPV6_DEST_UNREACHABLE = 1;
export const ICMPV6_PACKET_TOO_BIG = 2;
export const ICMPV6_TIME_EXCEEDED = 3;
export const ICMPV6_PARAMETER_PROBLEM = 4;
export const ICMPV6_ECHO_REQUEST = 128;
export const ICMPV6_ECHO_REPLY = 129;
export const ICMPV6_ROUTER_SOLICIT = 133;
export const ICMPV6_ROUTER_ADVERT = 134;
export const ICMPV6_NEIGHBOR_SOLICIT = 135;
export const ICMPV6_NEIGHBOR_ADVERT = 136;
export const NDP_HOP_LIMIT = 255;
export const ALL_NODES = 'ff02::1';
export const ALL_ROUTERS = 'ff02::2';

export interface Icmpv6Layer {
  readonly type: number;
  readonly code: number;
  readonly checksum: number;
  /** Echo request/reply. */
  readonly identifier?: number;
  readonly sequence?: number;
  /** Neighbor solicitation/advertisement. */
  readonly targetAddress?: string;
  /** Neighbor advertisement flags. */
  readonly router?: boolean;
  readonly solicited?: boolean;
  readonly override?: boolean;
  /** Router advertisement. */
  readonly curHopLimit?: number;
  readonly managed?: boolean;
  readonly other?: boolean;
  readonly routerLifetime?: number;
  readonly reachableTime?: number;
  readonly retransTimer?: number;
  /** NDP messages: every option in order, and the link-layer ones picked out. */
  readonly options?: readonly NdpOption[];
  readonly sourceLinkLayerAddress?: string;
  readonly targetLinkLayerAddress?: string;
  /** Other types: the 32-bit word after the checksum (MTU, pointer, or unused). */
  readonly rest?: number;
  /** Only when decoding was asked to verify checksums and the whole message was captured. */
  readonly checksumOk?: boolean;
}

/** Where NDP options begin, by message type; undefined for non-NDP types. */
function ndpFixedLength(type: number): number | undefined {
  switch (type) {
    case ICMPV6_ROUTER_SOLICIT:
      return 8;
    case ICMPV6_ROUTER_ADVERT:
      return 16;
    case ICMPV6_NEIGHBOR_SOLICIT:
    case ICMPV6_NEIGHBOR_ADVERT:
      return 24;
    default:
      return undefined;
  }
}

/**
 * `src`/`dst` are the IPv6 addresses as bytes (for the checksum); `end` the
 * end of the message; `whole` that the message was captured entirely.
 */
export function parseIcmpv6(
  buf: Buffer,
  off: number,
  end: number,
  whole: boolean,
  verify?: { readonly src: Uint8Array; readonly dst: Uint8Array },
): Icmpv6Layer | PacketError {
  if (end - off < 8) return truncated('icmpv6', off, 8, end - off);
  const type = buf[off]!;
  const layer: { -readonly [K in keyof Icmpv6Layer]: Icmpv6Layer[K] } = { type, code: buf[off + 1]!, checksum: buf.readUInt16BE(off + 2) };
  const fixed = ndpFixedLength(type);
  if (type === ICMPV6_ECHO_REQUEST || type === ICMPV6_ECHO_REPLY) {
    layer.identifier = buf.readUInt16BE(off + 4);
    layer.sequence = buf.readUInt16BE(off + 6);
  } else if (fixed === undefined) {
    layer.rest = buf.readUInt32BE(off + 4);
  } else {
    if (end - off < fixed) {
      return whole
        ? new PacketError('icmpv6', 'bad_length', off, `type ${type} needs ${fixed} bytes, the message has ${end - off}`)
        : truncated('icmpv6', off, fixed, end - off);
    }
    if (type === ICMPV6_ROUTER_ADVERT) {
      layer.curHopLimit = buf[off + 4]!;
      layer.managed = (buf[off + 5]! & 0x80) !== 0;
      layer.other = (buf[off + 5]! & 0x40) !== 0;
      layer.routerLifetime = buf.readUInt16BE(off + 6);
      layer.reachableTime = buf.readUInt32BE(off + 8);
      layer.retransTimer = buf.readUInt32BE(off + 12);
    } else if (type !== ICMPV6_ROUTER_SOLICIT) {
      layer.targetAddress = ipv6ToString(buf, off + 8);
      if (type === ICMPV6_NEIGHBOR_ADVERT) {
        const flags = buf[off + 4]!;
        layer.router = (flags & 0x80) !== 0;
        layer.solicited = (flags & 0x40) !== 0;
        layer.override = (flags & 0x20) !== 0;
      }
    }
    const options = parseNdpOptions(buf, off + fixed, end, whole);
    if (options instanceof PacketError) return options;
    layer.options = options;
    for (const o of options) {
      if (o.type === 'source_link_layer_address') layer.sourceLinkLayerAddress ??= o.address;
      else if (o.type === 'target_link_layer_address') layer.targetLinkLayerAddress ??= o.address;
    }
  }
  if (verify && whole) layer.checksumOk = transportChecksum(verify.src, verify.dst, IPPROTO_ICMPV6, buf, off, end) === 0;
  return layer;
}

export interface Icmpv6Fields {
  /** IPv6 source and destination: the checksum covers them. */
  readonly src: string;
  readonly dst: string;
  readonly type: number;
  readonly code?: number;
  /** Everything after the checksum. */
  readonly body?: Bytes;
}

export function buildIcmpv6(f: Icmpv6Fields): Buffer {
  const body = f.body === undefined ? undefined : toBytes('icmpv6', 'body', f.body);
  const out = Buffer.alloc(4 + (body?.length ?? 0));
  out[0] = uint('icmpv6', 'type', f.type, 8);
  out[1] = uint('icmpv6', 'code', f.code ?? 0, 8);
  if (body) out.set(body, 4);
  const src = ipv6Bytes('icmpv6', 'src', f.src);
  const dst = ipv6Bytes('icmpv6', 'dst', f.dst);
  out.writeUInt16BE(transportChecksum(src, dst, IPPROTO_ICMPV6, out), 2);
  return out;
}

export interface Icmpv6EchoFields {
  readonly src: string;
  readonly dst: string;
  /** Default false: an echo request. */
  readonly reply?: boolean;
  readonly identifier: number;
  readonly sequence: number;
  readonly data?: Bytes;
}

export function buildIcmpv6Echo(f: Icmpv6EchoFields): Buffer {
  const data = f.data === undefined ? Buffer.alloc(0) : toBytes('icmpv6', 'data', f.data);
  const body = Buffer.alloc(4 + data.length);
  body.writeUInt16BE(uint('icmpv6', 'identifier', f.identifier, 16), 0);
  body.writeUInt16BE(uint('icmpv6', 'sequence', f.sequence, 16), 2);
  body.set(data, 4);
  return buildIcmpv6({ src: f.src, dst: f.dst, type: f.reply ? ICMPV6_ECHO_REPLY : ICMPV6_ECHO_REQUEST, body });
}

function withLinkLayer(
  kind: 'source_link_layer_address' | 'target_link_layer_address',
  mac: string | undefined,
  options: readonly NdpOption[] | undefined,
): readonly NdpOption[] {
  const rest = options ?? [];
  return mac === undefined ? rest : [{ type: kind, address: mac }, ...rest];
}

function ndpBody(fixed: Buffer, options: readonly NdpOption[]): Buffer {
  return Buffer.concat([fixed, encodeNdpOptions(options)]);
}

export interface NeighborSolicitFields {
  /** '::' for duplicate address detection (then no source link-layer address may be sent). */
  readonly src: string;
  /** Default: the target's solicited-node multicast group. */
  readonly dst?: string;
  readonly target: string;
  readonly sourceLinkLayerAddress?: string;
  /** Further options, after the link-layer one. */
  readonly options?: readonly NdpOption[];
}

export function buildIcmpv6NeighborSolicit(f: NeighborSolicitFields): Buffer {
  const fixed = Buffer.alloc(20);
  ipv6Bytes('icmpv6', 'target', f.target).copy(fixed, 4);
  return buildIcmpv6({
    src: f.src,
    dst: f.dst ?? solicitedNodeMulticast(f.target) ?? f.target,
    type: ICMPV6_NEIGHBOR_SOLICIT,
    body: ndpBody(fixed, withLinkLayer('source_link_layer_address', f.sourceLinkLayerAddress, f.options)),
  });
}

export interface NeighborAdvertFields {
  readonly src: string;
  /** The soliciting node, or ALL_NODES for an unsolicited advertisement. */
  readonly dst: string;
  readonly target: string;
  readonly router?: boolean;
  readonly solicited?: boolean;
  readonly override?: boolean;
  readonly targetLinkLayerAddress?: string;
  readonly options?: readonly NdpOption[];
}

export function buildIcmpv6NeighborAdvert(f: NeighborAdvertFields): Buffer {
  const fixed = Buffer.alloc(20);
  fixed[0] = (f.router ? 0x80 : 0) | (f.solicited ? 0x40 : 0) | (f.override ? 0x20 : 0);
  ipv6Bytes('icmpv6', 'target', f.target).copy(fixed, 4);
  return buildIcmpv6({
    src: f.src,
    dst: f.dst,
    type: ICMPV6_NEIGHBOR_ADVERT,
    body: ndpBody(fixed, withLinkLayer('target_link_layer_address', f.targetLinkLayerAddress, f.options)),
  });
}

export interface RouterSolicitFields {
  readonly src: string;
  /** Default ALL_ROUTERS. */
  readonly dst?: string;
  readonly sourceLinkLayerAddress?: string;
  readonly options?: readonly NdpOption[];
}

export function buildIcmpv6RouterSolicit(f: RouterSolicitFields): Buffer {
  return buildIcmpv6({
    src: f.src,
    dst: f.dst ?? ALL_ROUTERS,
    type: ICMPV6_ROUTER_SOLICIT,
    body: ndpBody(Buffer.alloc(4), withLinkLayer('source_link_layer_address', f.sourceLinkLayerAddress, f.options)),
  });
}

export interface RouterAdvertFields {
  /** A link-local address of the router. */
  readonly src: string;
  /** Default ALL_NODES. */
  readonly dst?: string;
  /** Default 64; 0 leaves it to the hosts. */
  readonly curHopLimit?: number;
  readonly managed?: boolean;
  readonly other?: boolean;
  /** Seconds this router may be a default router; 0: not a default router. */
  readonly routerLifetime: number;
  readonly reachableTime?: number;
  readonly retransTimer?: number;
  readonly sourceLinkLayerAddress?: string;
  /** Prefix information, MTU and any other options, after the link-layer one. */
  readonly options?: readonly NdpOption[];
}

export function buildIcmpv6RouterAdvert(f: RouterAdvertFields): Buffer {
  const fixed = Buffer.alloc(12);
  fixed[0] = uint('icmpv6', 'curHopLimit', f.curHopLimit ?? 64, 8);
  fixed[1] = (f.managed ? 0x80 : 0) | (f.other ? 0x40 : 0);
  fixed.writeUInt16BE(uint('icmpv6', 'routerLifetime', f.routerLifetime, 16), 2);
  fixed.writeUInt32BE(uint('icmpv6', 'reachableTime', f.reachableTime ?? 0, 32), 4);
  fixed.writeUInt32BE(uint('icmpv6', 'retransTimer', f.retransTimer ?? 0, 32), 8);
  return buildIcmpv6({
    src: f.src,
    dst: f.dst ?? ALL_NODES,
    type: ICMPV6_ROUTER_ADVERT,
    body: ndpBody(fixed, withLinkLayer('source_link_layer_address', f.sourceLinkLayerAddress, f.options)),
  });
}
