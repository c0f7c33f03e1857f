import t from 'tap';
import { readFileSync } from 'node:fs';
import { REPO_ROOT } from '../helpers/ovs.js';
import { Reader } from '../../src/openflow/reader.js';
import { Writer } from '../../src/openflow/writer.js';
import { CodecError } from '../../src/openflow/codec-error.js';
import {
  decodeOxm, encodeOxm, decodeOxmHeader, encodeOxmHeader, type OxmBasic, type OxmField, type OxmRaw,
} from '../../src/openflow/structs/oxm.js';
import { parseIpv4, writeMac } from '../../src/openflow/structs/addr.js';
import { OXM_FIELDS, oxmFieldCode, oxmFieldName, oxmBasicHeader } from '../../src/openflow/structs/oxm-fields.js';

// Every expected byte string below is written out by hand from OF 1.3.5
// §7.2.3.2 (header = class(2) | field<<1|hasmask (1) | length(1)) and Table 12,
// never produced by our Writer.

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const clean = (s: string): string => s.replace(/\s+/g, '');

function enc(f: unknown): string {
  const w = new Writer(4); // tiny, so growth is exercised too
  encodeOxm(w, f as OxmField);
  return w.finish().toString('hex');
}
function dec(h: string): OxmField {
  const b = hex(h);
  const r = new Reader(b);
  const f = decodeOxm(r);
  if (r.pos !== b.length) throw new Error(`decode consumed ${r.pos} of ${b.length}`);
  return f;
}
function onlyCodecError(t: { fail(msg: string): unknown }, fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof CodecError)) t.fail(`${what}: threw ${String(e)}`);
  }
}

// [field, value, unmasked TLV hex, masked value, mask, masked TLV hex]
type Row = [string, unknown, string, unknown?, unknown?, string?];
const ROWS: Row[] = [
  ['in_port', 1, '80000004 00000001'],
  ['in_phy_port', 7, '80000204 00000007'],
  ['metadata', 0x0123456789abcdefn, '80000408 0123456789abcdef', 0x10n, 0xf0n, '80000510 0000000000000010 00000000000000f0'],
  ['eth_dst', '00:11:22:33:44:55', '80000606 001122334455', '01:00:00:00:00:00', '01:00:00:00:00:00', '8000070c 010000000000 010000000000'],
  ['eth_src', 'aa:bb:cc:dd:ee:ff', '80000806 aabbccddeeff', 'aa:bb:cc:00:00:00', 'ff:ff:ff:00:00:00', '8000090c aabbcc000000 ffffff000000'],
  ['eth_type', 0x0800, '80000a02 0800'],
  ['vlan_vid', 0x1064, '80000c02 1064', 0x1000, 0x1000, '80000d04 1000 1000'],
  ['vlan_pcp', 5, '80000e01 05'],
  ['ip_dscp', 46, '80001001 2e'],
  ['ip_ecn', 3, '80001201 03'],
  ['ip_proto', 6, '80001401 06'],
  ['ipv4_src', '10.0.0.1', '80001604 0a000001', '10.0.0.0', '255.255.255.0', '80001708 0a000000 ffffff00'],
  ['ipv4_dst', '192.168.1.254', '80001804 c0a801fe', '192.168.0.0', '255.255.0.0', '80001908 c0a80000 ffff0000'],
  ['tcp_src', 80, '80001a02 0050'],
  ['tcp_dst', 443, '80001c02 01bb'],
  ['udp_src', 53, '80001e02 0035'],
  ['udp_dst', 67, '80002002 0043'],
  ['sctp_src', 132, '80002202 0084'],
  ['sctp_dst', 65535, '80002402 ffff'],
  ['icmpv4_type', 8, '80002601 08'],
  ['icmpv4_code', 0, '80002801 00'],
  ['arp_op', 1, '80002a02 0001'],
  ['arp_spa', '10.0.0.2', '80002c04 0a000002', '10.0.0.0', '255.0.0.0', '80002d08 0a000000 ff000000'],
  ['arp_tpa', '10.0.0.3', '80002e04 0a000003', '172.16.0.0', '255.240.0.0', '80002f08 ac100000 fff00000'],
  ['arp_sha', '02:00:00:00:00:01', '80003006 020000000001', '02:00:00:00:00:00', 'ff:ff:ff:00:00:00', '8000310c 020000000000 ffffff000000'],
  ['arp_tha', '02:00:00:00:00:02', '80003206 020000000002', '00:00:00:00:00:00', '01:00:00:00:00:00', '8000330c 000000000000 010000000000'],
  ['ipv6_src', '2001:db8::1', '80003410 20010db8000000000000000000000001',
    '2001:db8::', 'ffff:ffff::', '80003520 20010db8000000000000000000000000 ffffffff000000000000000000000000'],
  ['ipv6_dst', 'fe80::1:2', '80003610 fe800000000000000000000000010002',
    '::1', '::ffff', '80003720 00000000000000000000000000000001 0000000000000000000000000000ffff'],
  ['ipv6_flabel', 0x12345, '80003804 00012345', 0x12345, 0xfffff, '80003908 00012345 000fffff'],
  ['icmpv6_type', 135, '80003a01 87'],
  ['icmpv6_code', 0, '80003c01 00'],
  ['ipv6_nd_target', 'fe80::200:ff:fe00:1', '80003e10 fe80000000000000020000fffe000001'],
  ['ipv6_nd_sll', '00:00:00:00:00:01', '80004006 000000000001'],
  ['ipv6_nd_tll', '0a:0b:0c:0d:0e:0f', '80004206 0a0b0c0d0e0f'],
  ['mpls_label', 0xfffff, '80004404 000fffff'],
  ['mpls_tc', 7, '80004601 07'],
  ['mpls_bos', 1, '80004801 01'],
  ['pbb_isid', 0xabcdef, '80004a03 abcdef', 0x123400, 0xffff00, '80004b06 123400 ffff00'],
  ['tunnel_id', 0xffffffffffffffffn, '80004c08 ffffffffffffffff', 0x64n, 0xffffffffn, '80004d10 0000000000000064 00000000ffffffff'],
  ['ipv6_exthdr', 0x01ff, '80004e02 01ff', 0x0010, 0x0010, '80004f04 0010 0010'],
];

