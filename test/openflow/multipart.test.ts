import t from 'tap';
import { decodeMessage, encodeMessage } from '../../src/openflow/codec.js';
import { encodeMultipartReply, encodeMultipartRequest } from '../../src/openflow/messages/multipart.js';
import { check, hex, refuses, rejects } from '../helpers/multipart-harness.js';

// Multipart requests written by hand from the OF 1.3.5 layouts (§7.3.5);
// each line's comment names the fields. Header: version 04, type 12
// (request) or 13 (reply), length, xid; then ofp_multipart_*: type(2)
// flags(2) pad(4). Reply bodies: multipart-replies.test.ts.

const req = encodeMultipartRequest;
const rep = encodeMultipartReply;

t.test('requests', async (t) => {
  check(t, 'desc', hex('04 12 0010 00000001  0000 0000 00000000'), {
    type: 'multipart_request', xid: 1, flags: [], body: { type: 'desc' },
  }, req);

  check(t, 'flow with req_more', hex(`
    04 12 0040 00000002
    0001 0001 00000000                 # flow, req_more
    01 000000                          # table_id 1, pad
    ffffffff ffffffff 00000000         # out_port any, out_group any, pad
    0000000000001234 000000000000ffff  # cookie, cookie_mask
    0001 000a 80000a02 0800 000000000000   # match eth_type=0x0800, length 10, pad 6
  `), {
    type: 'multipart_request', xid: 2, flags: ['req_more'],
    body: {
      type: 'flow', table_id: 1, out_port: 'any', out_group: 'any', cookie: 0x1234n, cookie_mask: 0xffffn,
      match: [{ field: 'eth_type', value: 0x0800 }],
    },
  }, req);

  check(t, 'aggregate', hex(`
    04 12 0038 00000003
    0002 0000 00000000
    ff 000000 00000002 ffffffff 00000000   # table all, out_port 2, out_group any
    0000000000000000 0000000000000000
    0001 0004 00000000                     # empty match
  `), {
    type: 'multipart_request', xid: 3, flags: [],
    body: { type: 'aggregate', table_id: 'all', out_port: 2, out_group: 'any', cookie: 0n, cookie_mask: 0n, match: [] },
  }, req);

  check(t, 'table', hex('04 12 0010 00000004  0003 0000 00000000'), {
    type: 'multipart_request', xid: 4, flags: [], body: { type: 'table' },
  }, req);

  check(t, 'port_stats', hex('04 12 0018 00000005  0004 0000 00000000  ffffffff 00000000'), {
    type: 'multipart_request', xid: 5, flags: [], body: { type: 'port_stats', port_no: 'any' },
  }, req);

  check(t, 'queue', hex('04 12 0018 00000006  0005 0000 00000000  00000001 ffffffff'), {
    type: 'multipart_request', xid: 6, flags: [], body: { type: 'queue', port_no: 1, queue_id: 'all' },
  }, req);

  check(t, 'group', hex('04 12 0018 00000007  0006 0000 00000000  fffffffc 00000000'), {
    type: 'multipart_request', xid: 7, flags: [], body: { type: 'group', group_id: 'all' },
  }, req);

  check(t, 'group_desc', hex('04 12 0010 00000008  0007 0000 00000000'), {
    type: 'multipart_request', xid: 8, flags: [], body: { type: 'group_desc' },
  }, req);

  check(t, 'group_features', hex('04 12 0010 00000009  0008 0000 00000000'), {
    type: 'multipart_request', xid: 9, flags: [], body: { type: 'group_features' },
  }, req);

  check(t, 'meter', hex('04 12 0018 0000000a  0009 0000 00000000  ffffffff 00000000'), {
    type: 'multipart_request', xid: 10, flags: [], body: { type: 'meter', meter_id: 'all' },
  }, req);

  check(t, 'meter_config', hex('04 12 0018 0000000b  000a 0000 00000000  00000005 00000000'), {
    type: 'multipart_request', xid: 11, flags: [], body: { type: 'meter_config', meter_id: 5 },
  }, req);

  check(t, 'meter_features', hex('04 12 0010 0000000c  000b 0000 00000000'), {
    type: 'multipart_request', xid: 12, flags: [], body: { type: 'meter_features' },
  }, req);

  check(t, 'table_features (query: empty list)', hex('04 12 0010 0000000d  000c 0000 00000000'), {
    type: 'multipart_request', xid: 13, flags: [], body: { type: 'table_features', tables: [] },
  }, req);

  check(t, 'port_desc', hex('04 12 0010 0000000e  000d 0000 00000000'), {
    type: 'multipart_request', xid: 14, flags: [], body: { type: 'port_desc' },
  }, req);

  check(t, 'experimenter', hex('04 12 001c 0000000f  ffff 0000 00000000  00002320 00000001 deadbeef'), {
    type: 'multipart_request', xid: 15, flags: [],
    body: { type: 'experimenter', experimenter: 0x2320, exp_type: 1, data: hex('deadbeef') },
  }, req);

  check(t, 'unknown multipart type kept as bytes', hex('04 12 0012 00000010  0042 0000 00000000  0102'), {
    type: 'multipart_request', xid: 16, flags: [], body: { type: 'unknown', code: 0x42, data: hex('0102') },
  }, req);

  check(t, 'non-zero padding and unknown flag bits survive', hex('04 12 0010 00000011  0000 8000 000000aa'), {
    type: 'multipart_request', xid: 17, flags: ['0x8000'], body: { type: 'desc' }, padding: { '12': '000000aa' },
  }, req);
});

