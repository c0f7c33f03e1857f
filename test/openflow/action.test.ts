import t from 'tap';
import { Reader } from '../../src/openflow/reader.js';
import { Writer } from '../../src/openflow/writer.js';
import { CodecError } from '../../src/openflow/codec-error.js';
import {
  decodeActions, encodeActions, decodeAction, encodeAction, actionTypeCode, actionTypeName, type Action,
} from '../../src/openflow/structs/action.js';

// Expected bytes are hand-written from the OF 1.3.5 §7.2.5 layouts
// (type(2) len(2) body, every action a multiple of 8 bytes).

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const clean = (s: string): string => s.replace(/\s+/g, '');

function enc(list: unknown, pads?: Record<string, string>): string {
  const w = new Writer(4);
  w.pads = pads;
  encodeActions(w, list as Action[]);
  return w.finish().toString('hex');
}
function dec(h: string): Action[] {
  const b = hex(h);
  const r = new Reader(b);
  const out = decodeActions(r, b.length);
  if (r.pos !== b.length) throw new Error('did not consume the list');
  return out;
}

const CASES: [string, string, Action][] = [
  ['output', '0000 0010 00000001 ffff 000000000000', { type: 'output', port: 1, max_len: 'no_buffer' }],
  ['output to controller', '0000 0010 fffffffd 0080 000000000000', { type: 'output', port: 'controller', max_len: 128 }],
  ['output OFPCML_MAX', '0000 0010 00000002 ffe5 000000000000', { type: 'output', port: 2, max_len: 0xffe5 }],
  ['copy_ttl_out', '000b 0008 00000000', { type: 'copy_ttl_out' }],
  ['copy_ttl_in', '000c 0008 00000000', { type: 'copy_ttl_in' }],
  ['set_mpls_ttl', '000f 0008 40 000000', { type: 'set_mpls_ttl', mpls_ttl: 64 }],
  ['dec_mpls_ttl', '0010 0008 00000000', { type: 'dec_mpls_ttl' }],
  ['push_vlan', '0011 0008 8100 0000', { type: 'push_vlan', ethertype: 0x8100 }],
  ['pop_vlan', '0012 0008 00000000', { type: 'pop_vlan' }],
  ['push_mpls', '0013 0008 8847 0000', { type: 'push_mpls', ethertype: 0x8847 }],
  ['pop_mpls', '0014 0008 0800 0000', { type: 'pop_mpls', ethertype: 0x0800 }],
  ['set_queue', '0015 0008 00000003', { type: 'set_queue', queue_id: 3 }],
  ['group', '0016 0008 00000007', { type: 'group', group_id: 7 }],
  ['group all', '0016 0008 fffffffc', { type: 'group', group_id: 'all' }],
  ['set_nw_ttl', '0017 0008 20 000000', { type: 'set_nw_ttl', nw_ttl: 32 }],
  ['dec_nw_ttl', '0018 0008 00000000', { type: 'dec_nw_ttl' }],
  // 4 + 10-byte OXM = 14, padded to 16
  ['set_field eth_dst', '0019 0010 80000606 001122334455 0000', { type: 'set_field', field: { field: 'eth_dst', value: '00:11:22:33:44:55' } }],
  // 4 + 6 = 10, padded to 16
  ['set_field vlan_vid', '0019 0010 80000c02 1005 000000000000', { type: 'set_field', field: { field: 'vlan_vid', value: 0x1005 } }],
  // 4 + 20 = 24, no padding
  ['set_field ipv6_src', '0019 0018 80003410 20010db8000000000000000000000001', { type: 'set_field', field: { field: 'ipv6_src', value: '2001:db8::1' } }],
  ['set_field tunnel_id', '0019 0010 80004c08 0000000000000064', { type: 'set_field', field: { field: 'tunnel_id', value: 100n } }],
  // Nicira NXM_NX_REG0 set through set_field stays raw: 4 + 8 = 12, pad 4
  ['set_field nicira', '0019 0010 00010004 0000002a 00000000', { type: 'set_field', field: { oxm_class: 1, oxm_field: 0, hasmask: false, raw: hex('000100040000002a') } }],
  ['push_pbb', '001a 0008 88e7 0000', { type: 'push_pbb', ethertype: 0x88e7 }],
  ['pop_pbb', '001b 0008 00000000', { type: 'pop_pbb' }],
  // Nicira resubmit(,1): vendor 0x00002320, subtype 14, in_port 0xfff8, table 1, pad 3
  ['experimenter', 'ffff 0010 00002320 000e fff8 01 000000', { type: 'experimenter', experimenter: 0x2320, data: hex('000efff801000000') }],
  ['experimenter, no data', 'ffff 0008 00002320', { type: 'experimenter', experimenter: 0x2320, data: Buffer.alloc(0) }],
  // OF 1.0 SET_DL_SRC (4) is not an OF 1.3 action
  ['unknown', '0004 0010 aabbccddeeff 000000000000', { type: 'unknown', code: 4, data: hex('aabbccddeeff000000000000') }],
  ['unknown, header only', '00fe 0008 01020304', { type: 'unknown', code: 0xfe, data: hex('01020304') }],
];

