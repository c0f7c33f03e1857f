// Frames written by hand from the specs' layouts, for what the kernel
// capture cannot produce here (VLAN tags, LLDP, DHCP, IPv4 options, IPv6
// extension header chains, router advertisements). Checksums were computed
// with a separate Python script, and hand-written.test.ts has tshark confirm
// both the fields and the checksums.
import { hex } from './helpers.js';

const zeros = (n: number): string => '00'.repeat(n);
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

export const VLAN_ARP = hex(`
  ff ff ff ff ff ff  02 00 00 00 00 01   # dst broadcast, src
  81 00  60 0a                           # 802.1Q: PCP 3, DEI 0, VID 10
  08 06                                  # ARP
  00 01  08 00  06  04  00 01            # Ethernet, IPv4, hlen 6, plen 4, request
  02 00 00 00 00 01  0a 00 0a 01         # sha, spa 10.0.10.1
  00 00 00 00 00 00  0a 00 0a 02         # tha (unknown), tpa 10.0.10.2
  ${zeros(14)}                           # padding to 60 bytes
`);

export const QINQ_ICMP = hex(`
  02 00 00 00 00 02  02 00 00 00 00 01
  88 a8  10 64                           # 802.1ad S-tag: PCP 0, DEI 1, VID 100
  81 00  a0 14                           # 802.1Q C-tag: PCP 5, DEI 0, VID 20
  08 00
  45 00 00 20  01 01 00 00  40 01 65 da  # IPv4, total 32, id 0x0101, TTL 64, ICMP, checksum
  0a 00 00 01  0a 00 00 02               # 10.0.0.1 -> 10.0.0.2
  08 00 21 04  12 34 00 01               # echo request, checksum, id 0x1234, seq 1
  61 62 63 64                            # "abcd"
  ${zeros(6)}                            # padding to 60 bytes
`);

export const LLDP_FULL = hex(`
  01 80 c2 00 00 0e  02 00 00 00 00 01  88 cc
  02 16 07 ${ascii('dpid:0000000000000001')}  # chassis id (1), len 22: locally assigned (7)
  04 02 02 31                            # port id (2), len 2: port component (2) "1"
  06 02 00 78                            # TTL (3): 120 s
  08 07 ${ascii('s1-eth1')}              # port description (4)
  0a 08 ${ascii('switch-1')}             # system name (5)
  0e 04 00 14 00 04                      # system capabilities (7): bridge+router, bridge enabled
  10 0c 05 01 0a 00 00 01 02 00 00 00 01 00  # management address (8): IPv4 10.0.0.1, ifIndex 1, no OID
  fe 06 00 80 c2 01 00 01                # org specific (127): IEEE 802.1 (00-80-c2) port VLAN id (1): 1
  00 00                                  # end of LLDPDU
`);

export const LLDP_MAC = hex(`
  01 80 c2 00 00 0e  02 00 00 00 00 02  88 cc
  02 07 04 02 00 00 00 00 02             # chassis id, len 7: MAC address (4)
  04 08 07 ${ascii('s1-eth2')}           # port id, len 8: locally assigned (7)
  06 02 00 78                            # TTL 120
  00 00                                  # end
  ${zeros(21)}                           # padding to 60 bytes
`);

const BOOTP_NAMES = zeros(64 + 128); // sname, file: unused

export const DHCP_DISCOVER = hex(`
  ff ff ff ff ff ff  02 00 00 00 00 01  08 00
  45 00 01 48  00 00 00 00  40 11 79 a6  # IPv4, total 328, TTL 64, UDP, checksum
  00 00 00 00  ff ff ff ff               # 0.0.0.0 -> 255.255.255.255
  00 44 00 43  01 34 2d 76               # UDP 68 -> 67, length 308, checksum
  01 01 06 00                            # BOOTREQUEST, Ethernet, hlen 6, hops 0
  39 03 f3 26  00 00 80 00               # xid, secs 0, flags: broadcast
  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  # ciaddr yiaddr siaddr giaddr
  02 00 00 00 00 01 ${zeros(10)}         # chaddr
  ${BOOTP_NAMES}
  63 82 53 63                            # magic cookie
  35 01 01                               # message type: DISCOVER
  3d 07 01 02 00 00 00 00 01             # client id: Ethernet + MAC
  32 04 c0 a8 01 64                      # requested IP 192.168.1.100
  0c 05 ${ascii('host1')}                # host name
  37 04 01 03 06 0f                      # parameter request list (kept raw)
  ff                                     # end
  ${zeros(28)}                           # BOOTP minimum of 300 bytes
`);