t.test('declared lengths are enforced', async (t) => {
  rejects(t, 'flow_stats length 0', hex(`
    04 13 0048 00000001  0001 0000 00000000
    0000 00 00 00000000 00000000 0000 0000 0000 0000 00000000
    0000000000000000 0000000000000000 0000000000000000 0001 0004 00000000
  `), 'bad_length');
  rejects(t, 'flow_stats length past the message', hex(`
    04 13 0048 00000001  0001 0000 00000000
    0048 00 00 00000000 00000000 0000 0000 0000 0000 00000000
    0000000000000000 0000000000000000 0000000000000000 0001 0004 00000000
  `), 'truncated');
  rejects(t, 'flow_stats whose instruction is malformed', hex(`
    04 13 0050 00000001  0001 0000 00000000
    0040 00 00 00000000 00000000 0000 0000 0000 0000 00000000
    0000000000000000 0000000000000000 0000000000000000 0001 0004 00000000
    0001 0004 00000000
  `), 'bad_length'); // 8 bytes are not a whole goto_table
  rejects(t, 'group_stats length below 40', hex(`
    04 13 0038 00000001  0006 0000 00000000
    0020 0000 00000001 00000002 00000000 000000000000000a 00000000000003e8 00000003 00000004
  `), 'bad_length');
  rejects(t, 'group_stats with half a bucket counter', hex(`
    04 13 0040 00000001  0006 0000 00000000
    0030 0000 00000001 00000002 00000000 000000000000000a 00000000000003e8 00000003 00000004
    0000000000000005
  `), 'truncated');
  rejects(t, 'meter_stats len 0', hex(`
    04 13 0038 00000001  0009 0000 00000000
    00000001 0000 000000000000 00000002 0000000000000064 0000000000001900 00000007 00000008
  `), 'bad_length');
  rejects(t, 'meter_config length 4', hex('04 13 0018 00000001  000a 0000 00000000  0004 000d 00000001'), 'bad_length');
  rejects(t, 'group_desc length 0', hex('04 13 0018 00000001  0007 0000 00000000  0000 01 00 00000001'), 'bad_length');
  rejects(t, 'table_stats cut short', hex('04 13 0020 00000001  0003 0000 00000000  00 000000 00000005 0000000000000000'), 'truncated');
  rejects(t, 'port_stats request with trailing bytes', hex('04 12 0020 00000001  0004 0000 00000000  ffffffff 00000000 0000000000000000'), 'bad_length');
  rejects(t, 'desc request with a body', hex('04 12 0014 00000001  0000 0000 00000000  00000000'), 'bad_length');
  rejects(t, 'aggregate reply short', hex('04 13 0018 00000001  0002 0000 00000000  0000000000000064'), 'truncated');
});

t.test('encoders refuse malformed input with a useful reason', async (t) => {
  const m = (body: unknown) => ({ type: 'multipart_reply', xid: 1, flags: [], body });
  refuses(t, 'body not an object', m(null), rep, /body must be an object/);
  refuses(t, 'unknown body type', m({ type: 'flows' }), rep, /unknown multipart body type "flows"/);
  refuses(t, 'flows not a list', m({ type: 'flow', flows: 'x' }), rep, /flows must be a list/);
  refuses(t, 'group_features with 3 max_groups', m({
    type: 'group_features', types: [], capabilities: [], max_groups: [1, 2, 3], actions: [[], [], [], []],
  }), rep, /max_groups must have exactly 4 entries/);
  refuses(t, 'unknown flag', { type: 'multipart_request', xid: 1, flags: ['more'], body: { type: 'desc' } }, req, /unknown multipart request flags flag "more"/);
  refuses(t, 'queue id name', { type: 'multipart_request', xid: 1, flags: [], body: { type: 'queue', port_no: 1, queue_id: 'every' } }, req, /unknown queue id "every"/);
  refuses(t, 'desc string too long', m({ type: 'desc', mfr_desc: 'x'.repeat(257), hw_desc: '', sw_desc: '', serial_num: '', dp_desc: '' }), rep, /longer than 256 bytes/);
});

t.test('JSON forms encode (strings for u64, hex for bytes)', async (t) => {
  const bytes = encodeMessage({
    type: 'multipart_reply', xid: 9, flags: [],
    body: { type: 'aggregate', packet_count: '100' as unknown as bigint, byte_count: '0x1770' as unknown as bigint, flow_count: 3 },
  });
  t.equal(bytes.toString('hex'), '0413002800000009000200000000000000000000000000640000000000001770' + '0000000300000000');
  t.strictSame(decodeMessage(bytes), {
    type: 'multipart_reply', xid: 9, flags: [], body: { type: 'aggregate', packet_count: 100n, byte_count: 6000n, flow_count: 3 },
  });
});
