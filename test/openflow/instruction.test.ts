import t from 'tap';
import { Reader } from '../../src/openflow/reader.js';
import { Writer } from '../../src/openflow/writer.js';
import { CodecError } from '../../src/openflow/codec-error.js';
import {
  decodeInstructions, encodeInstructions, encodeInstruction, instructionTypeCode, instructionTypeName, type Instruction,
} from '../../src/openflow/structs/instruction.js';

// Expected bytes are hand-written from the OF 1.3.5 §7.2.4 layouts.

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const clean = (s: string): string => s.replace(/\s+/g, '');

function enc(list: unknown, pads?: Record<string, string>): string {
  const w = new Writer(4);
  w.pads = pads;
  encodeInstructions(w, list as Instruction[]);
  return w.finish().toString('hex');
}
function dec(h: string): Instruction[] {
  const b = hex(h);
  const r = new Reader(b);
  const out = decodeInstructions(r, b.length);
  if (r.pos !== b.length) throw new Error('did not consume the list');
  return out;
}

const CASES: [string, string, Instruction][] = [
  ['goto_table', '0001 0008 01 000000', { type: 'goto_table', table_id: 1 }],
  ['write_metadata', '0002 0018 00000000 0000000000000001 00000000000000ff', { type: 'write_metadata', metadata: 1n, metadata_mask: 0xffn }],
  ['write_actions', '0003 0018 00000000 0000 0010 00000002 ffe5 000000000000', { type: 'write_actions', actions: [{ type: 'output', port: 2, max_len: 0xffe5 }] }],
  // 8 + pop_vlan(8) + output(16) = 32
  [
    'apply_actions',
    '0004 0020 00000000 0012 0008 00000000 0000 0010 fffffff8 ffff 000000000000',
    { type: 'apply_actions', actions: [{ type: 'pop_vlan' }, { type: 'output', port: 'in_port', max_len: 'no_buffer' }] },
  ],
  // 8 + set_field eth_src (16) = 24
  [
    'apply set_field',
    '0004 0018 00000000 0019 0010 80000806 0a0b0c0d0e0f 0000',
    { type: 'apply_actions', actions: [{ type: 'set_field', field: { field: 'eth_src', value: '0a:0b:0c:0d:0e:0f' } }] },
  ],
  ['apply_actions, empty', '0004 0008 00000000', { type: 'apply_actions', actions: [] }],
  ['clear_actions', '0005 0008 00000000', { type: 'clear_actions' }],
  ['meter', '0006 0008 00000001', { type: 'meter', meter_id: 1 }],
  ['meter controller', '0006 0008 fffffffe', { type: 'meter', meter_id: 'controller' }],
  ['experimenter', 'ffff 0010 00002320 0102030405060708', { type: 'experimenter', experimenter: 0x2320, data: hex('0102030405060708') }],
  ['experimenter, no data', 'ffff 0008 00002320', { type: 'experimenter', experimenter: 0x2320, data: Buffer.alloc(0) }],
  ['unknown', '0007 0008 deadbeef', { type: 'unknown', code: 7, data: hex('deadbeef') }],
  ['unknown, header only', '0009 0004', { type: 'unknown', code: 9, data: Buffer.alloc(0) }],
];

t.test('every instruction: decode, encode, round trip', async (t) => {
  for (const [what, h, ins] of CASES) {
    t.strictSame(dec(h), [ins], `decode ${what}`);
    t.equal(enc([ins]), clean(h), `encode ${what}`);
    t.equal(enc(dec(h)), clean(h), `round trip ${what}`);
  }
  const all = CASES.map((c) => clean(c[1])).join('');
  t.strictSame(dec(all), CASES.map((c) => c[2]), 'a list of all of them');
  t.equal(enc(CASES.map((c) => c[2])), all);
  t.strictSame(dec(''), []);
});

t.test('JSON input', async (t) => {
  const json = JSON.parse(`[
    {"type":"write_metadata","metadata":"0x10","metadata_mask":"18446744073709551615"},
    {"type":"meter","meter_id":"all"},
    {"type":"apply_actions","actions":[{"type":"group","group_id":3}]},
    {"type":"goto_table","table_id":254}
  ]`);
  t.equal(
    enc(json),
    '0002001800000000' + '0000000000000010' + 'ffffffffffffffff' + '00060008ffffffff' + '0004001000000000' + '0016000800000003' + '00010008fe000000',
  );
});

t.test('non-zero padding is kept for a byte-exact re-encode', async (t) => {
  const h = '0001 0008 01 aabbcc 0004 0010 00000001 0012 0008 00000002';
  const r = new Reader(hex(h));
  const list = decodeInstructions(r, 24);
  t.strictSame(r.pads, { 5: 'aabbcc', 12: '00000001', 20: '00000002' });
  t.equal(enc(list, r.pads), clean(h));
});

