import t, { type Test } from 'tap';
import { decodeMessage, encodeMessage } from '../../src/openflow/codec.js';
import { CodecError } from '../../src/openflow/codec-error.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import { decodeMatch, encodeMatch } from '../../src/openflow/structs/match.js';
import { Reader } from '../../src/openflow/reader.js';
import { Writer } from '../../src/openflow/writer.js';
import { toErrorReply } from '../../src/northbound/errors.js';
import { hex } from '../helpers/hex.js';

// Where the spec is strict the codec is too, and says which OFPT_ERROR a
// switch would send (OF 1.3.5 §7.4.4; OF 1.3.4 conformance 430.500/430.510
// for OXM lengths and fields). Frames are written by hand.

type Ofp = { type: string; code: string; typeValue: number; codeValue: number };

function codecError(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodecError) return e;
    throw e;
  }
  throw new Error('expected a CodecError, got none');
}

function expectOfp(t: Test, e: CodecError, ofp: Ofp, kind: string, what: string): void {
  t.equal(e.kind, kind, `${what}: kind ${kind}`);
  t.strictSame(e.ofp, ofp, `${what}: ${ofp.type}/${ofp.code}`);
  t.match(e.reason, `${ofp.type}/${ofp.code}`, `${what}: the reason names the code`);
}

const BAD_MATCH_LEN = { type: 'bad_match', code: 'bad_len', typeValue: 4, codeValue: 1 };
const BAD_MATCH_FIELD = { type: 'bad_match', code: 'bad_field', typeValue: 4, codeValue: 6 };
const BAD_SET_LEN = { type: 'bad_action', code: 'bad_set_len', typeValue: 2, codeValue: 14 };
const BAD_SET_TYPE = { type: 'bad_action', code: 'bad_set_type', typeValue: 2, codeValue: 13 };
const BAD_COMMAND = { type: 'meter_mod_failed', code: 'bad_command', typeValue: 12, codeValue: 4 };
const BAD_BAND = { type: 'meter_mod_failed', code: 'bad_band', typeValue: 12, codeValue: 8 };

// ofp_flow_mod fixed part after the header: cookie, cookie_mask, table 0, add, timeouts 0,
// priority 0x8000, no_buffer, out_port any, out_group any, flags 0, pad.
const FLOW_MOD_FIXED = '0000000000000000 0000000000000000 00 00 0000 0000 8000 ffffffff ffffffff ffffffff 0000 0000';
const flowMod = (len: string, rest: string): Buffer => hex(`04 0e ${len} 00000001 ${FLOW_MOD_FIXED} ${rest}`);

t.test('decode: a basic OXM whose length is not the field size is bad_match/bad_len', async (t) => {
  const cases: [string, string][] = [
    // eth_type (2 bytes) sent with oxm_length 4
    ['eth_type with 4 bytes', '0001 000c 80000a04 08000000 00000000'],
    // eth_dst masked needs 12 bytes; 6 sent
    ['masked eth_dst with 6 bytes', '0001 000e 80000706 ffffffffffff 0000'],
    // in_port (4 bytes) sent with oxm_length 2
    ['in_port with 2 bytes', '0001 000a 80000002 0001 000000000000'],
    // ipv4_src (4 bytes) sent empty
    ['empty ipv4_src', '0001 0008 80001600'],
  ];
  for (const [what, match] of cases) {
    expectOfp(t, codecError(() => decodeMatch(new Reader(hex(match)))), BAD_MATCH_LEN, 'bad_length', what);
  }
  // The same inside whole messages: a flow_mod, and a packet_in from a switch.
  const fm = flowMod('0040', '0001 000c 80000a04 08000000 00000000');
  t.equal(fm.length, 0x40);
  const e = codecError(() => decodeMessage(fm));
  expectOfp(t, e, BAD_MATCH_LEN, 'bad_length', 'flow_mod');
  t.equal(e.msgType, 'flow_mod');
  t.equal(e.offset, 52, 'offset of the bad TLV in the message (header 8 + fixed 40 + match header 4)');
  const pin = hex('040a002a00000010 ffffffff 0000 00 00 0000000000000000 0001000a 80000002 0001 000000000000 0000');
  t.equal(pin.length, 0x2a);
  expectOfp(t, codecError(() => decodeMessage(pin)), BAD_MATCH_LEN, 'bad_length', 'packet_in');
});

