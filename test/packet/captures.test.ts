// Real frames captured from the Linux kernel (fixtures/capture.sh): decode
// must agree with tshark field by field and find every checksum correct;
// the builders must reproduce the captured bytes exactly from field values
// tshark reported.
import t, { type Test } from 'tap';
import {
  ARP_REQUEST,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV4_FLAG_DF,
  NDP_HOP_LIMIT,
  arpReply,
  buildArp,
  buildEthernet,
  buildIcmp,
  buildIcmpEcho,
  buildIcmpv6,
  buildIcmpv6Echo,
  buildIcmpv6NeighborAdvert,
  buildIcmpv6NeighborSolicit,
  buildIcmpv6RouterSolicit,
  buildIpv4,
  buildIpv6,
  buildTcp,
  buildUdp,
  decodePacket,
  parseEthernet,
  type DecodedPacket,
} from '../../src/packet/index.js';
import { bytesDiff, captures, type CapturedFrame } from './helpers.js';

const frames = captures();
const num = (s: string | undefined): number => Number(s);

/** [field, ours, tshark's] for every tshark field our decoder also reports. */
function compare(d: DecodedPacket, ts: Readonly<Record<string, string>>): [string, unknown, unknown][] {
  const out: [string, unknown, unknown][] = [];
  const add = (field: string, ours: unknown, theirs: unknown): void => {
    if (ts[field] !== undefined) out.push([field, ours, theirs]);
  };
  add('eth.dst', d.eth?.dst, ts['eth.dst']);
  add('eth.src', d.eth?.src, ts['eth.src']);
  add('eth.type', d.eth?.ethertype, num(ts['eth.type']));
  add('arp.opcode', d.arp?.op, num(ts['arp.opcode']));
  add('arp.src.hw_mac', d.arp?.sha, ts['arp.src.hw_mac']);
  add('arp.src.proto_ipv4', d.arp?.spa, ts['arp.src.proto_ipv4']);
  add('arp.dst.hw_mac', d.arp?.tha, ts['arp.dst.hw_mac']);
  add('arp.dst.proto_ipv4', d.arp?.tpa, ts['arp.dst.proto_ipv4']);
  const ip = d.ipv4;
  add('ip.hdr_len', ip && ip.ihl * 4, num(ts['ip.hdr_len']));
  add('ip.len', ip?.totalLength, num(ts['ip.len']));
  add('ip.id', ip?.identification, num(ts['ip.id']));
  add('ip.flags', ip?.flags, num(ts['ip.flags']));
  add('ip.ttl', ip?.ttl, num(ts['ip.ttl']));
  add('ip.proto', ip?.protocol, num(ts['ip.proto']));
  add('ip.checksum', ip?.checksum, num(ts['ip.checksum']));
  add('ip.src', ip?.src, ts['ip.src']);
  add('ip.dst', ip?.dst, ts['ip.dst']);
  add('ip.dsfield', ip && (ip.dscp << 2) | ip.ecn, num(ts['ip.dsfield']));
  const v6 = d.ipv6;
  add('ipv6.tclass', v6?.trafficClass, num(ts['ipv6.tclass']));
  add('ipv6.flow', v6?.flowLabel, num(ts['ipv6.flow']));
  add('ipv6.plen', v6?.payloadLength, num(ts['ipv6.plen']));
  add('ipv6.nxt', v6?.nextHeader, num(ts['ipv6.nxt']));
  add('ipv6.hlim', v6?.hopLimit, num(ts['ipv6.hlim']));
  add('ipv6.src', v6?.src, ts['ipv6.src']);
  add('ipv6.dst', v6?.dst, ts['ipv6.dst']);
  add('ipv6.hopopts.nxt', v6?.protocol, num(ts['ipv6.hopopts.nxt']));
  add('icmp.type', d.icmp?.type, num(ts['icmp.type']));
  add('icmp.code', d.icmp?.code, num(ts['icmp.code']));
  add('icmp.checksum', d.icmp?.checksum, num(ts['icmp.checksum']));
  add('icmp.ident', d.icmp?.identifier, num(ts['icmp.ident']));
  add('icmp.seq', d.icmp?.sequence, num(ts['icmp.seq']));
  const i6 = d.icmpv6;
  add('icmpv6.type', i6?.type, num(ts['icmpv6.type']));
  add('icmpv6.code', i6?.code, num(ts['icmpv6.code']));
  add('icmpv6.checksum', i6?.checksum, num(ts['icmpv6.checksum']));
  add('icmpv6.echo.identifier', i6?.identifier, num(ts['icmpv6.echo.identifier']));
  add('icmpv6.echo.sequence_number', i6?.sequence, num(ts['icmpv6.echo.sequence_number']));
  add('icmpv6.nd.ns.target_address', i6?.targetAddress, ts['icmpv6.nd.ns.target_address']);
  add('icmpv6.nd.na.target_address', i6?.targetAddress, ts['icmpv6.nd.na.target_address']);
  add('icmpv6.nd.na.flag', i6 && ((i6.router ? 0x80 : 0) | (i6.solicited ? 0x40 : 0) | (i6.override ? 0x20 : 0)), num(ts['icmpv6.nd.na.flag']) >>> 24);
  add('icmpv6.opt.src_linkaddr', i6?.sourceLinkLayerAddress, ts['icmpv6.opt.src_linkaddr']);
  add('icmpv6.opt.target_linkaddr', i6?.targetLinkLayerAddress, ts['icmpv6.opt.target_linkaddr']);
  add('udp.srcport', d.udp?.srcPort, num(ts['udp.srcport']));
  add('udp.dstport', d.udp?.dstPort, num(ts['udp.dstport']));
  add('udp.length', d.udp?.length, num(ts['udp.length']));
  add('udp.checksum', d.udp?.checksum, num(ts['udp.checksum']));
  const tcp = d.tcp;
  add('tcp.srcport', tcp?.srcPort, num(ts['tcp.srcport']));
  add('tcp.dstport', tcp?.dstPort, num(ts['tcp.dstport']));
  add('tcp.seq_raw', tcp?.seq, num(ts['tcp.seq_raw']));
  add('tcp.ack_raw', tcp?.ack, num(ts['tcp.ack_raw']));
  add('tcp.hdr_len', tcp && tcp.dataOffset * 4, num(ts['tcp.hdr_len']));
  add('tcp.flags', tcp?.flags, num(ts['tcp.flags']) & 0x1ff);
  add('tcp.window_size_value', tcp?.window, num(ts['tcp.window_size_value']));
  add('tcp.checksum', tcp?.checksum, num(ts['tcp.checksum']));
  add('tcp.urgent_pointer', tcp?.urgentPointer, num(ts['tcp.urgent_pointer']));
  add('tcp.len', tcp && (d.payload ?? '').length / 2, num(ts['tcp.len']));
  return out;
}

