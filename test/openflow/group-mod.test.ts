import t from 'tap';
import { encodeGroupMod } from '../../src/openflow/messages/group-mod.js';
import { check, hex, refuses, rejects } from '../helpers/multipart-harness.js';

// OFPT_GROUP_MOD (type 0x0f), OF 1.3.5 §7.3.4.2, written by hand:
// command(2) type(1) pad(1) group_id(4), then ofp_bucket: len(2) weight(2)
// watch_port(4) watch_group(4) pad(4) actions.

const enc = encodeGroupMod;
const output = (port: number) => ({ type: 'output', port, max_len: 0xffe5 }) as const;

check(t, 'add a select group with two weighted buckets', hex(`
  04 0f 0050 0000000a
  0000 01 00 00000001                                                    # add, select, group 1
  0020 0032 ffffffff ffffffff 00000000  0000 0010 00000001 ffe5 000000000000   # weight 50: output 1
  0020 0032 ffffffff ffffffff 00000000  0000 0010 00000002 ffe5 000000000000   # weight 50: output 2
`), {
  type: 'group_mod', xid: 10, command: 'add', group_type: 'select', group_id: 1,
  buckets: [
    { weight: 50, watch_port: 'any', watch_group: 'any', actions: [output(1)] },
    { weight: 50, watch_port: 'any', watch_group: 'any', actions: [output(2)] },
  ],
}, enc);

check(t, 'modify a fast-failover group with watch port and group', hex(`
  04 0f 0040 0000000b
  0001 03 00 00000002                                                    # modify, ff, group 2
  0018 0000 00000003 ffffffff 00000000  0016 0008 00000001               # watch port 3: group 1
  0018 0000 ffffffff 00000005 00000000  0011 0008 8100 0000              # watch group 5: push_vlan
`), {
  type: 'group_mod', xid: 11, command: 'modify', group_type: 'ff', group_id: 2,
  buckets: [
    { weight: 0, watch_port: 3, watch_group: 'any', actions: [{ type: 'group', group_id: 1 }] },
    { weight: 0, watch_port: 'any', watch_group: 5, actions: [{ type: 'push_vlan', ethertype: 0x8100 }] },
  ],
}, enc);

check(t, 'indirect group with an empty bucket', hex(`
  04 0f 0020 0000000c
  0000 02 00 00000003                                                    # add, indirect, group 3
  0010 0000 ffffffff ffffffff 00000000                                   # no actions
`), {
  type: 'group_mod', xid: 12, command: 'add', group_type: 'indirect', group_id: 3,
  buckets: [{ weight: 0, watch_port: 'any', watch_group: 'any', actions: [] }],
}, enc);

check(t, 'delete all groups', hex('04 0f 0010 0000000d  0002 00 00 fffffffc'), {
  type: 'group_mod', xid: 13, command: 'delete', group_type: 'all', group_id: 'all', buckets: [],
}, enc);

check(t, 'undefined command and group type stay numbers', hex('04 0f 0010 0000000e  0007 09 00 00000001'), {
  type: 'group_mod', xid: 14, command: 7, group_type: 9, group_id: 1, buckets: [],
}, enc);

t.test('declared lengths are enforced', async (t) => {
  rejects(t, 'bucket len 8', hex('04 0f 0020 00000001  0000 01 00 00000001  0008 0000 ffffffff ffffffff 00000000'), 'bad_length');
  rejects(t, 'bucket len 0', hex('04 0f 0020 00000001  0000 01 00 00000001  0000 0000 ffffffff ffffffff 00000000'), 'bad_length');
  rejects(t, 'bucket past the message', hex('04 0f 0020 00000001  0000 01 00 00000001  0020 0000 ffffffff ffffffff 00000000'), 'truncated');
  rejects(t, 'half a bucket', hex('04 0f 0018 00000001  0000 01 00 00000001  0010 0000 ffffffff'), 'truncated');
  rejects(t, 'bucket shorter than its action', hex(`
    04 0f 0028 00000001  0000 01 00 00000001
    0014 0000 ffffffff ffffffff 00000000  0016 0008 00000001
  `), 'truncated');
  rejects(t, 'bucket with 4 stray bytes after its action', hex(`
    04 0f 002c 00000001  0000 01 00 00000001
    001c 0000 ffffffff ffffffff 00000000  0016 0008 00000001 00000000
  `), 'bad_length');
});

t.test('encoder refuses malformed input', async (t) => {
  const m = { type: 'group_mod', xid: 1, command: 'add', group_type: 'select', group_id: 1, buckets: [] };
  refuses(t, 'buckets not a list', { ...m, buckets: {} }, enc, /buckets must be a list/);
  refuses(t, 'bucket null', { ...m, buckets: [null] }, enc, /must be an object/);
  refuses(t, 'unknown command', { ...m, command: 'create' }, enc, /unknown group_mod command "create"/);
  refuses(t, 'unknown group type', { ...m, group_type: 'fast_failover' }, enc, /unknown group type "fast_failover"/);
  refuses(t, 'weight out of range', { ...m, buckets: [{ weight: 70000, watch_port: 'any', watch_group: 'any', actions: [] }] }, enc, /16 bits/);
});