t.test('decode: a basic OXM field OpenFlow 1.3 does not define is bad_match/bad_field', async (t) => {
  expectOfp(t, codecError(() => decodeMatch(new Reader(hex('0001 000c 80005004 01020304 00000000')))), BAD_MATCH_FIELD, 'bad_value', 'field 40');
  expectOfp(t, codecError(() => decodeMatch(new Reader(hex('0001 0008 8000fe00')))), BAD_MATCH_FIELD, 'bad_value', 'field 127 masked');
  // Other classes stay raw, and so does a mask on a field Table 12 calls unmaskable (OVS sends tcp_dst/0xf000).
  t.strictSame(decodeMatch(new Reader(hex('0001 000c 00010004 0000002a 00000000'))), [
    { oxm_class: 1, oxm_field: 0, hasmask: false, raw: hex('000100040000002a') },
  ]);
  t.strictSame(decodeMatch(new Reader(hex('0001 000c 80001d04 1000f000 00000000'))), [
    { oxm_class: 0x8000, oxm_field: 14, hasmask: true, raw: hex('80001d041000f000') },
  ]);
});

t.test('decode: a set_field OXM is held to the same rules, with the action error codes', async (t) => {
  // apply_actions [set_field eth_type with oxm_length 4]
  const badLen = flowMod('0050', '0001 0004 00000000  0004 0018 00000000  0019 0010 80000a04 08000000 00000000');
  t.equal(badLen.length, 0x50);
  expectOfp(t, codecError(() => decodeMessage(badLen)), BAD_SET_LEN, 'bad_length', 'set_field eth_type len 4');
  const badField = flowMod('0050', '0001 0004 00000000  0004 0018 00000000  0019 0010 80005004 01020304 00000000');
  expectOfp(t, codecError(() => decodeMessage(badField)), BAD_SET_TYPE, 'bad_value', 'set_field field 40');
});

const FLOW: OfpMessage = {
  type: 'flow_mod', xid: 1, cookie: 0n, cookie_mask: 0n, table_id: 0, command: 'add', idle_timeout: 0, hard_timeout: 0,
  priority: 0x8000, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: [], match: [], instructions: [],
};

t.test('encode of REST input: the same rules, the same codes', async (t) => {
  const enc = (m: Partial<Extract<OfpMessage, { type: 'flow_mod' }>>) => () => encodeMessage({ ...FLOW, ...m } as OfpMessage);
  // A raw TLV of the basic class with the wrong length, as a REST client could send it.
  expectOfp(t, codecError(enc({ match: [{ oxm_class: 0x8000, oxm_field: 5, hasmask: false, raw: hex('80000a0408000000') }] })), BAD_MATCH_LEN, 'bad_input', 'raw eth_type len 4');
  expectOfp(t, codecError(enc({ match: [{ oxm_class: 0x8000, oxm_field: 40, hasmask: false, raw: hex('8000500401020304') }] })), BAD_MATCH_FIELD, 'bad_input', 'raw field 40');
  expectOfp(t, codecError(enc({ match: [{ field: 'eth_tpye' as 'eth_type', value: 0x800 }] })), BAD_MATCH_FIELD, 'bad_input', 'unknown field name');
  const setField = (field: unknown) => enc({ instructions: [{ type: 'apply_actions', actions: [{ type: 'set_field', field: field as never }] }] });
  expectOfp(t, codecError(setField({ oxm_class: 0x8000, oxm_field: 5, hasmask: false, raw: hex('80000a0408000000') })), BAD_SET_LEN, 'bad_input', 'set_field raw len');
  expectOfp(t, codecError(setField({ field: 'vlan_vidd', value: 1 })), BAD_SET_TYPE, 'bad_input', 'set_field unknown name');
  // A well-formed basic TLV in raw form is fine and byte-exact.
  const w = new Writer();
  encodeMatch(w, [{ oxm_class: 0x8000, oxm_field: 5, hasmask: false, raw: hex('80000a020800') }]);
  t.equal(w.finish().toString('hex'), '0001000a80000a020800000000000000');
});