t.test('every captured frame decodes as tshark decodes it, checksums correct', async (t) => {
  t.ok(frames.length >= 30, `${frames.length} captured frames`);
  for (const [i, f] of frames.entries()) {
    const buf = Buffer.from(f.hex, 'hex');
    const d = decodePacket(buf, { checksums: true });
    const label = `#${i + 1} ${f.info}`;
    t.equal(d.error, undefined, `${label}: no error`);
    // Fields of an ICMP error's quoted packet are tshark's, not a layer we decode.
    const quoted = /icmp(v6)?:ipv?6?:/.test(f.tshark['frame.protocols'] ?? '');
    for (const [field, ours, theirs] of compare(d, f.tshark)) {
      if (quoted && field.startsWith('udp.')) continue;
      t.equal(ours, theirs, `${label}: ${field}`);
    }
    for (const layer of [d.ipv4, d.icmp, d.icmpv6, d.udp, d.tcp]) {
      if (layer && 'checksumOk' in layer) t.equal(layer.checksumOk, true, `${label}: checksum verifies`);
    }
    const e = parseEthernet(buf);
    t.notOk('reason' in e, `${label}: parseEthernet`);
  }
});

t.test('layers found match tshark\'s protocol stack', async (t) => {
  for (const f of frames) {
    const d = decodePacket(Buffer.from(f.hex, 'hex'));
    const stack = (f.tshark['frame.protocols'] ?? '').split(':');
    const layers = stack.slice(0, stack.findIndex((p, i) => i > 0 && /^(ip|ipv6)$/.test(p) && /icmp/.test(stack[i - 1]!)) >>> 0);
    t.equal(Boolean(d.arp), layers.includes('arp'), `${f.info}: arp`);
    t.equal(Boolean(d.ipv4), layers.includes('ip'), `${f.info}: ipv4`);
    t.equal(Boolean(d.ipv6), layers.includes('ipv6'), `${f.info}: ipv6`);
    t.equal(Boolean(d.icmp), layers.includes('icmp'), `${f.info}: icmp`);
    t.equal(Boolean(d.icmpv6), layers.includes('icmpv6'), `${f.info}: icmpv6`);
    t.equal(Boolean(d.udp), layers.includes('udp'), `${f.info}: udp`);
    t.equal(Boolean(d.tcp), layers.includes('tcp'), `${f.info}: tcp`);
  }
});

