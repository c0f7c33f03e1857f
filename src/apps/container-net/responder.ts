// The controller's answers inside a container network: ARP for known
// endpoints and for the gateway (so no ARP request is ever flooded, and
// none reaches another network), and echo replies from the gateway
// address. Pure: a frame in, the reply frame (or nothing) out.

import { arpReply, buildEthernet, buildIcmpEcho, buildIpv4, decodePacket, ETHERTYPE_IPV4, ICMP_ECHO_REQUEST, IPPROTO_ICMP } from '../../packet/index.js';
import { gatewayMac } from './ipam.js';
import type { Endpoint, Network } from './types.js';

export function answer(frame: Buffer, net: Network, endpoints: readonly Endpoint[]): Buffer | undefined {
  const p = decodePacket(frame);
  if (p.arp) {
    if (p.arp.op !== 1) return undefined;
    if (p.arp.tpa === net.gateway) return arpReply(p, gatewayMac(net.id));
    const target = endpoints.find((e) => e.network === net.name && e.ip === p.arp!.tpa);
    // The asker itself (a duplicate-address probe) and unknown targets get no answer.
    if (!target || target.mac === p.arp.sha) return undefined;
    return arpReply(p, target.mac);
  }
  if (p.eth && p.ipv4 && p.icmp && p.ipv4.protocol === IPPROTO_ICMP && p.icmp.type === ICMP_ECHO_REQUEST && p.ipv4.dst === net.gateway) {
    const start = (p.payloadOffset ?? frame.length);
    const end = Math.min(frame.length, 14 + p.vlans.length * 4 + p.ipv4.totalLength);
    const icmp = buildIcmpEcho({ reply: true, identifier: p.icmp.identifier ?? 0, sequence: p.icmp.sequence ?? 0, data: frame.subarray(start, Math.max(start, end)) });
    return buildEthernet({
      dst: p.eth.src, src: gatewayMac(net.id), ethertype: ETHERTYPE_IPV4,
      payload: buildIpv4({ src: net.gateway, dst: p.ipv4.src, protocol: IPPROTO_ICMP, payload: icmp, id: p.ipv4.identification }),
    });
  }
  return undefined;
}
