// Names Ryu prints for Open vSwitch's own match fields (Nicira NXM classes
// 0 and 1, and the OpenFlow 1.5 packet registers OVS also offers under
// OpenFlow 1.3) when they appear in table features. The names are OVS's
// fields as os-ken spells them; the key is os-ken's oxm_type, class << 7 | field.

const NXM0 = [
  'in_port_nxm', 'eth_dst_nxm', 'eth_src_nxm', 'eth_type_nxm', 'vlan_tci', 'nw_tos', 'ip_proto_nxm', 'ipv4_src_nxm', 'ipv4_dst_nxm',
  'tcp_src_nxm', 'tcp_dst_nxm', 'udp_src_nxm', 'udp_dst_nxm', 'icmpv4_type_nxm', 'icmpv4_code_nxm', 'arp_op_nxm', 'arp_spa_nxm', 'arp_tpa_nxm',
];

/** NXM_1 field number → name. */
const NXM1: Readonly<Record<number, string>> = {
  ...Object.fromEntries(Array.from({ length: 16 }, (_, i) => [i, `reg${i}`])),
  16: 'tunnel_id_nxm', 17: 'arp_sha_nxm', 18: 'arp_tha_nxm', 19: 'ipv6_src_nxm', 20: 'ipv6_dst_nxm', 21: 'icmpv6_type_nxm',
  22: 'icmpv6_code_nxm', 23: 'nd_target', 24: 'nd_sll', 25: 'nd_tll', 26: 'ip_frag', 27: 'ipv6_label', 28: 'ip_ecn_nxm',
  29: 'nw_ttl', 30: 'mpls_ttl', 31: 'tun_ipv4_src', 32: 'tun_ipv4_dst', 33: 'pkt_mark', 34: 'tcp_flags_nxm', 36: '_recirc_id',
  37: 'conj_id', 38: 'tun_gbp_id', 39: 'tun_gbp_flags', 104: 'tun_flags', 105: 'ct_state', 106: 'ct_zone', 107: 'ct_mark',
  108: 'ct_label', 109: 'tun_ipv6_src', 110: 'tun_ipv6_dst', 111: 'xxreg0', 112: 'xxreg1', 113: 'xxreg2', 114: 'xxreg3',
};

const OFPXMC_NXM_0 = 0x0000;
const OFPXMC_NXM_1 = 0x0001;
const OFPXMC_PACKET_REGS = 0x8001;

/** os-ken's name for a non-basic OXM id, or its fallback "field_<class << 7 | field>". */
export function nxmName(oxmClass: number, field: number): string {
  const named = oxmClass === OFPXMC_NXM_0 ? NXM0[field]
    : oxmClass === OFPXMC_NXM_1 ? NXM1[field]
      : oxmClass === OFPXMC_PACKET_REGS && field < 8 ? `xreg${field}` : undefined;
  return named ?? `field_${oxmClass * 128 + field}`;
}
