import t from 'tap';
import { encodeMultipartReply, encodeMultipartRequest } from '../../src/openflow/messages/multipart.js';
import { check, hex, refuses, rejects } from '../helpers/multipart-harness.js';

// ofp_table_features (OF 1.3.5 §7.3.5.5) written by hand. Each property is
// type(2) length(2) body, then zero padding to 8 that its length leaves out.

const name = Buffer.from('classifier', 'latin1').toString('hex') + '00'.repeat(22);

/** The 64-byte fixed part of table 0 with the given total length (hex). */
const fixed = (length: string): string => `
  ${length} 00 0000000000          # length, table_id 0, pad
  ${name}                          # name "classifier"
  ffffffffffffffff ffffffffffffffff  # metadata_match, metadata_write
  00000003 000f4240                # config (deprecated bits 0-1), max_entries 1000000
`;

const EVERY_PROPERTY = hex(`
  04 13 0168 00000001  000c 0000 00000000
  ${fixed('0158')}
  0000 0026                        # instructions, length 38
    0001 0004  0002 0004  0003 0004  0004 0004  0005 0004  0006 0004
    ffff 000a 00002320 abcd        # experimenter id with 2 extra bytes
    0000                           # pad
  0001 0010                        # instructions_miss, length 16
    0001 0004  0004 0004  0007 0004   # goto_table, apply_actions, undefined type 7
  0002 0007 010203 00              # next_tables 1 2 3, pad 1
  0003 0004 00000000               # next_tables_miss: none, pad 4
  0004 0010                        # write_actions
    0000 0004  0016 0004  0015 0004   # output, group, set_queue
  0005 0008 0000 0004              # write_actions_miss: output
  0006 001c                        # apply_actions, length 28
    0000 0004  0011 0004  0012 0004  0019 0004   # output, push_vlan, pop_vlan, set_field
    ffff 0008 00002320             # experimenter
    00000000                       # pad
  0007 000e                        # apply_actions_miss, length 14
    0000 0004  0003 0006 beef      # output; undefined type 3 with 2 extra bytes
    0000                           # pad
  0008 0024                        # match, length 36
    80000004                       # in_port
    80000606                       # eth_dst
    8000090c                       # eth_src, masked
    80000c02                       # vlan_vid
    00000206                       # NXM_0 field 1
    ffff0a08 4f4e4600              # experimenter class, field 5, experimenter ONF
    80006404                       # basic field 50, undefined in 1.3
    00000000                       # pad
  000a 000c 80000606 80000806 00000000   # wildcards eth_dst eth_src, pad
  000c 0008 80000606               # write_setfield eth_dst
  000d 0004 00000000               # write_setfield_miss: none, pad
  000e 000c 80001604 80001804 00000000   # apply_setfield ipv4_src ipv4_dst, pad
  000f 0008 80001c02               # apply_setfield_miss tcp_dst
  fffe 0010 00002320 00000001 01020304   # experimenter, exp_type 1
  ffff 000f 00002320 00000002 aabbcc 00  # experimenter_miss, exp_type 2, pad 1
  0009 0006 1234 0000              # undefined property 9, pad 2
`);

const TABLE_0 = {
  table_id: 0, name: 'classifier', metadata_match: 0xffffffffffffffffn, metadata_write: 0xffffffffffffffffn,
  config: ['0x1', '0x2'], max_entries: 1_000_000,
};