export const DHCP_OFFER = hex(`
  ff ff ff ff ff ff  02 00 00 00 00 fe  08 00
  45 00 01 48  00 00 00 00  40 11 b7 fc
  c0 a8 01 01  ff ff ff ff               # 192.168.1.1 -> 255.255.255.255
  00 43 00 44  01 34 08 2a               # UDP 67 -> 68
  02 01 06 00  39 03 f3 26  00 00 80 00  # BOOTREPLY
  00 00 00 00  c0 a8 01 64  c0 a8 01 01  00 00 00 00  # yiaddr .100, siaddr .1
  02 00 00 00 00 01 ${zeros(10)}
  ${BOOTP_NAMES}
  63 82 53 63
  35 01 02                               # OFFER
  36 04 c0 a8 01 01                      # server id
  33 04 00 01 51 80                      # lease time 86400 s
  01 04 ff ff ff 00                      # subnet mask
  03 04 c0 a8 01 01                      # router
  06 08 08 08 08 08 08 08 04 04          # DNS 8.8.8.8, 8.8.4.4
  ff
  ${zeros(22)}
`);

export const IGMP_ROUTER_ALERT = hex(`
  01 00 5e 00 01 16  02 00 00 00 00 01  08 00
  46 c0 00 20  00 00 00 00  01 02 39 01  # IPv4, ihl 6, DSCP 48, total 32, TTL 1, IGMP
  0a 00 00 01  e0 00 01 16               # 10.0.0.1 -> 224.0.1.22
  94 04 00 00                            # option: router alert (RFC 2113)
  16 00 08 e9  e0 00 01 16               # IGMPv2 membership report
  ${zeros(14)}
`);

export const IPV6_EXTENSION_CHAIN = hex(`
  02 00 00 00 00 02  02 00 00 00 00 01  86 dd
  60 00 00 00  00 3c 00 40               # payload 60, next: hop-by-hop (0), hop limit 64
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
  2b 00 01 04 00 00 00 00                # hop-by-hop: next routing (43), PadN
  2c 02 04 00 00 00 00 00                # routing: next fragment (44), len 2, SRH (4), segments left 0
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 aa
  3c 00 00 00 12 34 56 78                # fragment: next dest-opts (60), offset 0, M 0, id
  11 00 01 04 00 00 00 00                # destination options: next UDP (17), PadN
  13 88 00 07 00 0c b2 01                # UDP 5000 -> 7 (echo), length 12
  70 69 6e 67                            # "ping"
`);

export const ROUTER_ADVERT = hex(`
  33 33 00 00 00 01  02 00 00 00 00 01  86 dd
  60 00 00 00  00 40 3a ff               # payload 64, ICMPv6, hop limit 255
  fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01
  ff 02 00 00 00 00 00 00 00 00 00 00 00 00 00 01
  86 00 b2 63                            # router advertisement
  40 c0 07 08                            # cur hop limit 64, M|O, router lifetime 1800
  00 00 75 30  00 00 03 e8               # reachable 30000 ms, retrans 1000 ms
  01 01 02 00 00 00 00 01                # source link-layer address
  05 01 00 00 00 00 05 78                # MTU 1400
  03 04 40 c0                            # prefix information: /64, on-link, autonomous
  00 01 51 80  00 00 38 40  00 00 00 00  # valid 86400, preferred 14400, reserved
  20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 00
`);

export const ALL_HAND_WRITTEN: Readonly<Record<string, Buffer>> = {
  VLAN_ARP,
  QINQ_ICMP,
  LLDP_FULL,
  LLDP_MAC,
  DHCP_DISCOVER,
  DHCP_OFFER,
  IGMP_ROUTER_ALERT,
  IPV6_EXTENSION_CHAIN,
  ROUTER_ADVERT,
};