t.test('every action: decode, encode, round trip', async (t) => {
  for (const [what, h, a] of CASES) {
    t.strictSame(dec(h), [a], `decode ${what}`);
    t.equal(enc([a]), clean(h), `encode ${what}`);
    t.equal(enc(dec(h)), clean(h), `round trip ${what}`);
  }
});

t.test('a list is decoded in order and occupies exactly len bytes', async (t) => {
  const all = CASES.map((c) => clean(c[1])).join('');
  t.strictSame(dec(all), CASES.map((c) => c[2]));
  t.equal(enc(CASES.map((c) => c[2])), all);
  t.strictSame(dec(''), []);
  t.equal(enc([]), '');
  // a list inside a larger frame stops at len
  const b = hex('0012000800000000 0018000800000000 ffff');
  const r = new Reader(b);
  t.strictSame(decodeActions(r, 8), [{ type: 'pop_vlan' }]);
  t.equal(r.pos, 8);
  t.equal(r.end, b.length, 'limit restored');
});

t.test('JSON input: names, numbers, hex strings, 64-bit strings', async (t) => {
  const json = JSON.parse(`[
    {"type":"output","port":"in_port","max_len":0},
    {"type":"group","group_id":"any"},
    {"type":"set_field","field":{"field":"metadata","value":"0xff"}},
    {"type":"experimenter","experimenter":8992,"data":"000efff801000000"}
  ]`);
  t.equal(
    enc(json),
    '00000010fffffff80000000000000000' + '00160008ffffffff' + '0019001080000408' + '00000000000000ff' + 'ffff001000002320000efff801000000',
  );
});

t.test('non-zero padding is kept for a byte-exact re-encode', async (t) => {
  const h = '0000 0010 00000001 ffff 010203040506 0019 0010 80000c02 1005 0000000000ff';
  const r = new Reader(hex(h));
  const list = decodeActions(r, 32);
  t.strictSame(r.pads, { 10: '010203040506', 26: '0000000000ff' });
  t.equal(enc(list, r.pads), clean(h));
});

t.test('lengths are enforced', async (t) => {
  const bad: [string, string, RegExp?][] = [
    ['len 0', '0000 0000 00000000', /shorter than the 8-byte/],
    ['len 4', '00fe 0004 00000000'],
    ['len 7', '0012 0007 00000000'],
    ['output too short', '0000 0008 00000001', /output action must be 16 bytes, not 8/],
    ['output too long', '0000 0018 00000001 ffff 000000000000 0000000000000000'],
    ['pop_vlan too long', '0012 0010 00000000 00000000'],
    ['group too long', '0016 0010 00000001 00000000'],
    ['set_field with extra padding', '0019 0018 80000606 001122334455 0000 0000000000000000', /pads to 16/],
    ['set_field without padding', '0019 000e 80000606 001122334455', /pads to 16/],
    ['set_field OXM past the action', '0019 0008 80000a02'],
    ['experimenter too short', 'ffff 0004 00002320'],
  ];
  for (const [what, h, msg] of bad) {
    const e = { name: 'CodecError', ...(msg ? { message: msg } : {}) };
    t.throws(() => dec(h), e, what);
  }
  t.throws(() => dec('0000 0000 00000000'), { name: 'CodecError', kind: 'bad_length' });
  t.throws(() => dec('0000 0008 00000001'), { name: 'CodecError', kind: 'bad_length' });
  // an action longer than the list it is in
  t.throws(() => decodeActions(new Reader(hex('0000 0010 00000001 ffff 000000000000')), 8), { name: 'CodecError', kind: 'truncated' });
  // a list with trailing bytes that are not a whole action
  t.throws(() => dec('0012 0008 00000000 0012'), { name: 'CodecError', kind: 'truncated' });
  t.throws(() => decodeActions(new Reader(hex('00')), -1), { name: 'CodecError', kind: 'bad_length' });
  t.throws(() => decodeActions(new Reader(hex('00')), 2), { name: 'CodecError', kind: 'truncated' });
});

