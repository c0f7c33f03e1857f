// POST /switches/:dpid/packet-out: the body as JSON, turned into a
// PACKET_OUT the codec has already accepted (so a bad action is a 400 that
// names it, never a half-sent message).
import type { PacketOut } from '../openflow/messages/packet-out.js';
import type { PortNo } from '../openflow/common.js';
import { encodeMessage } from '../openflow/codec.js';
import { buildEthernet, ETHERNET_HEADER_LENGTH } from '../packet/index.js';
import { PacketBuildError } from '../packet/errors.js';
import { badRequest } from './errors.js';
import { actionsFromJson } from './json/action.js';
import { macSchema } from './schemas.js';
import { OFPP_MAX } from './json/switch.js';

export interface PacketDescription {
  readonly eth_dst: string;
  readonly eth_src: string;
  readonly eth_type: number | string;
  readonly vlan_vid?: number;
  readonly vlan_pcp?: number;
  readonly payload?: string;
}

export interface PacketOutBody {
  readonly in_port?: number | string;
  readonly actions: readonly Record<string, unknown>[];
  readonly data?: string;
  readonly packet?: PacketDescription;
}

/** What fits in one OpenFlow message (65535 bytes) with room for the header and actions. */
const MAX_FRAME = 65000;

export const packetOutSchema = {
  type: 'object',
  description: 'Either data (the whole frame as hex) or packet (an Ethernet frame to build); sent with buffer_id no_buffer.',
  properties: {
    in_port: {
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      description: 'the port the packet counts as received on (for actions like in_port and table); default "controller"',
    },
    actions: {
      type: 'array',
      minItems: 1,
      maxItems: 64,
      description: 'OpenFlow actions as flows take them, e.g. [{"type":"output","port":2}] (output max_len defaults to "no_buffer")',
      items: { type: 'object', properties: { type: { type: 'string' } }, required: ['type'], additionalProperties: true },
    },
    data: { type: 'string', maxLength: 200_000, description: 'the frame as hex (spaces and colons between bytes allowed)' },
    packet: {
      type: 'object',
      description: 'an Ethernet frame to build (padded to 60 bytes)',
      properties: {
        eth_dst: macSchema,
        eth_src: macSchema,
        eth_type: {
          anyOf: [{ type: 'integer', minimum: 0, maximum: 0xffff }, { type: 'string', pattern: '^0[xX][0-9A-Fa-f]{1,4}$' }],
          description: 'EtherType: a number or 0x-hex, e.g. "0x0800"',
        },
        vlan_vid: { type: 'integer', minimum: 0, maximum: 4095, description: 'adds an 802.1Q tag' },
        vlan_pcp: { type: 'integer', minimum: 0, maximum: 7 },
        payload: { type: 'string', maxLength: 200_000, description: 'bytes after the EtherType, as hex' },
      },
      required: ['eth_dst', 'eth_src', 'eth_type'],
      additionalProperties: false,
    },
  },
  required: ['actions'],
  additionalProperties: false,
} as const;

/** Hex bytes, with optional spaces or colons between them; a 400 that points at the first bad character. */
export function parseHex(what: string, text: string): Buffer {
  const bad = /[^0-9a-fA-F\s:]/.exec(text);
  if (bad) throw badRequest(`${what} must be hex bytes: "${bad[0]}" (character ${bad.index + 1}) is not a hex digit`);
  const digits = text.replace(/[\s:]/g, '');
  if (digits.length % 2 !== 0) throw badRequest(`${what} must be hex bytes: it has an odd number of hex digits (${digits.length})`);
  return Buffer.from(digits, 'hex');
}

function inPortOf(v: number | string | undefined): PortNo {
  if (v === undefined || v === 'controller') return 'controller';
  if (typeof v === 'string' && /^[0-9]{1,10}$/.test(v)) v = Number(v);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= OFPP_MAX) return v;
  throw badRequest(`in_port must be a port number (1..${OFPP_MAX}) or "controller", got ${JSON.stringify(v)}`);
}

function frameOf(body: PacketOutBody): Buffer {
  if ((body.data === undefined) === (body.packet === undefined)) {
    throw badRequest('give exactly one of "data" (the frame as hex) or "packet" ({eth_dst, eth_src, eth_type, payload})');
  }
  let frame: Buffer;
  if (body.data !== undefined) frame = parseHex('data', body.data);
  else {
    const p = body.packet!;
    const ethertype = typeof p.eth_type === 'number' ? p.eth_type : parseInt(p.eth_type, 16);
    try {
      frame = buildEthernet({
        dst: p.eth_dst,
        src: p.eth_src,
        ethertype,
        ...(p.vlan_vid !== undefined ? { vlans: [{ vid: p.vlan_vid, pcp: p.vlan_pcp ?? 0 }] } : {}),
        ...(p.payload !== undefined ? { payload: parseHex('packet.payload', p.payload) } : {}),
      });
    } catch (e) {
      if (e instanceof PacketBuildError) throw badRequest(`packet: ${e.message}`);
      throw e;
    }
  }
  if (frame.length < ETHERNET_HEADER_LENGTH) throw badRequest(`data is ${frame.length} bytes: a frame needs at least the ${ETHERNET_HEADER_LENGTH}-byte Ethernet header`);
  if (frame.length > MAX_FRAME) throw badRequest(`the frame is ${frame.length} bytes; one PACKET_OUT carries at most ${MAX_FRAME}`);
  return frame;
}

/** The PACKET_OUT to send; throws a 400 (or the codec's CodecError, also a 400) for anything the switch could not take. */
export function packetOutOf(body: PacketOutBody): Omit<PacketOut, 'xid'> {
  const data = frameOf(body);
  // The same action syntax as flows (short set_field, defaults, unknown keys refused).
  const actions = actionsFromJson(body.actions, 'body.actions');
  const msg: Omit<PacketOut, 'xid'> = { type: 'packet_out', buffer_id: 'no_buffer', in_port: inPortOf(body.in_port), actions, data };
  // The codec checks every action field and names the one that is wrong; do it before anything is sent.
  encodeMessage({ ...msg, xid: 0 });
  return msg;
}