t.test('the table has the 40 basic fields with Table 12 sizes and maskability', async (t) => {
  t.equal(OXM_FIELDS.length, 40);
  t.equal(ROWS.length, 40);
  ROWS.forEach(([name, , unmasked, , , masked], code) => {
    const info = OXM_FIELDS[code]!;
    t.equal(info.name, name, `code ${code}`);
    t.equal(info.code, code);
    t.equal(oxmFieldCode(name), code);
    t.equal(oxmFieldName(code), name);
    t.equal(info.length, hex(unmasked).length - 4, `${name} payload size`);
    t.equal(info.maskable, masked !== undefined, `${name} maskable`);
  });
  t.equal(ROWS.filter((r) => r[5] !== undefined).length, 16);
  t.equal(oxmFieldCode('nope'), undefined);
  t.equal(oxmFieldName(40), undefined);
  t.equal(oxmBasicHeader('eth_dst'), 0x80000606);
  t.equal(oxmBasicHeader('eth_dst', true), 0x8000070c);
  t.equal(oxmBasicHeader('in_port'), 0x80000004);
  t.equal(oxmBasicHeader('bogus'), undefined);
});

t.test('every field without a mask: decode, encode, round trip', async (t) => {
  for (const [field, value, h] of ROWS) {
    t.strictSame(dec(h), { field, value }, `decode ${field}`);
    t.equal(enc({ field, value }), clean(h), `encode ${field}`);
    t.equal(enc(dec(h)), clean(h), `round trip ${field}`);
  }
});

t.test('every maskable field with a mask: decode, encode, round trip', async (t) => {
  for (const [field, , , value, mask, h] of ROWS) {
    if (h === undefined) continue;
    t.strictSame(dec(h), { field, value, mask }, `decode ${field}/mask`);
    t.equal(enc({ field, value, mask }), clean(h), `encode ${field}/mask`);
    t.equal(enc(dec(h)), clean(h), `round trip ${field}/mask`);
  }
});

