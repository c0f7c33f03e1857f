// MAC and IP address text, and the Internet checksum, against values from
// the RFCs and from a second formatter (src/openflow's, which OXM fields use).
import t from 'tap';
import {
  BROADCAST_MAC,
  internetChecksum,
  ipv4ToString,
  ipv6MulticastMac,
  ipv6ToString,
  isBroadcast,
  isMulticast,
  macToString,
  onesComplementSum,
  parseIpAddress,
  parseIpv4Address,
  parseIpv6Address,
  parseMac,
  pseudoHeaderSum,
  solicitedNodeMulticast,
  transportChecksum,
} from '../../src/packet/index.js';
import { formatIpv6 } from '../../src/openflow/structs/addr.js';
import { refChecksum, rng } from './helpers.js';

t.test('MAC text', async (t) => {
  const b = Buffer.from('00aabbccddeeff0102', 'hex');
  t.equal(macToString(b, 1), 'aa:bb:cc:dd:ee:ff');
  t.equal(macToString(Buffer.from('000000000000', 'hex')), '00:00:00:00:00:00');
  t.same(parseMac('AA:bb:0C:dd:ee:0f'), Buffer.from('aabb0cddee0f', 'hex'), 'either case');
  t.same(parseMac('aa-bb-cc-dd-ee-ff'), Buffer.from('aabbccddeeff', 'hex'), 'dashes');
  for (const bad of ['aa:bb:cc:dd:ee', 'aa:bb:cc:dd:ee:fg', 'aa:bb-cc:dd:ee:ff', 'aabbccddeeff', 'aa:bb:cc:dd:ee:ff:', ' aa:bb:cc:dd:ee:f', '']) {
    t.equal(parseMac(bad), undefined, JSON.stringify(bad));
  }
  const r = rng(7);
  for (let i = 0; i < 500; i++) {
    const m = Buffer.from(Array.from({ length: 6 }, () => Math.floor(r() * 256)));
    const s = macToString(m);
    t.equal(s, [...m].map((x) => x.toString(16).padStart(2, '0')).join(':'), 'table formatting agrees with toString(16)');
    if (!parseMac(s)?.equals(m)) t.fail(`round trip ${s}`);
  }
});

t.test('broadcast and multicast', async (t) => {
  t.ok(isBroadcast(BROADCAST_MAC));
  t.ok(isBroadcast('FF:FF:FF:FF:FF:FF'));
  t.ok(isBroadcast(Buffer.from('ffffffffffff', 'hex')));
  t.notOk(isBroadcast('ff:ff:ff:ff:ff:fe'));
  t.ok(isMulticast(BROADCAST_MAC), 'broadcast is a group address');
  t.ok(isMulticast('01:80:c2:00:00:0e'));
  t.ok(isMulticast('33:33:00:00:00:01'));
  t.ok(isMulticast(Buffer.from('01005e000001', 'hex')));
  t.notOk(isMulticast('02:00:00:00:00:01'));
  t.notOk(isMulticast('00:1b:21:3a:4f:5e'));
  t.notOk(isMulticast('garbage'));
  t.notOk(isMulticast(Buffer.alloc(2)));
});

t.test('IPv4 text', async (t) => {
  t.equal(ipv4ToString(Buffer.from([0, 10, 0, 0, 1]), 1), '10.0.0.1');
  t.same(parseIpv4Address('192.168.1.255'), Buffer.from([192, 168, 1, 255]));
  t.same(parseIpv4Address('0.0.0.0'), Buffer.alloc(4));
  for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1..2.3', '1.2.3.4 ', 'a.b.c.d', '1.2.3.-4', '']) {
    t.equal(parseIpv4Address(bad), undefined, JSON.stringify(bad));
  }
});

t.test('IPv6 text: RFC 5952 examples', async (t) => {
  // RFC 5952 §4: the canonical text for each of these.
  const cases: [string, string][] = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'], // §4.2.1: longest run
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // §4.2.2: one zero group is not compressed
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // §4.2.3: longest run wins
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // §4.2.3: first run on a tie
    ['2001:DB8::AAAA', '2001:db8::aaaa'], // §4.3: lowercase
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['fe80::1:2', 'fe80::1:2'],
    ['::ffff:10.0.0.1', '::ffff:a00:1'], // mixed input accepted; printed like src/openflow
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
  ];
  for (const [input, canonical] of cases) {
    const b = parseIpv6Address(input);
    t.ok(b, `parses ${input}`);
    if (b) t.equal(ipv6ToString(b), canonical, input);
  }
  for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', ':1', '1:', '1:::2', 'g::1', '1.2.3.4', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4', '', ':::']) {
    t.equal(parseIpv6Address(bad), undefined, JSON.stringify(bad));
  }
  t.equal(parseIpAddress('10.0.0.1')?.length, 4);
  t.equal(parseIpAddress('fe80::1')?.length, 16);
});

