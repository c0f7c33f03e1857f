// No exception may escape a parser, whatever the bytes: every fixture cut
// at every offset, then random and mutated frames. Only PacketErrors of the
// kinds parsers produce may come back ('internal' means a parser threw and
// the boundary caught it, which is a bug), with offsets inside the frame.
import t from 'tap';
import {
  decodePacket,
  parseArp,
  parseDhcp,
  parseDhcpOptions,
  parseEthernet,
  parseIcmp,
  parseIcmpv6,
  parseIpv4,
  parseIpv6,
  parseLldp,
  parseNdpOptions,
  parseTcp,
  parseUdp,
  PacketError,
} from '../../src/packet/index.js';
import { ALL_HAND_WRITTEN } from './hand-written.js';
import { captures, rng } from './helpers.js';

const SEED = Number(process.env.PACKET_FUZZ_SEED ?? Date.now() % 1_000_000);
const COUNT = Number(process.env.PACKET_FUZZ_COUNT ?? 20_000);

const corpus: Buffer[] = [...captures().map((f) => Buffer.from(f.hex, 'hex')), ...Object.values(ALL_HAND_WRITTEN)];

/** Why `buf` broke the contract, or undefined. */
function violation(buf: Buffer): string | undefined {
  let d;
  try {
    d = decodePacket(buf, { checksums: true });
    JSON.stringify(d);
    const e = parseEthernet(buf);
    if (e instanceof PacketError && e.kind === 'internal') return 'parseEthernet internal error';
  } catch (e) {
    return `threw: ${(e as Error).stack ?? String(e)}`;
  }
  const err = d.error;
  if (err) {
    if (err.kind === 'internal') return `internal error: ${err.reason}`;
    if (!(err.offset >= 0 && err.offset <= buf.length)) return `error offset ${err.offset} outside a ${buf.length}-byte frame`;
  }
  if (d.payloadOffset !== undefined && (d.payloadOffset < 0 || d.payloadOffset > buf.length)) return `payloadOffset ${d.payloadOffset}`;
  return undefined;
}

/** The layer parsers called directly, at an arbitrary start and end inside `buf`. */
function layerViolation(buf: Buffer, off: number, end: number, whole: boolean): string | undefined {
  const src = Buffer.alloc(16);
  const calls: [string, () => unknown][] = [
    ['parseArp', () => parseArp(buf, off, end)],
    ['parseIpv4', () => parseIpv4(buf, off, end, true)],
    ['parseIpv6', () => parseIpv6(buf, off, end)],
    ['parseIcmp', () => parseIcmp(buf, off, end, true, whole)],
    ['parseIcmpv6', () => parseIcmpv6(buf, off, end, whole, { src, dst: src })],
    ['parseUdp', () => parseUdp(buf, off, end)],
    ['parseTcp', () => parseTcp(buf, off, end)],
    ['parseLldp', () => parseLldp(buf, off, end)],
    ['parseDhcp', () => parseDhcp(buf, off, end, whole)],
    ['parseNdpOptions', () => parseNdpOptions(buf, off, end, whole)],
    ['parseDhcpOptions', () => parseDhcpOptions(buf, off, end, whole)],
  ];
  for (const [name, call] of calls) {
    try {
      const r = call();
      if (r instanceof PacketError && (r.kind === 'internal' || r.offset < off || r.offset > end)) return `${name}: ${r.toString()}`;
    } catch (e) {
      return `${name}(${off}, ${end}) threw: ${(e as Error).message}`;
    }
  }
  return undefined;
}

t.test('every fixture cut at every offset', async (t) => {
  let cuts = 0;
  const failures: string[] = [];
  for (const [i, frame] of corpus.entries()) {
    for (let n = 0; n <= frame.length; n++) {
      const cut = Buffer.from(frame.subarray(0, n)); // a copy: no bytes past the end to lean on
      const v = violation(cut) ?? layerViolation(cut, Math.min(14, n), n, n === frame.length);
      if (v) failures.push(`frame ${i} cut at ${n}: ${v}`);
      cuts++;
    }
  }
  t.same(failures.slice(0, 5), [], 'no violations');
  t.ok(cuts > 3000, `${cuts} truncated frames`);
});