function frame(pred: (f: CapturedFrame) => boolean): { f: CapturedFrame; buf: Buffer; ts: Readonly<Record<string, string>> } {
  const f = frames.find(pred);
  if (!f) throw new Error('no such captured frame');
  return { f, buf: Buffer.from(f.hex, 'hex'), ts: f.tshark };
}
const proto = (p: string) => (f: CapturedFrame) => f.tshark['frame.protocols'] === p;
const info = (re: RegExp) => (f: CapturedFrame) => re.test(f.info);

/** The kernel hands the NIC frames under 60 bytes unpadded; builders pad them. */
function padded(buf: Buffer): Buffer {
  return buf.length >= 60 ? buf : Buffer.concat([buf, Buffer.alloc(60 - buf.length)]);
}

function same(t: Test, built: Buffer, expected: Buffer, what: string): void {
  t.equal(bytesDiff(built, padded(expected)), undefined, what);
}

function v4(ts: Readonly<Record<string, string>>, protocol: number, payload: Buffer): Buffer {
  return buildIpv4({
    src: ts['ip.src']!,
    dst: ts['ip.dst']!,
    protocol,
    ttl: num(ts['ip.ttl']),
    id: num(ts['ip.id']),
    flags: num(ts['ip.flags']),
    dscp: num(ts['ip.dsfield']) >> 2,
    payload,
  });
}
function v6(ts: Readonly<Record<string, string>>, nextHeader: number, payload: Buffer): Buffer {
  return buildIpv6({
    src: ts['ipv6.src']!,
    dst: ts['ipv6.dst']!,
    nextHeader,
    hopLimit: num(ts['ipv6.hlim']),
    trafficClass: num(ts['ipv6.tclass']),
    flowLabel: num(ts['ipv6.flow']),
    payload,
  });
}
function eth(ts: Readonly<Record<string, string>>, payload: Buffer): Buffer {
  return buildEthernet({ dst: ts['eth.dst']!, src: ts['eth.src']!, ethertype: num(ts['eth.type']), payload });
}

