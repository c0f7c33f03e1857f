import t, { type Test } from 'tap';
import { decodeMessage, encodeMessage } from '../../src/openflow/codec.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import { firstDiff } from '../helpers/hex.js';
import * as S from '../helpers/samples.js';

function check(t: Test, name: string, bytes: Buffer, expected: OfpMessage): void {
  t.test(name, async (t) => {
    const msg = decodeMessage(bytes);
    t.same(msg, expected, 'decode gives the expected message');
    t.equal(firstDiff(encodeMessage(expected), bytes), undefined, 'encode gives the expected bytes');
    t.equal(firstDiff(encodeMessage(msg), bytes), undefined, 'encode(decode(x)) === x');
    t.strictSame(decodeMessage(encodeMessage(msg)), msg, 'decode(encode(m)) deep-equals m');
  });
}

check(t, 'hello with version bitmap', S.HELLO_13, {
  type: 'hello', xid: 1, version: 4, elements: [{ type: 'versionbitmap', bitmaps: [0x10] }],
});

check(t, 'features_reply', S.FEATURES_REPLY, {
  type: 'features_reply', xid: 2, datapath_id: 1n, n_buffers: 256, n_tables: 254, auxiliary_id: 0,
  capabilities: ['flow_stats', 'table_stats', 'port_stats', 'group_stats', 'queue_stats'], reserved: 0,
});

check(t, 'packet_in carrying ARP', S.PACKET_IN_ARP, {
  type: 'packet_in', xid: 16, buffer_id: 'no_buffer', total_len: 60, reason: 'no_match', table_id: 0, cookie: 0n,
  match: [{ field: 'in_port', value: 1 }], data: S.ARP_FRAME,
});

check(t, 'flow_mod in_port+eth_dst+eth_src → output', S.FLOW_MOD_L2, {
  type: 'flow_mod', xid: 3, cookie: 0n, cookie_mask: 0n, table_id: 0, command: 'add', idle_timeout: 0, hard_timeout: 0,
  priority: 0x8000, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: ['send_flow_rem'],
  match: [
    { field: 'in_port', value: 1 },
    { field: 'eth_dst', value: '00:00:00:00:00:02' },
    { field: 'eth_src', value: '00:00:00:00:00:01' },
  ],
  instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, max_len: 0xffe5 }] }],
});

check(t, 'port_status add', S.PORT_STATUS_ADD, {
  type: 'port_status', xid: 0, reason: 'add',
  desc: {
    port_no: 3, hw_addr: 'aa:bb:cc:dd:ee:ff', name: 's1-eth3', config: ['port_down'], state: ['live'],
    curr: ['10gb_fd', 'copper', 'autoneg'], advertised: [], supported: [], peer: [], curr_speed: 10_000_000, max_speed: 0,
  },
});

check(t, 'packet_out flood', S.PACKET_OUT_ARP, {
  type: 'packet_out', xid: 5, buffer_id: 'no_buffer', in_port: 'controller',
  actions: [{ type: 'output', port: 'flood', max_len: 'no_buffer' }], data: S.ARP_FRAME,
});

check(t, 'flow_removed', S.FLOW_REMOVED, {
  type: 'flow_removed', xid: 0, cookie: 0xabcdn, priority: 100, reason: 'idle_timeout', table_id: 1, duration_sec: 10,
  duration_nsec: 5, idle_timeout: 30, hard_timeout: 0, packet_count: 7n, byte_count: 672n,
  match: [{ field: 'eth_type', value: 0x0800 }],
});

check(t, 'role_request master', S.ROLE_REQUEST, { type: 'role_request', xid: 9, role: 'master', generation_id: 7n });

check(t, 'set_async', S.SET_ASYNC, {
  type: 'set_async', xid: 10,
  packet_in_mask: [['no_match', 'action'], []],
  port_status_mask: [['add', 'delete', 'modify'], ['add', 'delete', 'modify']],
  flow_removed_mask: [['idle_timeout', 'hard_timeout', 'delete', 'group_delete'], []],
});

check(t, 'port_mod down', S.PORT_MOD, {
  type: 'port_mod', xid: 11, port_no: 1, hw_addr: '00:00:00:00:00:01', config: ['port_down'], mask: ['port_down'], advertise: [],
});
check(t, 'table_mod', S.TABLE_MOD, { type: 'table_mod', xid: 12, table_id: 1, config: 0 });
check(t, 'set_config', S.SET_CONFIG, { type: 'set_config', xid: 13, flags: 'frag_normal', miss_send_len: 'no_buffer' });
check(t, 'echo_request', S.ECHO_REQUEST, { type: 'echo_request', xid: 14, data: Buffer.from('abcd') });
check(t, 'experimenter', S.EXPERIMENTER, {
  type: 'experimenter', xid: 15, experimenter: 0x2320, exp_type: 20, data: Buffer.from('0102030405060708', 'hex'),
});
check(t, 'barrier_request', S.BARRIER_REQUEST, { type: 'barrier_request', xid: 17 });

t.test('non-zero padding is kept so re-encoding is exact', async (t) => {
  const bytes = Buffer.from(S.TABLE_MOD);
  bytes[9] = 0xaa; // inside table_mod's pad(3)
  const msg = decodeMessage(bytes);
  t.same(msg.padding, { '9': 'aa0000' });
  t.equal(firstDiff(encodeMessage(msg), bytes), undefined);
});

t.test('header errors', async (t) => {
  t.throws(() => decodeMessage(Buffer.from('04ff000800000001', 'hex')), { name: 'CodecError', kind: 'bad_type', offset: 1 });
  t.throws(() => decodeMessage(Buffer.from('0314000800000001', 'hex')), { name: 'CodecError', kind: 'bad_version', offset: 0 });
  t.throws(() => decodeMessage(Buffer.from('0414000400000001', 'hex')), { name: 'CodecError', kind: 'bad_length', offset: 2 });
  t.throws(() => decodeMessage(Buffer.from('041400100000000100', 'hex')), { name: 'CodecError', kind: 'truncated', message: /length says/ });
  t.throws(() => decodeMessage(Buffer.from('04140009000000010a', 'hex')), { name: 'CodecError', kind: 'bad_length', msgType: 'barrier_request' });
  const hello12 = decodeMessage(Buffer.from('0300000800000001', 'hex'));
  t.same(hello12, { type: 'hello', xid: 1, version: 3, elements: [] }, 'a HELLO of another version decodes (negotiation needs it)');
});

t.test('encode computes lengths and validates input', async (t) => {
  t.equal(encodeMessage({ type: 'echo_reply', xid: 1, data: Buffer.from('hi') }).toString('hex'), '0403000a000000016869');
  t.throws(() => encodeMessage({ type: 'nope', xid: 1 } as unknown as OfpMessage), { name: 'CodecError', kind: 'bad_input' });
  t.throws(() => encodeMessage({ type: 'flow_mod', xid: 1, command: 'launch' } as unknown as OfpMessage), { name: 'CodecError', message: /unknown flow_mod command "launch"/ });
  t.throws(() => encodeMessage({ type: 'role_request', xid: 1, role: 'master', generation_id: 'seven' } as unknown as OfpMessage), { name: 'CodecError' });
  t.throws(() => encodeMessage({ type: 'features_reply', xid: 1, datapath_id: 'xyz' } as unknown as OfpMessage), { name: 'CodecError' });
});