t.test('a mask on a non-maskable field: decode keeps raw, encode refuses', async (t) => {
  for (const [field, value, h, , , masked] of ROWS) {
    if (masked !== undefined) continue;
    // Same field with hasmask set and value twice: header byte +1, length doubled.
    const b = hex(h);
    const withMask = Buffer.concat([b.subarray(0, 4), b.subarray(4), b.subarray(4)]);
    withMask[2] = withMask[2]! | 1;
    withMask[3] = (b.length - 4) * 2;
    const f = dec(withMask.toString('hex')) as OxmRaw;
    t.strictSame(f, { oxm_class: 0x8000, oxm_field: oxmFieldCode(field), hasmask: true, raw: withMask }, `${field} raw`);
    t.equal(enc(f), withMask.toString('hex'), `${field} raw round trip`);
    t.throws(() => enc({ field, value, mask: value }), { name: 'CodecError', message: /cannot carry a mask/ }, field);
  }
});

t.test('reserved ports in in_port are names', async (t) => {
  t.strictSame(dec('80000004 fffffffd'), { field: 'in_port', value: 'controller' });
  t.strictSame(dec('80000004 fffffffe'), { field: 'in_port', value: 'local' });
  t.strictSame(dec('80000204 fffffff8'), { field: 'in_phy_port', value: 'in_port' });
  t.equal(enc({ field: 'in_port', value: 'local' }), '80000004fffffffe');
  t.equal(enc({ field: 'in_port', value: 'any' }), '80000004ffffffff');
});

t.test('values from JSON: 64-bit as strings, mask null means none', async (t) => {
  t.equal(enc({ field: 'metadata', value: '0x10', mask: '240' }), '80000510' + '0000000000000010' + '00000000000000f0');
  t.equal(enc({ field: 'tunnel_id', value: 5 }), '80004c08' + '0000000000000005');
  t.equal(enc(JSON.parse('{"field":"eth_type","value":2054,"mask":null}')), '80000a020806');
  t.equal(enc({ field: 'eth_src', value: 'AA-BB-CC-DD-EE-FF' }), '80000806aabbccddeeff');
});

const RAW_CASES: [string, string, number, number, boolean][] = [
  // Nicira NXM_NX_REG0 (class 0x0001, field 0), 4 bytes
  ['nxm1 reg0', '00010004 0000002a', 0x0001, 0, false],
  // NXM_OF_IN_PORT (class 0x0000, field 0), 2 bytes
  ['nxm0 in_port', '00000002 0001', 0x0000, 0, false],
  // NXM_NX_REG1_W: class 1 field 1 hasmask, 8 bytes
  ['nxm1 reg1/mask', '00010308 00000001 000000ff', 0x0001, 1, true],
  // ONF experimenter tcp_flags: class 0xffff field 42, experimenter 0x4f4e4600, value 0x0012
  ['experimenter', 'ffff5406 4f4e4600 0012', 0xffff, 42, false],
  // Basic-class TLVs with an undefined field or a wrong length are rejected (strictness.test.ts).
  ['unknown class', '12340000', 0x1234, 0, false],
  ['max length', '4321fe' + 'ff' + 'ab'.repeat(255), 0x4321, 0x7f, false],
];

t.test('other classes stay raw, byte-exact', async (t) => {
  for (const [what, h, oxm_class, oxm_field, hasmask] of RAW_CASES) {
    const f = dec(h);
    t.strictSame(f, { oxm_class, oxm_field, hasmask, raw: hex(h) }, what);
    t.equal(enc(f), clean(h), `${what} round trip`);
    // raw travels as hex in JSON
    t.equal(enc({ oxm_class, oxm_field, hasmask, raw: clean(h) }), clean(h), `${what} from JSON`);
  }
});

t.test('raw is a copy, not a view of the frame', async (t) => {
  const b = hex('00010004 0000002a');
  const f = decodeOxm(new Reader(b)) as OxmRaw;
  b.fill(0);
  t.equal(f.raw.toString('hex'), '000100040000002a');
});

t.test('raw encode checks the TLV it is given', async (t) => {
  t.throws(() => enc({ oxm_class: 1, oxm_field: 0, hasmask: false, raw: '000100050000002a' }), { name: 'CodecError' });
  t.throws(() => enc({ oxm_class: 1, oxm_field: 0, hasmask: false, raw: '0001' }), { name: 'CodecError' });
  t.throws(() => enc({ oxm_class: 2, oxm_field: 0, hasmask: false, raw: '000100040000002a' }), { name: 'CodecError', message: /disagrees/ });
  t.throws(() => enc({ oxm_class: 1, oxm_field: 0, hasmask: true, raw: '000100040000002a' }), { name: 'CodecError' });
  t.throws(() => enc({ oxm_class: 1, oxm_field: 0, hasmask: false, raw: 'zz' }), { name: 'CodecError' });
});

