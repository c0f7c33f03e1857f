import type { PortNo } from '../../openflow/common.js';
import type { Match } from '../../openflow/structs/match.js';
import { decodeOxm, encodeOxm, OFPVID_PRESENT, OXM_FIELD_BY_NAME, type OxmBasic, type OxmFieldName, type OxmValue } from '../../openflow/structs/oxm.js';
import { Reader } from '../../openflow/reader.js';
import { Writer } from '../../openflow/writer.js';
import { show } from '../../openflow/enums.js';
import { badRequest } from '../errors.js';
import { portFromUser, portToUser, pyInt, u64, uint } from './ryu-values.js';

// ofctl_v1_3.to_match and match_to_str: Ryu's match dict ⇄ our OXM list.

/** OpenFlow 1.0 names ofctl still takes (and prints) for their OXM fields. */
const OLD_TO_OXM: Readonly<Record<string, OxmFieldName>> = {
  dl_dst: 'eth_dst', dl_src: 'eth_src', dl_type: 'eth_type', dl_vlan: 'vlan_vid',
  nw_src: 'ipv4_src', nw_dst: 'ipv4_dst', nw_proto: 'ip_proto',
};
const OXM_TO_OLD: Readonly<Partial<Record<OxmFieldName, string>>> = {
  eth_src: 'dl_src', eth_dst: 'dl_dst', eth_type: 'dl_type', vlan_vid: 'dl_vlan', ipv4_src: 'nw_src', ipv4_dst: 'nw_dst',
  ip_proto: 'nw_proto', tcp_src: 'tp_src', tcp_dst: 'tp_dst', udp_src: 'tp_src', udp_dst: 'tp_dst',
};

/** Every key to_match converts; anything else is refused (Ryu logs and drops it, which widens a delete). */
export const RYU_MATCH_FIELDS: readonly string[] = [
  ...Object.keys(OLD_TO_OXM), 'tp_src', 'tp_dst',
  ...[...OXM_FIELD_BY_NAME.keys()],
];

const ETH_TYPE_ARP = 0x0806n;
const IPPROTO_TCP = 6n;
const IPPROTO_UDP = 17n;

function tryInt(v: unknown): bigint | undefined {
  try {
    return v === undefined ? undefined : pyInt(v, 'value');
  } catch {
    return undefined;
  }
}

/** ofctl_v1_3.to_match: old and new field names, "value/mask" strings, IP prefixes, VLAN ids with OFPVID_PRESENT added. */
export function matchFromRyu(input: Readonly<Record<string, unknown>>): Match {
  const attrs: Record<string, unknown> = { ...input };
  // An ARP match may name its addresses nw_src / nw_dst, as in OpenFlow 1.0.
  if (tryInt(attrs.dl_type) === ETH_TYPE_ARP || tryInt(attrs.eth_type) === ETH_TYPE_ARP) {
    for (const [from, to] of [['nw_src', 'arp_spa'], ['nw_dst', 'arp_tpa']] as const) {
      if (from in attrs && !(to in attrs)) {
        attrs[to] = attrs[from];
        delete attrs[from];
      }
    }
  }
  const fields = new Map<OxmFieldName, OxmBasic>();
  for (const [key, value] of Object.entries(attrs)) {
    let name: string = OLD_TO_OXM[key] ?? key;
    if (key === 'tp_src' || key === 'tp_dst') {
      const proto = tryInt(attrs.nw_proto ?? attrs.ip_proto ?? 0);
      const l4 = proto === IPPROTO_TCP ? 'tcp' : proto === IPPROTO_UDP ? 'udp' : undefined;
      if (l4 === undefined) throw badRequest(`match.${key} needs "nw_proto" (or "ip_proto") 6 for TCP or 17 for UDP; for other protocols use the OpenFlow 1.3 field (sctp_src, icmpv4_type, ...)`);
      name = `${l4}_${key.slice(3)}`;
    }
    const info = OXM_FIELD_BY_NAME.get(name);
    if (info === undefined) {
      throw badRequest(`match has an unknown field "${key}"; ofctl_rest's OpenFlow 1.3 fields are ${RYU_MATCH_FIELDS.join(', ')}`);
    }
    fields.set(info.name, oxmFromRyu(info.name, value, `match.${key}`));
  }
  // OFPMatch serialises in OXM field order whatever order the dict had.
  return [...fields.values()].map(maskValue).sort((a, b) => OXM_FIELD_BY_NAME.get(a.field)!.code - OXM_FIELD_BY_NAME.get(b.field)!.code);
}

/**
 * OFPMatch sends value & mask ("10.0.0.5/24" matches 10.0.0.0/24), as
 * OpenFlow requires (bits outside the mask must be 0). Done on the wire
 * form, so every field kind is handled alike; a value the codec refuses is
 * left for the encoder to report.
 */