t.test('every property type', async (t) => {
  check(t, 'table_features reply', EVERY_PROPERTY, {
    type: 'multipart_reply', xid: 1, flags: [],
    body: {
      type: 'table_features',
      tables: [{
        ...TABLE_0,
        properties: [
          {
            type: 'instructions',
            instruction_ids: [
              { type: 'goto_table' }, { type: 'write_metadata' }, { type: 'write_actions' }, { type: 'apply_actions' },
              { type: 'clear_actions' }, { type: 'meter' }, { type: 'experimenter', experimenter: 0x2320, data: hex('abcd') },
            ],
          },
          { type: 'instructions_miss', instruction_ids: [{ type: 'goto_table' }, { type: 'apply_actions' }, { type: 7 }] },
          { type: 'next_tables', next_table_ids: [1, 2, 3] },
          { type: 'next_tables_miss', next_table_ids: [] },
          { type: 'write_actions', action_ids: [{ type: 'output' }, { type: 'group' }, { type: 'set_queue' }] },
          { type: 'write_actions_miss', action_ids: [{ type: 'output' }] },
          {
            type: 'apply_actions',
            action_ids: [
              { type: 'output' }, { type: 'push_vlan' }, { type: 'pop_vlan' }, { type: 'set_field' },
              { type: 'experimenter', experimenter: 0x2320 },
            ],
          },
          { type: 'apply_actions_miss', action_ids: [{ type: 'output' }, { type: 3, data: hex('beef') }] },
          {
            type: 'match',
            oxm_ids: [
              { field: 'in_port', hasmask: false, length: 4 },
              { field: 'eth_dst', hasmask: false, length: 6 },
              { field: 'eth_src', hasmask: true, length: 12 },
              { field: 'vlan_vid', hasmask: false, length: 2 },
              { oxm_class: 0, oxm_field: 1, hasmask: false, length: 6 },
              { oxm_class: 0xffff, oxm_field: 5, hasmask: false, length: 8, experimenter: 0x4f4e4600 },
              { oxm_class: 0x8000, oxm_field: 50, hasmask: false, length: 4 },
            ],
          },
          { type: 'wildcards', oxm_ids: [{ field: 'eth_dst', hasmask: false, length: 6 }, { field: 'eth_src', hasmask: false, length: 6 }] },
          { type: 'write_setfield', oxm_ids: [{ field: 'eth_dst', hasmask: false, length: 6 }] },
          { type: 'write_setfield_miss', oxm_ids: [] },
          { type: 'apply_setfield', oxm_ids: [{ field: 'ipv4_src', hasmask: false, length: 4 }, { field: 'ipv4_dst', hasmask: false, length: 4 }] },
          { type: 'apply_setfield_miss', oxm_ids: [{ field: 'tcp_dst', hasmask: false, length: 2 }] },
          { type: 'experimenter', experimenter: 0x2320, exp_type: 1, data: hex('01020304') },
          { type: 'experimenter_miss', experimenter: 0x2320, exp_type: 2, data: hex('aabbcc') },
          { type: 'unknown', code: 9, data: hex('1234') },
        ],
      }],
    },
  }, encodeMultipartReply);
});

t.test('request setting two tables', async (t) => {
  check(t, 'table_features request', hex(`
    04 12 00a0 00000002  000c 0000 00000000
    ${fixed('0048')}
    0002 0005 01 000000                # next_tables 1, pad 3
    0048 01 0000000000                 # table 1
    ${Buffer.from('acl', 'latin1').toString('hex')}${'00'.repeat(29)}
    0000000000000000 0000000000000000 00000000 00000100
    0003 0004 00000000                 # next_tables_miss: none
  `), {
    type: 'multipart_request', xid: 2, flags: [],
    body: {
      type: 'table_features',
      tables: [
        { ...TABLE_0, properties: [{ type: 'next_tables', next_table_ids: [1] }] },
        {
          table_id: 1, name: 'acl', metadata_match: 0n, metadata_write: 0n, config: [], max_entries: 256,
          properties: [{ type: 'next_tables_miss', next_table_ids: [] }],
        },
      ],
    },
  }, encodeMultipartRequest);
});

t.test('non-zero property padding is kept', async (t) => {
  check(t, 'padding', hex(`
    04 13 0060 00000003  000c 0000 00000000
    ${fixed('0050')}
    0002 0005 01 0000ee                # next_tables 1, pad with a stray byte
    0008 0008 80000004                 # match in_port
  `), {
    type: 'multipart_reply', xid: 3, flags: [],
    body: {
      type: 'table_features',
      tables: [{
        ...TABLE_0,
        properties: [
          { type: 'next_tables', next_table_ids: [1] },
          { type: 'match', oxm_ids: [{ field: 'in_port', hasmask: false, length: 4 }] },
        ],
      }],
    },
    padding: { '85': '0000ee' },
  }, encodeMultipartReply);
});