t.test('malformed input raises only CodecError', async (t) => {
  // truncated at every offset, for every vector
  const all = [...ROWS.flatMap((r) => (r[5] ? [r[2], r[5]] : [r[2]])), ...RAW_CASES.map((c) => c[1])];
  for (const h of all) {
    const b = hex(h);
    for (let cut = 0; cut < b.length; cut++) {
      t.throws(() => decodeOxm(new Reader(b.subarray(0, cut))), { name: 'CodecError', kind: 'truncated' }, `${clean(h)} cut at ${cut}`);
      // and narrowed by a limit rather than by the buffer end
      const r = new Reader(b);
      r.limit(cut, 'test');
      t.throws(() => decodeOxm(r), { name: 'CodecError' });
    }
  }
  t.throws(() => dec('ffff5402 0000'), { name: 'CodecError', kind: 'bad_length' }, 'experimenter without room for its id');
  t.throws(() => dec('ffff0000'), { name: 'CodecError', kind: 'bad_length' });
  // mutated bytes never escape as anything else, and whatever decodes re-encodes exactly
  let seed = 12345;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
  for (let i = 0; i < 5000; i++) {
    const b = Buffer.from(hex(all[rand(all.length)]!));
    for (let k = rand(3) + 1; k > 0; k--) b[rand(b.length)] = rand(256);
    onlyCodecError(t, () => {
      const r = new Reader(b);
      const f = decodeOxm(r);
      const w = new Writer(8);
      encodeOxm(w, f);
      if (!w.finish().equals(b.subarray(0, r.pos))) t.fail(`not byte-exact: ${b.toString('hex')}`);
    }, b.toString('hex'));
  }
});

