import t from 'tap';
import { Reader } from '../../src/openflow/reader.js';
import { Writer } from '../../src/openflow/writer.js';
import { CodecError } from '../../src/openflow/codec-error.js';
import { decodeErrorMsg, encodeErrorMsg, isExperimenterError, type ErrorMsg } from '../../src/openflow/messages/error.js';
import { ErrorTypeNames, errorCodeTable, describeError } from '../../src/openflow/messages/error-codes.js';

// Hand-written frames: ofp_header version(1)=04 type(1)=01 length(2) xid(4), then the body.
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** A reader over a whole message, positioned after the header, its end optionally cut short. */
function bodyReader(frame: Buffer, end = frame.length): Reader {
  const r = new Reader(frame, 0, end);
  r.pos = 8;
  return r;
}
function encodeBody(m: ErrorMsg): Buffer {
  const w = new Writer(4);
  encodeErrorMsg(w, m);
  return w.finish();
}

// OFPET_BAD_MATCH (4) / OFPBMC_BAD_PREREQ (9), data = first 8 bytes of a flow_mod header.
const badPrereq = hex('04 01 0014 00000007  0004 0009  04 0e 0050 00000007');
// OFPET_HELLO_FAILED (0) / OFPHFC_INCOMPATIBLE (0), data = ASCII text.
const helloFailed = hex('04 01 0010 00000000  0000 0000');
const helloText = Buffer.from('v1.0', 'latin1');
const helloFrame = Buffer.concat([helloFailed, helloText]);
helloFrame.writeUInt16BE(helloFrame.length, 2);
// OFPET_EXPERIMENTER (0xffff): exp_type 2301 (0x08fd), experimenter ONF 0x4f4e4600, data 2 bytes.
const expFrame = hex('04 01 0012 0000002a  ffff 08fd 4f4e4600  abcd');
// Type 0x0042 and code 0x1234 are not defined by the spec.
const unknownFrame = hex('04 01 000f 00000001  0042 1234  010203');
// OFPET_FLOW_MOD_FAILED (5) with code 0x0063, which 1.3.5 does not define for it.
const unknownCodeFrame = hex('04 01 000c 00000002  0005 0063');

t.test('decode a bad_match/bad_prereq error', async (t) => {
  const m = decodeErrorMsg(bodyReader(badPrereq), 7);
  t.same(m, { type: 'error', xid: 7, err_type: 'bad_match', code: 'bad_prereq', data: hex('040e005000000007') });
  t.notOk(isExperimenterError(m));
  t.ok(Buffer.isBuffer(m.data));
  // data is a copy, not a view into the frame
  const frame = Buffer.from(badPrereq);
  const m2 = decodeErrorMsg(bodyReader(frame), 7);
  frame.fill(0);
  t.equal(m2.data.toString('hex'), '040e005000000007');
});

t.test('decode hello_failed with text data', async (t) => {
  const m = decodeErrorMsg(bodyReader(helloFrame), 0);
  t.same(m, { type: 'error', xid: 0, err_type: 'hello_failed', code: 'incompatible', data: helloText });
  t.equal(m.data.toString('latin1'), 'v1.0');
});

t.test('encode writes the spec body layout', async (t) => {
  t.equal(
    encodeBody({ type: 'error', xid: 7, err_type: 'bad_match', code: 'bad_prereq', data: hex('040e005000000007') }).toString('hex'),
    '00040009040e005000000007',
  );
  t.equal(encodeBody({ type: 'error', xid: 1, err_type: 'bad_request', code: 'is_slave', data: Buffer.alloc(0) }).toString('hex'), '0001000a');
  t.equal(encodeBody({ type: 'error', xid: 1, err_type: 'bad_request', code: 'multipart_buffer_overflow', data: Buffer.alloc(0) }).toString('hex'), '0001000d');
  t.equal(encodeBody({ type: 'error', xid: 1, err_type: 'table_features_failed', code: 'eperm', data: Buffer.alloc(0) }).toString('hex'), '000d0005');
  t.equal(encodeBody({ type: 'error', xid: 1, err_type: 'bad_action', code: 'bad_set_argument', data: Buffer.alloc(0) }).toString('hex'), '0002000f');
  // numbers and names mix; a code name is looked up in the given type's table
  t.equal(encodeBody({ type: 'error', xid: 1, err_type: 4, code: 'bad_prereq', data: Buffer.alloc(0) }).toString('hex'), '00040009');
  t.equal(encodeBody({ type: 'error', xid: 1, err_type: 'group_mod_failed', code: 14, data: Buffer.alloc(0) }).toString('hex'), '0006000e');
  // from JSON, data may be hex
  t.equal(
    encodeBody({ type: 'error', xid: 1, err_type: 'flow_mod_failed', code: 'table_full', data: 'beef' as unknown as Buffer }).toString('hex'),
    '00050001beef',
  );
});