t.test('meter_mod: undefined command is bad_command, undefined band type is bad_band', async (t) => {
  const cmd = hex('04 1d 0010 00000004  0009 0000 00000001');
  expectOfp(t, codecError(() => decodeMessage(cmd)), BAD_COMMAND, 'bad_value', 'decode command 9');
  const band = hex('04 1d 0020 00000001  0000 0001 00000001  0005 0010 00000001 00000002 aabbccdd');
  t.equal(band.length, 0x20);
  const e = codecError(() => decodeMessage(band));
  expectOfp(t, e, BAD_BAND, 'bad_value', 'decode band type 5');
  t.equal(e.offset, 16, 'offset of the band');

  const mm = { type: 'meter_mod', xid: 1, command: 'add', flags: ['kbps'], meter_id: 1, bands: [{ type: 'drop', rate: 1, burst_size: 0 }] };
  const enc = (m: object) => () => encodeMessage({ ...mm, ...m } as OfpMessage);
  expectOfp(t, codecError(enc({ command: 9 })), BAD_COMMAND, 'bad_input', 'encode command 9');
  expectOfp(t, codecError(enc({ command: 'remove' })), BAD_COMMAND, 'bad_input', 'encode command "remove"');
  expectOfp(t, codecError(enc({ bands: [{ type: 'unknown', code: 5, rate: 1, burst_size: 2, data: hex('') }] })), BAD_BAND, 'bad_input', 'encode unknown band');
  expectOfp(t, codecError(enc({ bands: [{ type: 'remark', rate: 1, burst_size: 2 }] })), BAD_BAND, 'bad_input', 'encode band "remark"');
  // Defined commands by number still encode, as the spec's values.
  t.equal(encodeMessage({ ...mm, command: 2, bands: [] } as OfpMessage).toString('hex'), '041d0010000000010002000100000001');
});

t.test('meter_config replies keep bands of unknown type: a switch reports what it has', async (t) => {
  // ofp_meter_config: length(2) flags(2) meter_id(4) bands
  const b = hex('04 13 0028 00000005  000a 0000 00000000  0018 0001 00000001  0005 0010 00000001 00000002 aabbccdd');
  t.equal(b.length, 0x28);
  const m = decodeMessage(b);
  t.match(m, { body: { type: 'meter_config', configs: [{ bands: [{ type: 'unknown', code: 5, rate: 1, burst_size: 2 }] }] } });
  t.equal(encodeMessage(m).toString('hex'), b.toString('hex'));
});

t.test('the REST API answers 400 and names the code', async (t) => {
  const e = codecError(() => encodeMessage({ ...FLOW, match: [{ oxm_class: 0x8000, oxm_field: 5, hasmask: false, raw: hex('80000a0408000000') }] } as OfpMessage));
  const { status, body } = toErrorReply(e);
  t.equal(status, 400);
  t.equal(body.error, 'bad_request');
  t.match(body.message, /^flow_mod: match\[0\]: .*eth_type.*bad_match\/bad_len/);
  const m = toErrorReply(codecError(() => encodeMessage({ type: 'meter_mod', xid: 1, command: 7, flags: [], meter_id: 1, bands: [] } as unknown as OfpMessage)));
  t.equal(m.status, 400);
  t.match(m.body.message, /bad_command/);
});