t.test('builders reproduce captured frames byte for byte', async (t) => {
  {
    const { buf, ts } = frame(info(/^Who has/));
    same(t, buildEthernet({ dst: 'ff:ff:ff:ff:ff:ff', src: ts['arp.src.hw_mac']!, ethertype: ETHERTYPE_ARP, payload: buildArp({ op: ARP_REQUEST, sha: ts['arp.src.hw_mac']!, spa: ts['arp.src.proto_ipv4']!, tpa: ts['arp.dst.proto_ipv4']! }) }), buf, 'ARP request');
    const reply = frame(info(/ is at /)).buf;
    same(t, arpReply(decodePacket(buf), frame(info(/ is at /)).ts['arp.src.hw_mac']!), reply, 'arpReply answers the captured request as Linux did');
  }
  for (const re of [/^Echo \(ping\) request/, /^Echo \(ping\) reply/]) {
    const { buf, ts } = frame((f) => re.test(f.info) && f.tshark['ip.src'] !== undefined);
    const icmp = buildIcmpEcho({ reply: num(ts['icmp.type']) === 0, identifier: num(ts['icmp.ident']), sequence: num(ts['icmp.seq']), data: buf.subarray(42) });
    same(t, eth(ts, v4(ts, IPPROTO_ICMP, icmp)), buf, `ICMP ${re.source}`);
  }
  {
    const { buf, ts } = frame(proto('eth:ethertype:ip:icmp:ip:udp:data'));
    t.equal(num(ts['ip.flags']) & IPV4_FLAG_DF, 0);
    same(t, eth(ts, v4(ts, IPPROTO_ICMP, buildIcmp({ type: num(ts['icmp.type']), code: num(ts['icmp.code']), payload: buf.subarray(42) }))), buf, 'ICMP port unreachable');
  }
  for (const re of [/^Echo \(ping\) request/, /^Echo \(ping\) reply/]) {
    const { buf, ts } = frame((f) => re.test(f.info) && f.tshark['ipv6.src'] !== undefined);
    const icmp = buildIcmpv6Echo({ src: ts['ipv6.src']!, dst: ts['ipv6.dst']!, reply: num(ts['icmpv6.type']) === 129, identifier: num(ts['icmpv6.echo.identifier']), sequence: num(ts['icmpv6.echo.sequence_number']), data: buf.subarray(62) });
    same(t, eth(ts, v6(ts, IPPROTO_ICMPV6, icmp)), buf, `ICMPv6 ${re.source}`);
  }
  {
    const { buf, ts } = frame(info(/^Neighbor Solicitation for fd00/));
    t.equal(num(ts['ipv6.hlim']), NDP_HOP_LIMIT);
    const ns = buildIcmpv6NeighborSolicit({ src: ts['ipv6.src']!, target: ts['icmpv6.nd.ns.target_address']!, sourceLinkLayerAddress: ts['icmpv6.opt.src_linkaddr']! });
    same(t, eth(ts, v6(ts, IPPROTO_ICMPV6, ns)), buf, 'neighbor solicitation (solicited-node destination by default)');
  }
  {
    // Duplicate address detection: from ::, no link-layer option, but Linux
    // adds a nonce (RFC 7527, option 14), which decodes as a raw option.
    const { buf, ts } = frame(info(/^Neighbor Solicitation for fe80/));
    const d = decodePacket(buf);
    t.same(d.icmpv6?.options, [{ type: 'option', code: 14, data: buf.toString('hex', 80, 86) }], 'nonce option kept raw');
    const ns = buildIcmpv6NeighborSolicit({ src: '::', target: ts['icmpv6.nd.ns.target_address']!, options: [{ type: 'option', code: 14, data: buf.subarray(80, 86) }] });
    same(t, eth(ts, v6(ts, IPPROTO_ICMPV6, ns)), buf, 'DAD neighbor solicitation');
  }
  {
    const { buf, ts } = frame(info(/^Neighbor Advertisement/));
    const flags = num(ts['icmpv6.nd.na.flag']) >>> 0;
    const na = buildIcmpv6NeighborAdvert({
      src: ts['ipv6.src']!,
      dst: ts['ipv6.dst']!,
      target: ts['icmpv6.nd.na.target_address']!,
      router: (flags & 0x80000000) !== 0,
      solicited: (flags & 0x40000000) !== 0,
      override: (flags & 0x20000000) !== 0,
      targetLinkLayerAddress: ts['icmpv6.opt.target_linkaddr']!,
    });
    same(t, eth(ts, v6(ts, IPPROTO_ICMPV6, na)), buf, 'neighbor advertisement');
  }
  {
    const { buf, ts } = frame(info(/^Router Solicitation/));
    same(t, eth(ts, v6(ts, IPPROTO_ICMPV6, buildIcmpv6RouterSolicit({ src: ts['ipv6.src']!, sourceLinkLayerAddress: ts['eth.src']! }))), buf, 'router solicitation');
  }
  {
    // MLDv2 report behind a hop-by-hop header (router alert): the checksum
    // covers only the ICMPv6 message, the header bytes are passed through.
    const { buf, ts } = frame(proto('eth:ethertype:ipv6:ipv6.hopopts:icmpv6'));
    const hopByHop = buf.subarray(54, 62);
    const mld = buildIcmpv6({ src: ts['ipv6.src']!, dst: ts['ipv6.dst']!, type: num(ts['icmpv6.type']), body: buf.subarray(66) });
    same(t, eth(ts, v6(ts, 0, Buffer.concat([hopByHop, mld]))), buf, 'MLDv2 report with hop-by-hop header');
  }
  for (const pred of [info(/\[SYN\]/), info(/\[SYN, ACK\]/), info(/\[PSH, ACK\]/), info(/\[FIN, ACK\]/)]) {
    const { f, buf, ts } = frame(pred);
    const hdr = num(ts['tcp.hdr_len']);
    const tcp = buildTcp({
      src: ts['ip.src']!,
      dst: ts['ip.dst']!,
      srcPort: num(ts['tcp.srcport']),
      dstPort: num(ts['tcp.dstport']),
      seq: num(ts['tcp.seq_raw']),
      ack: num(ts['tcp.ack_raw']),
      flags: num(ts['tcp.flags']) & 0x1ff,
      window: num(ts['tcp.window_size_value']),
      options: buf.subarray(54, 34 + hdr),
      payload: buf.subarray(34 + hdr),
    });
    same(t, eth(ts, v4(ts, IPPROTO_TCP, tcp)), buf, `TCP ${f.info.slice(0, 30)}`);
  }
  {
    const { buf, ts } = frame(proto('eth:ethertype:ip:udp:data'));
    const udp = buildUdp({ src: ts['ip.src']!, dst: ts['ip.dst']!, srcPort: num(ts['udp.srcport']), dstPort: num(ts['udp.dstport']), payload: buf.subarray(42) });
    same(t, eth(ts, v4(ts, IPPROTO_UDP, udp)), buf, 'UDP over IPv4');
  }
  {
    const { buf, ts } = frame(proto('eth:ethertype:ipv6:udp:data'));
    const udp = buildUdp({ src: ts['ipv6.src']!, dst: ts['ipv6.dst']!, srcPort: num(ts['udp.srcport']), dstPort: num(ts['udp.dstport']), payload: buf.subarray(62) });
    same(t, eth(ts, v6(ts, IPPROTO_UDP, udp)), buf, 'UDP over IPv6 (with a flow label)');
  }
  t.equal(ETHERTYPE_IPV4, 0x0800);
  t.equal(ETHERTYPE_IPV6, 0x86dd);
});