t.test('lengths are enforced', async (t) => {
  const bad: [string, string][] = [
    ['len 0', '0001 0000 01000000'],
    ['len 2', '0007 0002 00000000'],
    ['goto_table too long', '0001 0010 01000000 00000000'],
    ['write_metadata too short', '0002 0010 00000000 0000000000000001'],
    ['clear_actions too long', '0005 0010 00000000 0012000800000000'],
    ['meter too short', '0006 0004'],
    ['apply_actions too short', '0004 0004 0000'],
    ['experimenter too short', 'ffff 0004 0000'],
    // apply_actions whose inner action runs past the instruction
    ['inner action overruns', '0004 0010 00000000 0000 0010 00000001 ffff 000000000000'],
    // inner action with a bad length
    ['inner action bad', '0004 0010 00000000 0000 0008 00000001'],
  ];
  for (const [what, h] of bad) {
    t.throws(() => dec(h), { name: 'CodecError' }, what);
  }
  t.throws(() => dec('0001 0000 01000000'), { name: 'CodecError', kind: 'bad_length' });
  t.throws(() => dec('0001 0010 01000000 00000000'), { name: 'CodecError', kind: 'bad_length', message: /goto_table instruction must be 8 bytes, not 16/ });
  t.throws(() => dec('0004 0004'), { name: 'CodecError', kind: 'bad_length', message: /shorter than 8/ });
  t.throws(() => decodeInstructions(new Reader(hex('0005 0008 00000000')), 4), { name: 'CodecError', kind: 'truncated' });
  t.throws(() => decodeInstructions(new Reader(hex('00')), -2), { name: 'CodecError', kind: 'bad_length' });
});

t.test('malformed input raises only CodecError', async (t) => {
  for (const [what, h] of CASES) {
    const b = hex(h);
    for (let cut = 0; cut < b.length; cut++) {
      t.throws(() => decodeInstructions(new Reader(b.subarray(0, cut)), b.length), { name: 'CodecError', kind: 'truncated' }, `${what} cut at ${cut}`);
      if (cut > 0) t.throws(() => decodeInstructions(new Reader(b), cut), { name: 'CodecError' }, `${what} list len ${cut}`);
    }
  }
  const all = CASES.map((c) => clean(c[1]));
  let seed = 2024;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
  for (let i = 0; i < 10000; i++) {
    const b = Buffer.from(hex(all[rand(all.length)]! + all[rand(all.length)]!));
    for (let k = rand(3) + 1; k > 0; k--) b[rand(b.length)] = rand(256);
    try {
      const r = new Reader(b);
      const list = decodeInstructions(r, b.length);
      if (enc(list, r.pads) !== b.toString('hex')) t.fail(`not byte-exact: ${b.toString('hex')}`);
    } catch (e) {
      if (!(e instanceof CodecError)) t.fail(`${b.toString('hex')}: ${String(e)}`);
    }
  }
});

t.test('bad encoder input raises a CodecError that says what to fix', async (t) => {
  const bad: [unknown, RegExp][] = [
    [{ type: 'goto_table' }, /instructions\[0\]: goto_table table_id must be an integer 0\.\.255, got undefined/],
    [{ type: 'goto_table', table_id: 256 }, /0\.\.255/],
    [{ type: 'write_metadata', metadata: 1n }, /64-bit/],
    [{ type: 'write_metadata', metadata: 'x', metadata_mask: 1n }, /64-bit/],
    [{ type: 'apply_actions' }, /actions must be a list/],
    [{ type: 'apply_actions', actions: [{ type: 'output', port: 'nowhere', max_len: 0 }] }, /instructions\[0\]: actions\[0\]: unknown port "nowhere"/],
    [{ type: 'meter', meter_id: 'fast' }, /unknown meter id/],
    [{ type: 'meter', meter_id: 2n }, /meter_id must be/],
    [{ type: 'experimenter', experimenter: 1, data: 5 }, /expected bytes/],
    [{ type: 'unknown', code: 3, data: '' }, /use the named type/],
    [{ type: 'goto' }, /unknown instruction type "goto"; expected one of goto_table/],
    [null, /an instruction must be an object/],
  ];
  for (const [ins, msg] of bad) t.throws(() => enc([ins]), { name: 'CodecError', kind: 'bad_input', message: msg }, String(msg));
  t.throws(() => enc('apply_actions'), { name: 'CodecError', message: /instructions must be a list/ });
  const junk: unknown[] = [undefined, null, 1n, -1, 1.5, NaN, 'x', '', {}, [], true, 2 ** 40, Buffer.alloc(3), [null], [1n]];
  for (const [, , ins] of CASES) {
    for (const key of Object.keys(ins)) {
      for (const j of junk) {
        try {
          encodeInstruction(new Writer(4), { ...ins, [key]: j } as Instruction);
        } catch (e) {
          if (!(e instanceof CodecError)) t.fail(`${ins.type}.${key} = ${String(j)}: ${String(e)}`);
        }
      }
    }
  }
});

t.test('type code tables', async (t) => {
  t.equal(instructionTypeCode('apply_actions'), 4);
  t.equal(instructionTypeCode('constructor'), undefined);
  t.equal(instructionTypeName(6), 'meter');
  t.equal(instructionTypeName(0xffff), 'experimenter');
  t.equal(instructionTypeName(0), undefined);
});