t.test('malformed input raises only CodecError', async (t) => {
  for (const [what, h] of CASES) {
    const b = hex(h);
    for (let cut = 0; cut < b.length; cut++) {
      t.throws(() => decodeActions(new Reader(b.subarray(0, cut)), b.length), { name: 'CodecError', kind: 'truncated' }, `${what} cut at ${cut}`);
      if (cut > 0) t.throws(() => decodeActions(new Reader(b), cut), { name: 'CodecError' }, `${what} list len ${cut}`);
    }
    t.throws(() => decodeAction(new Reader(b.subarray(0, 3))), { name: 'CodecError', kind: 'truncated' });
  }
  const all = CASES.map((c) => clean(c[1]));
  let seed = 7;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
  for (let i = 0; i < 10000; i++) {
    const b = Buffer.from(hex(all[rand(all.length)]! + all[rand(all.length)]!));
    for (let k = rand(3) + 1; k > 0; k--) b[rand(b.length)] = rand(256);
    try {
      const r = new Reader(b);
      const list = decodeActions(r, b.length);
      if (enc(list, r.pads) !== b.toString('hex')) t.fail(`not byte-exact: ${b.toString('hex')}`);
    } catch (e) {
      if (!(e instanceof CodecError)) t.fail(`${b.toString('hex')}: ${String(e)}`);
    }
  }
});

t.test('bad encoder input raises a CodecError that says what to fix', async (t) => {
  const bad: [unknown, RegExp][] = [
    [{ type: 'output', port: 1 }, /actions\[0\]: output max_len/],
    [{ type: 'output', port: 'somewhere', max_len: 0 }, /unknown port "somewhere"/],
    [{ type: 'output', port: 1n, max_len: 0 }, /output port must be/],
    [{ type: 'output', port: 1, max_len: 'all' }, /max_len/],
    [{ type: 'output', port: 1, max_len: 70000 }, /16 bits/],
    [{ type: 'outptu', port: 1 }, /unknown action type "outptu"; expected one of output, copy_ttl_out/],
    [{ port: 1 }, /unknown action type/],
    [null, /an action must be an object/],
    ['pop_vlan', /an action must be an object/],
    [{ type: 'set_mpls_ttl', mpls_ttl: 256 }, /set_mpls_ttl mpls_ttl must be an integer 0\.\.255, got 256/],
    [{ type: 'set_nw_ttl' }, /set_nw_ttl nw_ttl must be an integer 0\.\.255, got undefined/],
    [{ type: 'push_vlan', ethertype: '0x8100' }, /push_vlan ethertype must be an integer 0\.\.65535/],
    [{ type: 'set_queue', queue_id: -1 }, /set_queue queue_id must be/],
    [{ type: 'experimenter', experimenter: 1n, data: '' }, /experimenter id must be/],
    [{ type: 'group', group_id: 'some' }, /unknown group id/],
    [{ type: 'group', group_id: 5n }, /group_id must be/],
    [{ type: 'set_field', field: { field: 'eth_dst', value: 'zz' } }, /actions\[0\]: .*MAC address/],
    [{ type: 'set_field' }, /OXM field must be an object/],
    [{ type: 'set_field', field: { field: 'tcp_dst', value: 1, mask: 1 } }, /cannot carry a mask/],
    [{ type: 'experimenter', experimenter: 0x2320 }, /expected bytes/],
    [{ type: 'experimenter', experimenter: 0x2320, data: 'abc' }, /hex string/],
    [{ type: 'experimenter', experimenter: 0x2320, data: [1, 2] }, /expected bytes/],
    [{ type: 'unknown', code: 0, data: '' }, /use the named type/],
    [{ type: 'unknown', code: 0xffff, data: '' }, /use the named type/],
    [{ type: 'unknown', code: 'x', data: '' }, /must be an integer/],
    [{ type: 'unknown', code: 0x10000, data: '' }, /16 bits/],
  ];
  for (const [a, msg] of bad) {
    t.throws(() => enc([a]), { name: 'CodecError', kind: 'bad_input', message: msg }, String(msg));
  }
  t.throws(() => enc([{ type: 'pop_vlan' }, { type: 'bogus' }]), { message: /actions\[1\]/ });
  t.throws(() => enc({ type: 'pop_vlan' }), { name: 'CodecError', message: /actions must be a list/ });
  // junk in every property of every action never escapes as a TypeError
  const junk: unknown[] = [undefined, null, 1n, -1, 1.5, NaN, 'x', '', {}, [], true, 2 ** 40, Buffer.alloc(3), '0x10'];
  for (const [, , a] of CASES) {
    for (const key of Object.keys(a)) {
      for (const j of junk) {
        try {
          // straight to encodeAction: the list's error context must not be what turns a TypeError into a CodecError
          encodeAction(new Writer(4), { ...a, [key]: j } as Action);
        } catch (e) {
          if (!(e instanceof CodecError)) t.fail(`${a.type}.${key} = ${String(j)}: ${String(e)}`);
        }
      }
    }
  }
});

t.test('type code tables', async (t) => {
  t.equal(actionTypeCode('set_field'), 25);
  t.equal(actionTypeCode('experimenter'), 0xffff);
  t.equal(actionTypeCode('toString'), undefined);
  t.equal(actionTypeName(0), 'output');
  t.equal(actionTypeName(27), 'pop_pbb');
  t.equal(actionTypeName(5), undefined);
});