t.test('round trips are byte-exact', async (t) => {
  for (const frame of [badPrereq, helloFrame, expFrame, unknownFrame, unknownCodeFrame]) {
    const xid = frame.readUInt32BE(4);
    const m = decodeErrorMsg(bodyReader(frame), xid);
    t.equal(encodeBody(m).toString('hex'), frame.subarray(8).toString('hex'), frame.toString('hex'));
    t.same(decodeErrorMsg(bodyReader(Buffer.concat([frame.subarray(0, 8), encodeBody(m)])), xid), m);
    // and through JSON (data as hex)
    const json = JSON.parse(JSON.stringify({ ...m, data: m.data.toString('hex') })) as ErrorMsg;
    t.equal(encodeBody(json).toString('hex'), frame.subarray(8).toString('hex'));
  }
});

t.test('every error type has its codes, numbered per the spec', async (t) => {
  const counts: Record<string, [number, number]> = {
    hello_failed: [0, 2], bad_request: [1, 14], bad_action: [2, 16], bad_instruction: [3, 9], bad_match: [4, 12],
    flow_mod_failed: [5, 8], group_mod_failed: [6, 15], port_mod_failed: [7, 5], table_mod_failed: [8, 3],
    queue_op_failed: [9, 3], switch_config_failed: [10, 3], role_request_failed: [11, 3], meter_mod_failed: [12, 12],
    table_features_failed: [13, 6],
  };
  t.same([...ErrorTypeNames.byName.keys()].sort(), [...Object.keys(counts), 'experimenter'].sort());
  t.equal(ErrorTypeNames.byName.get('experimenter'), 0xffff);
  for (const [name, [value, n]] of Object.entries(counts)) {
    t.equal(ErrorTypeNames.byName.get(name), value, name);
    const table = errorCodeTable(value);
    t.same([...table.byValue.keys()].sort((a, b) => a - b), [...Array(n).keys()], `${name} codes are 0..${n - 1}`);
    for (const code of table.byValue.keys()) {
      const d = describeError(value, code);
      t.equal(d.type, name);
      t.type(d.code, 'string');
      t.ok(d.text.length > 20 && d.text.endsWith('.'), `${name}/${String(d.code)} has an explanation`);
    }
  }
  // spot checks against openflow-1.3.h
  const code = (type: string, c: string): number | undefined => errorCodeTable(ErrorTypeNames.byName.get(type)!).byName.get(c);
  t.equal(code('hello_failed', 'eperm'), 1);
  t.equal(code('bad_request', 'bad_exp_type'), 4);
  t.equal(code('bad_request', 'bad_packet'), 12);
  t.equal(code('bad_action', 'match_inconsistent'), 10);
  t.equal(code('bad_instruction', 'unsup_metadata_mask'), 4);
  t.equal(code('bad_match', 'dup_field'), 10);
  t.equal(code('flow_mod_failed', 'bad_flags'), 7);
  t.equal(code('group_mod_failed', 'chained_group'), 9);
  t.equal(code('role_request_failed', 'stale'), 0);
  t.equal(code('meter_mod_failed', 'out_of_bands'), 11);
  t.equal(errorCodeTable(0xffff).byName.size, 0);
  t.equal(errorCodeTable(0x42).byName.size, 0);
});

t.test('describeError', async (t) => {
  t.same(describeError(4, 9), {
    type: 'bad_match',
    code: 'bad_prereq',
    text: 'a match field needs its prerequisite, e.g. ip_proto needs eth_type 0x0800 or 0x86dd.',
  });
  const unknownCode = describeError(5, 99);
  t.equal(unknownCode.type, 'flow_mod_failed');
  t.equal(unknownCode.code, 99);
  t.match(unknownCode.text, /code 99/);
  const unknownType = describeError(0x42, 1);
  t.equal(unknownType.type, 0x42);
  t.equal(unknownType.code, 1);
  t.match(unknownType.text, /66/);
  t.equal(describeError(0xffff, 0).type, 'experimenter');
});