t.test('bad encoder input raises a CodecError that says what to fix', async (t) => {
  const bad: [unknown, RegExp][] = [
    [null, /must be an object/],
    [7, /must be an object/],
    [1n, /must be an object.*got 1n/],
    [{ field: 1n, value: 1 }, /unknown OXM field 1n/],
    [{ field: 'eth_type' }, /eth_type value must be an integer/],
    [{ field: 'eth_dest', value: 'aa:bb:cc:dd:ee:ff' }, /unknown OXM field "eth_dest"/],
    [{ value: 1 }, /unknown OXM field/],
    [{ field: 'eth_dst', value: 'aa:bb:cc' }, /MAC address/],
    [{ field: 'eth_dst', value: 5n }, /MAC address/],
    [{ field: 'ipv4_src', value: '10.0.0.256' }, /IPv4/],
    [{ field: 'ipv4_src', value: 167772161 }, /IPv4/],
    [{ field: 'ipv6_src', value: 'fe80::1::2' }, /IPv6/],
    [{ field: 'eth_type', value: 0x10000 }, /eth_type value must be an integer 0\.\.65535/],
    [{ field: 'eth_type', value: '0x800' }, /integer/],
    [{ field: 'eth_type', value: 1n }, /integer/],
    [{ field: 'vlan_pcp', value: 1.5 }, /integer 0\.\.255/],
    [{ field: 'pbb_isid', value: 0x1000000 }, /0\.\.16777215/],
    [{ field: 'mpls_label', value: -1 }, /integer/],
    [{ field: 'in_port', value: 'nowhere' }, /unknown port/],
    [{ field: 'in_port', value: 1n }, /port number/],
    [{ field: 'metadata', value: 'ten' }, /64-bit/],
    [{ field: 'metadata', value: [1n] }, /OXM metadata value must be a 64-bit integer/],
    [{ field: 'metadata', value: -1n }, /64 bits/],
    [{ field: 'metadata', value: {} }, /64-bit/],
    [{ field: 'ipv4_dst', value: '10.0.0.0', mask: 'ff' }, /IPv4/],
    [{ oxm_class: 1, oxm_field: 0, hasmask: false, raw: 12n }, /bytes/],
  ];
  const junk: unknown[] = [undefined, null, 1n, [1n], -1, 1.5, NaN, 'x', '', {}, [], true, 2 ** 40, Buffer.alloc(3), '0x10'];
  for (const [field, value] of ROWS) {
    for (const j of junk) {
      for (const f of [{ field, value: j }, { field, value, mask: j }, { oxm_class: j, oxm_field: 0, hasmask: false, raw: '00010000' }, { raw: j }]) {
        try {
          enc(f);
        } catch (e) {
          if (!(e instanceof CodecError)) t.fail(`${field} ${String(j)}: ${String(e)}`);
        }
      }
    }
  }
  for (const [f, msg] of bad) t.throws(() => enc(f), { name: 'CodecError', kind: 'bad_input', message: msg }, JSON.stringify(f, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
});

t.test('address parsing accepts exactly what addr.ts accepts', async (t) => {
  const v4 = ['0.0.0.0', '255.255.255.255', '10.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.00', '256.1.1.1', '1..2.3',
    '.1.2.3', '1.2.3.', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.1000', '1.2.3.a', '', '100.200.30.4', '1.2.3.-4', '٣.1.1.1'];
  for (const s of v4) {
    const ref = parseIpv4(s);
    if (ref === undefined) t.throws(() => enc({ field: 'ipv4_dst', value: s }), { name: 'CodecError', message: /IPv4/ }, JSON.stringify(s));
    else t.equal(enc({ field: 'ipv4_dst', value: s }), '80001804' + Buffer.from(ref).toString('hex'), s);
  }
  const macs = ['00:11:22:33:44:55', 'AA:BB:CC:DD:EE:FF', 'aa-bb-cc-dd-ee-ff', 'aa:bb-cc:dd-ee:ff', 'aa:bb:cc:dd:ee', 'aa:bb:cc:dd:ee:fg',
    'aa:bb:cc:dd:ee:ff:', 'aa.bb.cc.dd.ee.ff', 'aabb:ccdd:eeff:', 'aa:bb:cc:dd:ee:f@', 'aa:bb:cc:dd:ee:`f', ' aa:bb:cc:dd:ee:f'];
  for (const s of macs) {
    const w = new Writer();
    let ref: string | undefined;
    try {
      writeMac(w, s);
      ref = w.finish().toString('hex');
    } catch {
      ref = undefined;
    }
    if (ref === undefined) t.throws(() => enc({ field: 'eth_src', value: s }), { name: 'CodecError', message: /MAC/ }, s);
    else t.equal(enc({ field: 'eth_src', value: s }), '80000806' + ref, s);
  }
});

t.test('bare OXM headers (table-features id lists)', async (t) => {
  t.strictSame(decodeOxmHeader(new Reader(hex('8000070c'))), { oxm_class: 0x8000, oxm_field: 3, hasmask: true, length: 12 });
  const w = new Writer();
  encodeOxmHeader(w, { oxm_class: 0x8000, oxm_field: 38, hasmask: false, length: 8 });
  t.equal(w.finish().toString('hex'), '80004c08');
  t.throws(() => encodeOxmHeader(new Writer(), { oxm_class: 0x8000, oxm_field: 128, hasmask: false, length: 8 }), { name: 'CodecError' });
  t.throws(() => decodeOxmHeader(new Reader(hex('800007'))), { name: 'CodecError', kind: 'truncated' });
});

t.test('pure unit test: no ovs-ofctl or other external tool is needed', async (t) => {
  const path = process.env.PATH;
  process.env.PATH = '';
  try {
    for (const [, , h] of ROWS) t.equal(enc(dec(h)), clean(h));
  } finally {
    process.env.PATH = path;
  }
  for (const f of ['oxm.ts', 'oxm-fields.ts', 'match.ts', 'action.ts', 'instruction.ts']) {
    const src = readFileSync(`${REPO_ROOT}src/openflow/structs/${f}`, 'utf8');
    t.notMatch(src, /child_process|ovs-ofctl|spawn\(|exec\(/, `${f} runs no external tool`);
  }
});

// Keep the OxmBasic type honest: a field object is plain data.
const sample: OxmBasic = { field: 'eth_type', value: 0x86dd };
void sample;