t.test('IPv6 text agrees with src/openflow on random addresses', async (t) => {
  const r = rng(11);
  let checked = 0;
  for (let i = 0; i < 5000; i++) {
    // Bias towards zero groups so the compression rules get exercised.
    const b = Buffer.alloc(16);
    for (let g = 0; g < 8; g++) if (r() < 0.5) b.writeUInt16BE(r() < 0.3 ? Math.floor(r() * 16) : Math.floor(r() * 65536), 2 * g);
    const ours = ipv6ToString(b);
    if (ours !== formatIpv6(b)) t.fail(`${b.toString('hex')}: ${ours} vs ${formatIpv6(b)}`);
    if (!parseIpv6Address(ours)?.equals(b)) t.fail(`round trip ${ours}`);
    checked++;
  }
  t.equal(checked, 5000);
});

t.test('solicited-node multicast and its MAC (RFC 4291 §2.7.1, RFC 2464 §7)', async (t) => {
  t.equal(solicitedNodeMulticast('fd00:99::2'), 'ff02::1:ff00:2');
  t.equal(solicitedNodeMulticast('2001:db8::1234:5678'), 'ff02::1:ff34:5678');
  t.equal(ipv6MulticastMac('ff02::1:ff34:5678'), '33:33:ff:34:56:78');
  t.equal(ipv6MulticastMac('ff02::1'), '33:33:00:00:00:01');
  t.equal(ipv6MulticastMac('fe80::1'), undefined, 'not multicast');
  t.equal(solicitedNodeMulticast('nope'), undefined);
});

t.test('Internet checksum (RFC 1071 §3 example)', async (t) => {
  const data = Buffer.from('0001f203f4f5f6f7', 'hex');
  t.equal(onesComplementSum(data), 0xddf2, 'the RFC\'s folded sum');
  t.equal(internetChecksum(data), 0x220d);
  t.equal(internetChecksum(Buffer.from('0001f203f4f5f6f7220d', 'hex')), 0, 'a message with its checksum sums to zero');
  t.equal(internetChecksum(Buffer.from('01', 'hex')), 0xfeff, 'odd byte padded with zero');
  const r = rng(3);
  for (let i = 0; i < 300; i++) {
    const len = Math.floor(r() * 1600);
    const b = Buffer.from(Array.from({ length: len }, () => Math.floor(r() * 256)));
    const ours = internetChecksum(b);
    // RFC 1071's 0 and 0xffff are the same one's-complement value.
    if (ours !== refChecksum(b) && !(ours === 0 && refChecksum(b) === 0xffff) && !(ours === 0xffff && refChecksum(b) === 0)) t.fail(`length ${len}`);
  }
  const src = Buffer.from([10, 0, 0, 1]);
  const dst = Buffer.from([10, 0, 0, 2]);
  const seg = Buffer.from('0044004300080000', 'hex');
  const pseudo = Buffer.concat([src, dst, Buffer.from([0, 17, 0, 8])]);
  t.equal(transportChecksum(src, dst, 17, seg), refChecksum(pseudo, seg), 'IPv4 pseudo-header');
  const s6 = parseIpv6Address('fe80::1')!;
  const d6 = parseIpv6Address('ff02::1')!;
  const pseudo6 = Buffer.concat([s6, d6, Buffer.from([0, 0, 0, 8, 0, 0, 0, 58])]);
  t.equal(transportChecksum(s6, d6, 58, seg), refChecksum(pseudo6, seg), 'IPv6 pseudo-header');
  t.equal(pseudoHeaderSum(s6, d6, 58, 0x10008), onesComplementSum(Buffer.concat([s6, d6, Buffer.from([0, 1, 0, 8, 0, 0, 0, 58])])), '32-bit IPv6 length');
});