function randomBytes(r: () => number, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

/** Random bytes behind headers likely enough to reach the deeper parsers. */
function plausible(r: () => number): Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const b = randomBytes(r, Math.floor(r() * 400));
  if (b.length < 14) return b;
  let off = 12;
  for (let tags = Math.floor(r() * 3); tags > 0 && off + 4 <= b.length; tags--, off += 4) b.writeUInt16BE(pick([0x8100, 0x88a8]), off);
  if (off + 2 > b.length) return b;
  const type = pick([0x0800, 0x86dd, 0x0806, 0x88cc, 0x0800, 0x86dd]);
  b.writeUInt16BE(type, off);
  const ip = off + 2;
  if (type === 0x0800 && ip + 20 <= b.length) {
    b[ip] = 0x40 | pick([5, 5, 5, 6, 15, 4]);
    b.writeUInt16BE(r() < 0.7 ? b.length - ip : Math.floor(r() * 0x10000), ip + 2);
    if (r() < 0.8) b.writeUInt16BE(r() < 0.2 ? 0x2000 : 0, ip + 6);
    b[ip + 9] = pick([1, 6, 17, 17, 2]);
    const l4 = ip + (b[ip]! & 0xf) * 4;
    if (b[ip + 9] === 17 && l4 + 4 <= b.length) b.writeUInt16BE(pick([67, 68, 53, 1234]), l4 + (r() < 0.5 ? 0 : 2));
    if (l4 + 248 <= b.length && r() < 0.5) b.writeUInt32BE(0x63825363, l4 + 8 + 236);
  } else if (type === 0x86dd && ip + 40 <= b.length) {
    b[ip] = 0x60;
    b.writeUInt16BE(r() < 0.7 ? b.length - ip - 40 : Math.floor(r() * 0x10000), ip + 4);
    b[ip + 6] = pick([0, 43, 44, 60, 51, 58, 58, 17, 6, 59]);
    for (let p = ip + 40; p + 2 <= b.length && r() < 0.6; p += 8) {
      b[p] = pick([0, 43, 44, 60, 58, 17, 6]);
      b[p + 1] = r() < 0.7 ? 0 : b[p + 1]!;
    }
    if (b[ip + 6] === 58 && ip + 41 <= b.length) b[ip + 40] = pick([128, 129, 133, 134, 135, 136, 1]);
  } else if (type === 0x88cc) {
    // chassis id, port id, TTL in order, then whatever the random bytes say
    let p = ip;
    for (const code of [1, 2, 3]) {
      const len = code === 3 ? 2 : 2 + Math.floor(r() * 10);
      if (p + 2 + len > b.length || r() < 0.05) break;
      b.writeUInt16BE((code << 9) | len, p);
      if (code < 3) b[p + 2] = 1 + Math.floor(r() * 7);
      p += 2 + len;
    }
    if (p + 2 <= b.length && r() < 0.5) b.writeUInt16BE(0, p);
  } else if (type === 0x0806 && ip + 6 <= b.length && r() < 0.9) {
    b[ip + 4] = 6;
    b[ip + 5] = 4;
  }
  return b;
}

function mutate(r: () => number, base: Buffer): Buffer {
  const b = Buffer.from(base);
  const int = (n: number): number => Math.floor(r() * n);
  if (b.length === 0) return b;
  switch (int(5)) {
    case 0:
      for (let i = 0, n = 1 + int(4); i < n; i++) b[int(b.length)]! ^= 1 << int(8);
      return b;
    case 1:
      for (let i = 0, n = 1 + int(4); i < n; i++) b[int(b.length)] = int(256);
      return b;
    case 2: {
      // a 16-bit field, likely a length, set to an edge value
      const at = int(Math.max(1, b.length - 1));
      if (at + 2 <= b.length) b.writeUInt16BE([0, 1, 7, 8, 0xff, 0xffff, b.length, b.length - at][int(8)]! & 0xffff, at);
      return b;
    }
    case 3: {
      const at = int(b.length);
      return r() < 0.5 ? Buffer.concat([b.subarray(0, at), randomBytes(r, 1 + int(8)), b.subarray(at)]) : Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(8)))]);
    }
    default:
      return Buffer.from(b.subarray(0, int(b.length + 1)));
  }
}

t.test(`fuzz: random and mutated frames (seed ${SEED}, set PACKET_FUZZ_SEED to replay)`, async (t) => {
  const r = rng(SEED);
  const failures: string[] = [];
  const check = (kind: string, i: number, buf: Buffer): void => {
    const v = violation(buf) ?? layerViolation(buf, Math.floor(r() * (buf.length + 1)), buf.length, r() < 0.5);
    if (v && failures.length < 5) failures.push(`${kind} #${i} (${buf.toString('hex')}): ${v}`);
  };
  let decoded = 0;
  const depth = { ipv4: 0, ipv6: 0, tcp: 0, udp: 0, icmp: 0, icmpv6: 0, lldp: 0, dhcp: 0, arp: 0 };
  for (let i = 0; i < COUNT; i++, decoded++) check('random', i, randomBytes(r, Math.floor(r() * 300)));
  for (let i = 0; i < COUNT; i++, decoded++) {
    const buf = plausible(r);
    check('plausible', i, buf);
    const d = decodePacket(buf);
    for (const k of Object.keys(depth) as (keyof typeof depth)[]) if (d[k]) depth[k]++;
  }
  for (let i = 0; i < COUNT; i++, decoded++) check('mutated', i, mutate(r, corpus[Math.floor(r() * corpus.length)]!));
  t.same(failures, [], 'no exception, no internal error, offsets inside the frame');
  t.ok(decoded >= 3 * 20_000 || COUNT < 20_000, `${decoded} frames`);
  t.comment(`plausible frames reaching each layer: ${JSON.stringify(depth)}`);
  for (const [layer, n] of Object.entries(depth)) t.ok(n > 0 || COUNT < 1000, `fuzz reaches ${layer}`);
});