function maskValue(f: OxmBasic): OxmBasic {
  if (f.mask === undefined) return f;
  const w = new Writer(64);
  try {
    encodeOxm(w, f);
  } catch {
    return f;
  }
  const b = w.finish();
  const len = (b.length - 4) / 2;
  for (let i = 0; i < len; i++) b[4 + i]! &= b[4 + len + i]!;
  return decodeOxm(new Reader(b)) as OxmBasic;
}

function oxmFromRyu(field: OxmFieldName, value: unknown, what: string): OxmBasic {
  const info = OXM_FIELD_BY_NAME.get(field)!;
  const split = (v: unknown): [unknown, unknown?] => {
    if (typeof v === 'string' && v.includes('/')) {
      const i = v.indexOf('/');
      return [v.slice(0, i), v.slice(i + 1)];
    }
    return [v];
  };
  const withMask = (v: OxmValue, m: OxmValue | undefined): OxmBasic => (m === undefined ? { field, value: v } : { field, value: v, mask: m });
  switch (info.kind) {
    case 'port':
      return field === 'in_port' ? { field, value: portFromUser(value, what) } : { field, value: uint(value, what, 32) };
    case 'mac': {
      if (typeof value !== 'string') throw badRequest(`${what} must be a MAC address string like "aa:bb:cc:dd:ee:ff" (optionally "/mask"), got ${show(value)}`);
      const [v, m] = split(value) as [string, string?];
      return withMask(v.toLowerCase(), m?.toLowerCase());
    }
    case 'ipv4':
    case 'ipv6': {
      if (typeof value !== 'string') throw badRequest(`${what} must be an IP address string (optionally "/prefix" or "/mask"), got ${show(value)}`);
      const [v, m] = split(value) as [string, string?];
      return withMask(v, m !== undefined && /^\d+$/.test(m) ? prefixMask(Number(m), info.kind, what) : m);
    }
    case 'u64': {
      const [v, m] = split(value);
      return withMask(u64(v, what), m === undefined ? undefined : u64(m, `${what} mask`));
    }
    default: {
      if (field === 'vlan_vid') return vidFromRyu(value, what);
      const bits = Math.log2(info.max + 1);
      // Only the fields to_match_masked_int handles take "value/mask"; the rest are str_to_int.
      const [v, m] = field === 'pbb_isid' || field === 'ipv6_exthdr' ? split(value) : [value];
      return withMask(uint(v, what, bits), m === undefined ? undefined : uint(m, `${what} mask`, bits));
    }
  }
}

/** ofctl_utils.to_match_vid: a decimal VLAN id gets OFPVID_PRESENT; a hex string or "value/mask" is the raw OXM value. */
function vidFromRyu(value: unknown, what: string): OxmBasic {
  if (typeof value === 'string' && value.includes('/')) {
    const [v, m] = value.split('/', 2);
    return { field: 'vlan_vid', value: uint(v, what, 16), mask: uint(m, `${what} mask`, 16) };
  }
  const decimal = typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));
  const n = uint(value, what, 16);
  return { field: 'vlan_vid', value: decimal ? (n | OFPVID_PRESENT) & 0xffff : n };
}

/** netaddr's IPNetwork(...).netmask for "/24" or "/64". */
function prefixMask(len: number, kind: 'ipv4' | 'ipv6', what: string): string {
  const bits = kind === 'ipv4' ? 32 : 128;
  if (len > bits) throw badRequest(`${what} prefix /${len} is longer than ${bits} bits`);
  const mask = len === 0 ? 0n : ((1n << BigInt(len)) - 1n) << BigInt(bits - len);
  if (kind === 'ipv4') return [24n, 16n, 8n, 0n].map((s) => String((mask >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((mask >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return compressIpv6(groups);
}

/** RFC 5952: the longest run of two or more zero groups becomes "::". */
function compressIpv6(groups: readonly string[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** ofctl_v1_3.match_to_str: OpenFlow 1.0 names where they exist, masks as "value/mask", VLAN ids without OFPVID_PRESENT. */
export function matchToRyu(match: Match): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of match) {
    if (!('field' in f)) continue; // Nicira / experimenter OXMs: ofctl prints only the OpenFlow-basic class
    const key = OXM_TO_OLD[f.field] ?? f.field;
    if (Object.hasOwn(out, key)) continue; // setdefault: the first of tcp_src / udp_src wins
    let v: unknown;
    if (f.field === 'vlan_vid') v = vidToRyu(Number(f.value), f.mask === undefined ? undefined : Number(f.mask));
    else if (f.field === 'in_port') v = portToUser(f.value as PortNo);
    else v = f.mask === undefined ? f.value : `${String(f.value)}/${String(f.mask)}`;
    out[key] = v;
  }
  return out;
}

/** ofctl_utils.match_vid_to_str. */
function vidToRyu(value: number, mask: number | undefined): string | number {
  const hex4 = (n: number): string => '0x' + n.toString(16).padStart(4, '0');
  if (mask !== undefined) return `${hex4(value)}/${hex4(mask)}`;
  if (value & OFPVID_PRESENT) return String(value & ~OFPVID_PRESENT);
  return hex4(value);
}