t.test('declared lengths are enforced', async (t) => {
  const one = (prop: string, tfLen: string, msgLen: string) =>
    hex(`04 13 ${msgLen} 00000004  000c 0000 00000000 ${fixed(tfLen)} ${prop}`);
  rejects(t, 'property length 0', one('0008 0000 00000000', '0048', '0058'), 'bad_length');
  rejects(t, 'property length 2', one('0008 0002 00000000', '0048', '0058'), 'bad_length');
  rejects(t, 'experimenter property shorter than 12', one('fffe 0008 00002320', '0048', '0058'), 'bad_length');
  rejects(t, 'property past its table', one('0008 0010 80000004', '0048', '0058'), 'truncated');
  rejects(t, 'missing padding after the last property', one('0002 0005 01', '0045', '0055'), 'truncated');
  rejects(t, 'instruction id length 2', one('0000 0008 0001 0002', '0048', '0058'), 'bad_length');
  rejects(t, 'experimenter action id without its id', one('0004 0008 ffff 0004', '0048', '0058'), 'bad_length');
  rejects(t, 'experimenter OXM id cut short', one('0008 0008 ffff0a08', '0048', '0058'), 'truncated');
  rejects(t, 'half an OXM id', one('0008 0006 8000 0000', '0048', '0058'), 'truncated');
  rejects(t, 'table_features length below 64', hex(`04 13 0050 00000004  000c 0000 00000000 ${fixed('003f')}`), 'bad_length');
  rejects(t, 'table_features length past the message', hex(`04 13 0050 00000004  000c 0000 00000000 ${fixed('0048')}`), 'truncated');
});

t.test('encoders refuse malformed ids', async (t) => {
  const body = (properties: unknown) => ({
    type: 'multipart_reply', xid: 1, flags: [], body: { type: 'table_features', tables: [{ ...TABLE_0, properties }] },
  });
  const rep = encodeMultipartReply;
  refuses(t, 'unknown property', body([{ type: 'matches', oxm_ids: [] }]), rep, /unknown table feature property "matches"/);
  refuses(t, 'unknown oxm field', body([{ type: 'match', oxm_ids: [{ field: 'eth_dest', hasmask: false, length: 6 }] }]), rep, /unknown OXM field "eth_dest"/);
  refuses(t, 'hasmask not boolean', body([{ type: 'match', oxm_ids: [{ field: 'eth_dst', hasmask: 1, length: 6 }] }]), rep, /hasmask must be true or false/);
  refuses(t, 'experimenter class without id', body([{ type: 'match', oxm_ids: [{ oxm_class: 0xffff, oxm_field: 1, hasmask: false, length: 4 }] }]), rep, /needs its experimenter id/);
  refuses(t, 'experimenter id on a basic class', body([{ type: 'match', oxm_ids: [{ oxm_class: 0x8000, oxm_field: 1, hasmask: false, length: 4, experimenter: 1 }] }]), rep, /has no experimenter id/);
  refuses(t, 'unknown action id', body([{ type: 'apply_actions', action_ids: [{ type: 'outptu' }] }]), rep, /unknown action id type "outptu"/);
  refuses(t, 'experimenter instruction id without id', body([{ type: 'instructions', instruction_ids: [{ type: 'experimenter' }] }]), rep, /needs its experimenter id/);
  refuses(t, 'next table out of range', body([{ type: 'next_tables', next_table_ids: [256] }]), rep, /8 bits/);
  refuses(t, 'name too long', {
    type: 'multipart_reply', xid: 1, flags: [],
    body: { type: 'table_features', tables: [{ ...TABLE_0, name: 'n'.repeat(33), properties: [] }] },
  }, rep, /longer than 32 bytes/);
});