t.test('experimenter error', async (t) => {
  const m = decodeErrorMsg(bodyReader(expFrame), 42);
  t.same(m, { type: 'error', xid: 42, err_type: 'experimenter', exp_type: 2301, experimenter: 0x4f4e4600, data: hex('abcd') });
  t.ok(isExperimenterError(m));
  t.equal(
    encodeBody({ type: 'error', xid: 3, err_type: 'experimenter', exp_type: 1, experimenter: 0x2320, data: Buffer.alloc(0) }).toString('hex'),
    'ffff000100002320',
  );
  // 0xffff given as a number selects the experimenter layout too
  t.equal(
    encodeBody({ type: 'error', xid: 3, err_type: 0xffff, exp_type: 1, experimenter: 0x2320, data: hex('00') } as unknown as ErrorMsg).toString('hex'),
    'ffff00010000232000',
  );
  t.throws(() => encodeBody({ type: 'error', xid: 3, err_type: 'experimenter', code: 1, data: Buffer.alloc(0) } as unknown as ErrorMsg), CodecError);
  t.throws(() => encodeBody({ type: 'error', xid: 3, err_type: 'experimenter', exp_type: 1, data: Buffer.alloc(0) } as unknown as ErrorMsg), CodecError);
  t.throws(() => encodeBody({ type: 'error', xid: 3, err_type: 'experimenter', exp_type: 0x10000, experimenter: 1, data: Buffer.alloc(0) }), CodecError);
});

t.test('unknown type and code stay numbers and re-encode exactly', async (t) => {
  const m = decodeErrorMsg(bodyReader(unknownFrame), 1);
  t.same(m, { type: 'error', xid: 1, err_type: 0x42, code: 0x1234, data: hex('010203') });
  t.equal(encodeBody(m).toString('hex'), '00421234010203');
  const c = decodeErrorMsg(bodyReader(unknownCodeFrame), 2);
  t.same(c, { type: 'error', xid: 2, err_type: 'flow_mod_failed', code: 0x63, data: Buffer.alloc(0) });
  t.equal(encodeBody(c).toString('hex'), '00050063');
});

t.test('truncation at every offset yields only CodecError', async (t) => {
  for (const frame of [badPrereq, helloFrame, expFrame, unknownFrame, unknownCodeFrame]) {
    const fixed = frame.readUInt16BE(8) === 0xffff ? 16 : 12;
    for (let end = 8; end < frame.length; end++) {
      let result: ErrorMsg | undefined;
      try {
        result = decodeErrorMsg(bodyReader(frame, end), 0);
      } catch (e) {
        t.type(e, CodecError, `cut at ${end} throws CodecError`);
        t.equal((e as CodecError).kind, 'truncated');
        t.ok(end < fixed, `only cuts inside the fixed part fail (cut at ${end})`);
        continue;
      }
      // the data tail has no length of its own: a shorter frame means shorter data
      t.ok(end >= fixed, `cut at ${end} decodes only when the fixed part is whole`);
      t.equal(result.data.length, end - fixed);
    }
  }
});

t.test('bad names and bad input give CodecError', async (t) => {
  const base = { type: 'error' as const, xid: 1, data: Buffer.alloc(0) };
  const bad: unknown[] = [
    { ...base, err_type: 'no_such_type', code: 0 },
    { ...base, err_type: 'OFPET_BAD_MATCH', code: 0 },
    { ...base, err_type: 'bad_action', code: 'bad_prereq' }, // exists for bad_match only
    { ...base, err_type: 'bad_match', code: 'match_inconsistent' }, // exists for bad_action only
    { ...base, err_type: 0x42, code: 'bad_len' }, // an unknown type has no named codes
    { ...base, err_type: 'bad_match', code: 0x10000 },
    { ...base, err_type: 0x10000, code: 0 },
    { ...base, err_type: 'bad_match', code: -1 },
    { ...base, err_type: 'bad_match', code: null },
    { ...base, err_type: 'bad_match', code: 'bad_prereq', data: 'xyz' },
    { ...base, err_type: 'bad_match', code: 'bad_prereq', data: 5 },
    { type: 'error', xid: 1, err_type: 'bad_match', code: 'bad_prereq' },
    null,
  ];
  for (const m of bad) {
    t.throws(() => encodeBody(m as ErrorMsg), CodecError, JSON.stringify(m));
  }
  t.throws(() => encodeBody({ ...base, err_type: 'bad_action', code: 'bad_prereq' }), {
    name: 'CodecError',
    message: /bad_prereq.*bad_action.*match_inconsistent/,
  });
});
