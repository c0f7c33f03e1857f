import t from 'tap';
import { Reader } from '../../src/openflow/reader.js';
import { Writer } from '../../src/openflow/writer.js';
import { CodecError } from '../../src/openflow/codec-error.js';
import { decodeMatch, encodeMatch, type Match } from '../../src/openflow/structs/match.js';

// Expected bytes are hand-written from OF 1.3.5 §7.2.3.1: type(2)=1,
// length(2) = 4 + OXM bytes (padding excluded), OXMs, zero pad to 8.

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const clean = (s: string): string => s.replace(/\s+/g, '');

function enc(m: unknown, pads?: Record<string, string>): string {
  const w = new Writer(4);
  w.pads = pads;
  encodeMatch(w, m as Match);
  return w.finish().toString('hex');
}

const CASES: [string, string, unknown[]][] = [
  // What Open vSwitch puts in a packet-in from port 1: length 12, 4 bytes of pad.
  ['packet-in in_port', '0001000c 80000004 00000001 00000000', [{ field: 'in_port', value: 1 }]],
  ['empty (match all)', '00010004 00000000', []],
  // length 8 needs no padding; an NXM field with a 0-byte payload stays raw
  ['no padding', '00010008 00000200', [{ oxm_class: 0, oxm_field: 1, hasmask: false, raw: hex('00000200') }]],
  // 4 + 8 + 6 + 5 + 12 + 6 = 41 = 0x29, padded with 7 bytes to 48
  [
    'tcp to 10.0.0.0/24:443',
    '00010029 8000000400000003 80000a020800 8000140106 800017080a000000ffffff00 80001c0201bb 00000000000000',
    [
      { field: 'in_port', value: 3 },
      { field: 'eth_type', value: 0x0800 },
      { field: 'ip_proto', value: 6 },
      { field: 'ipv4_src', value: '10.0.0.0', mask: '255.255.255.0' },
      { field: 'tcp_dst', value: 443 },
    ],
  ],
  // basic + Nicira reg0 + experimenter, in arrival order: 4 + 6 + 8 + 10 = 28 = 0x1c, pad 4
  [
    'mixed classes',
    '0001001c 80000c021064 000100040000002a ffff54064f4e46000012 00000000',
    [
      { field: 'vlan_vid', value: 0x1064 },
      { oxm_class: 1, oxm_field: 0, hasmask: false, raw: hex('000100040000002a') },
      { oxm_class: 0xffff, oxm_field: 42, hasmask: false, raw: hex('ffff54064f4e46000012') },
    ],
  ],
];

t.test('decode, encode and round trip known matches', async (t) => {
  for (const [what, h, m] of CASES) {
    const b = hex(h);
    const r = new Reader(b);
    t.strictSame(decodeMatch(r), m, `decode ${what}`);
    t.equal(r.pos, b.length, `${what} consumes its padding`);
    t.equal(enc(m), clean(h), `encode ${what}`);
    t.equal(enc(decodeMatch(new Reader(b))), clean(h), `round trip ${what}`);
  }
});

t.test('decode inside a larger message, at a non-zero base', async (t) => {
  const b = hex('ffffffff 0001000c 80000004 fffffffd 00000000 eeee');
  const r = new Reader(b, 4);
  t.strictSame(decodeMatch(r), [{ field: 'in_port', value: 'controller' }]);
  t.equal(r.pos, 20);
});

t.test('non-zero padding is kept for a byte-exact re-encode', async (t) => {
  const h = '0001000c 80000004 00000001 deadbeef';
  const r = new Reader(hex(h));
  const m = decodeMatch(r);
  t.strictSame(r.pads, { 12: 'deadbeef' });
  t.equal(enc(m, r.pads), clean(h));
  t.equal(enc(m), '0001000c8000000400000001' + '00000000');
});

t.test('the match type must be OFPMT_OXM', async (t) => {
  // OFPMT_STANDARD (0) was the OF 1.1 88-byte layout
  t.throws(() => decodeMatch(new Reader(hex('00000058' + '00'.repeat(84)))), { name: 'CodecError', kind: 'bad_value', message: /OFPMT_OXM/ });
  t.throws(() => decodeMatch(new Reader(hex('00020004 00000000'))), { name: 'CodecError', kind: 'bad_value' });
});

t.test('malformed matches raise only CodecError', async (t) => {
  t.throws(() => decodeMatch(new Reader(hex('00010000 00000000'))), { name: 'CodecError', kind: 'bad_length' }, 'length 0');
  t.throws(() => decodeMatch(new Reader(hex('00010003 00000000'))), { name: 'CodecError', kind: 'bad_length' }, 'length 3');
  // OXM runs past the match length (8 says 4 bytes of OXM; in_port needs 8)
  t.throws(() => decodeMatch(new Reader(hex('00010008 80000004 00000001'))), { name: 'CodecError', kind: 'truncated' });
  // OXM header cut by the match length
  t.throws(() => decodeMatch(new Reader(hex('00010006 8000 0000'))), { name: 'CodecError', kind: 'truncated' });
  // padding missing
  t.throws(() => decodeMatch(new Reader(hex('0001000c 80000004 00000001'))), { name: 'CodecError', kind: 'truncated' });
  for (const [what, h] of CASES) {
    const b = hex(h);
    for (let cut = 0; cut < b.length; cut++) {
      t.throws(() => decodeMatch(new Reader(b.subarray(0, cut))), { name: 'CodecError', kind: 'truncated' }, `${what} cut at ${cut}`);
    }
  }
  let seed = 99;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
  for (let i = 0; i < 5000; i++) {
    const b = Buffer.from(hex(CASES[rand(CASES.length)]![1]));
    for (let k = rand(3) + 1; k > 0; k--) b[rand(b.length)] = rand(256);
    try {
      const r = new Reader(b);
      const m = decodeMatch(r);
      if (enc(m, r.pads) !== b.subarray(0, r.pos).toString('hex')) t.fail(`not byte-exact: ${b.toString('hex')}`);
    } catch (e) {
      if (!(e instanceof CodecError)) t.fail(`${b.toString('hex')}: ${String(e)}`);
    }
  }
});

t.test('bad encoder input says where the problem is', async (t) => {
  t.throws(() => enc({ field: 'in_port', value: 1 }), { name: 'CodecError', message: /match must be a list/ });
  t.throws(() => enc(null), { name: 'CodecError' });
  t.throws(() => enc([{ field: 'in_port', value: 1 }, { field: 'eth_type', value: 'ip' }]), {
    name: 'CodecError',
    kind: 'bad_input',
    message: /match\[1\]: OXM eth_type value must be an integer/,
  });
  t.throws(() => enc([{ field: 'tcp_src', value: 1, mask: 1 }]), { name: 'CodecError', message: /match\[0\].*cannot carry a mask/ });
});

t.test('a match too long for its 16-bit length is refused', async (t) => {
  const big = Array.from({ length: 2000 }, () => ({ field: 'ipv6_src', value: '::1', mask: '::1' }));
  t.throws(() => enc(big), { name: 'CodecError', message: /does not fit in 16 bits/ });
});
