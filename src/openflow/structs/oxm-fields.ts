// The OpenFlow-basic OXM field table, OF 1.3.5 §7.2.3.7 Table 12. Shared by
// match/set-field codecs and by table-features OXM id lists.

/** The 40 OpenFlow-basic OXM fields of OF 1.3.5 §7.2.3.7, by spec name without the OFPXMT_OFB_ prefix. */
export type OxmFieldName =
  | 'in_port' | 'in_phy_port' | 'metadata' | 'eth_dst' | 'eth_src' | 'eth_type'
  | 'vlan_vid' | 'vlan_pcp' | 'ip_dscp' | 'ip_ecn' | 'ip_proto' | 'ipv4_src' | 'ipv4_dst'
  | 'tcp_src' | 'tcp_dst' | 'udp_src' | 'udp_dst' | 'sctp_src' | 'sctp_dst'
  | 'icmpv4_type' | 'icmpv4_code' | 'arp_op' | 'arp_spa' | 'arp_tpa' | 'arp_sha' | 'arp_tha'
  | 'ipv6_src' | 'ipv6_dst' | 'ipv6_flabel' | 'icmpv6_type' | 'icmpv6_code'
  | 'ipv6_nd_target' | 'ipv6_nd_sll' | 'ipv6_nd_tll' | 'mpls_label' | 'mpls_tc' | 'mpls_bos'
  | 'pbb_isid' | 'tunnel_id' | 'ipv6_exthdr';

/** ofp_oxm_class values (OF 1.3.5 §7.2.3.2). */
export const OFPXMC_NXM_0 = 0x0000;
export const OFPXMC_NXM_1 = 0x0001;
export const OFPXMC_OPENFLOW_BASIC = 0x8000;
export const OFPXMC_EXPERIMENTER = 0xffff;

/** ofp_vlan_id: set in vlan_vid when a tag is present. */
export const OFPVID_PRESENT = 0x1000;
export const OFPVID_NONE = 0x0000;

/** How a field's payload travels in JSON. */
export type OxmKind = 'port' | 'u8' | 'u16' | 'u24' | 'u32' | 'u64' | 'mac' | 'ipv4' | 'ipv6';

export interface OxmFieldInfo {
  readonly name: OxmFieldName;
  /** oxm_field (7 bits) within OFPXMC_OPENFLOW_BASIC. */
  readonly code: number;
  /** Payload bytes without a mask; with a mask the payload is twice this. */
  readonly length: number;
  readonly maskable: boolean;
  readonly kind: OxmKind;
  /** Largest value of an integer kind (the payload size, not the spec's bit width); 0 for the others. */
  readonly max: number;
  /** `kind` as a small integer so the codec switches on numbers, not strings. */
  readonly k: number;
}

export const K_PORT = 0;
export const K_U8 = 1;
export const K_U16 = 2;
export const K_U24 = 3;
export const K_U32 = 4;
export const K_U64 = 5;
export const K_MAC = 6;
export const K_IPV4 = 7;
export const K_IPV6 = 8;
const KIND_CODE: Record<OxmKind, number> = {
  port: K_PORT, u8: K_U8, u16: K_U16, u24: K_U24, u32: K_U32, u64: K_U64, mac: K_MAC, ipv4: K_IPV4, ipv6: K_IPV6,
};
const KIND_LENGTH: Record<OxmKind, number> = { port: 4, u8: 1, u16: 2, u24: 3, u32: 4, u64: 8, mac: 6, ipv4: 4, ipv6: 16 };

// Maskability follows Table 12's "Mask" column. Some headers (and the 1.3
// header comments) call ARP_SHA/THA and IPV6_FLABEL unmaskable; Table 12 is
// normative and says they are.
const ROWS: readonly (readonly [OxmFieldName, OxmKind, boolean])[] = [
  ['in_port', 'port', false], // 0
  ['in_phy_port', 'port', false],
  ['metadata', 'u64', true],
  ['eth_dst', 'mac', true],
  ['eth_src', 'mac', true],
  ['eth_type', 'u16', false], // 5
  ['vlan_vid', 'u16', true],
  ['vlan_pcp', 'u8', false],
  ['ip_dscp', 'u8', false],
  ['ip_ecn', 'u8', false],
  ['ip_proto', 'u8', false], // 10
  ['ipv4_src', 'ipv4', true],
  ['ipv4_dst', 'ipv4', true],
  ['tcp_src', 'u16', false],
  ['tcp_dst', 'u16', false],
  ['udp_src', 'u16', false], // 15
  ['udp_dst', 'u16', false],
  ['sctp_src', 'u16', false],
  ['sctp_dst', 'u16', false],
  ['icmpv4_type', 'u8', false],
  ['icmpv4_code', 'u8', false], // 20
  ['arp_op', 'u16', false],
  ['arp_spa', 'ipv4', true],
  ['arp_tpa', 'ipv4', true],
  ['arp_sha', 'mac', true],
  ['arp_tha', 'mac', true], // 25
  ['ipv6_src', 'ipv6', true],
  ['ipv6_dst', 'ipv6', true],
  ['ipv6_flabel', 'u32', true],
  ['icmpv6_type', 'u8', false],
  ['icmpv6_code', 'u8', false], // 30
  ['ipv6_nd_target', 'ipv6', false],
  ['ipv6_nd_sll', 'mac', false],
  ['ipv6_nd_tll', 'mac', false],
  ['mpls_label', 'u32', false],
  ['mpls_tc', 'u8', false], // 35
  ['mpls_bos', 'u8', false],
  ['pbb_isid', 'u24', true],
  ['tunnel_id', 'u64', true],
  ['ipv6_exthdr', 'u16', true], // 39
];

/** Indexed by oxm_field code: OXM_FIELDS[code].name, .length, .maskable. */
export const OXM_FIELDS: readonly OxmFieldInfo[] = ROWS.map(([name, kind, maskable], code) =>
  Object.freeze({
    name, code, length: KIND_LENGTH[kind], maskable, kind,
    max: kind.startsWith('u') && kind !== 'u64' ? 2 ** (8 * KIND_LENGTH[kind]) - 1 : 0,
    k: KIND_CODE[kind],
  }),
);

export const OXM_FIELD_BY_NAME: ReadonlyMap<string, OxmFieldInfo> = new Map(OXM_FIELDS.map((f) => [f.name, f]));

export const OXM_FIELD_NAMES: readonly OxmFieldName[] = OXM_FIELDS.map((f) => f.name);

/** oxm_field code of a basic field name, or undefined. */
export function oxmFieldCode(name: string): number | undefined {
  return OXM_FIELD_BY_NAME.get(name)?.code;
}

/** Basic field name of an oxm_field code, or undefined. */
export function oxmFieldName(code: number): OxmFieldName | undefined {
  return OXM_FIELDS[code]?.name;
}

/** The 32-bit OXM header (class, field, hasmask, length) of a basic field, as ids in table features use it. */
export function oxmBasicHeader(name: string, hasmask = false): number | undefined {
  const f = OXM_FIELD_BY_NAME.get(name);
  if (f === undefined) return undefined;
  const len = hasmask ? 2 * f.length : f.length;
  return OFPXMC_OPENFLOW_BASIC * 0x10000 + ((f.code << 9) | (hasmask ? 0x100 : 0) | len);
}
