import t from 'tap';
import { encodeMultipartReply } from '../../src/openflow/messages/multipart.js';
import { check, hex } from '../helpers/multipart-harness.js';

// Multipart reply bodies written by hand from the OF 1.3.5 layouts (§7.3.5);
// each line's comment names the fields. Header: version 04, type 13,
// length, xid; then ofp_multipart_reply: type(2) flags(2) pad(4).
// Table features are in multipart-table-features.test.ts.

const rep = encodeMultipartReply;

/** A NUL-padded fixed-size string field, as hex. */
function str(s: string, n: number): string {
  return Buffer.from(s, 'latin1').toString('hex') + '00'.repeat(n - s.length);
}

t.test('replies', async (t) => {
  check(t, 'desc', hex(`
    04 13 0430 00000001  0000 0000 00000000
    ${str('Nicira, Inc.', 256)} ${str('Open vSwitch', 256)} ${str('3.1.0', 256)}
    ${str('None', 32)} ${str('s1', 256)}
  `), {
    type: 'multipart_reply', xid: 1, flags: [],
    body: { type: 'desc', mfr_desc: 'Nicira, Inc.', hw_desc: 'Open vSwitch', sw_desc: '3.1.0', serial_num: 'None', dp_desc: 's1' },
  }, rep);

  check(t, 'flow: two entries, reply_more', hex(`
    04 13 00a8 00000002  0001 0001 00000000
    0058 00 00                          # length 88, table 0, pad
    0000000a 00000014                   # duration 10 s 20 ns
    8000 001e 0000 0001 00000000        # priority, idle 30, hard 0, flags send_flow_rem, pad
    0000000000000001 0000000000000005 0000000000000190   # cookie, packets, bytes
    0001 000c 80000004 00000001 00000000                 # match in_port=1, padded to 16
    0004 0018 00000000 0000 0010 00000002 ffe5 000000000000   # apply_actions: output 2
    0040 01 00 00000001 00000002 0000 0000 0000 0018 00000000   # length 64, table 1, flags no_pkt|no_byt
    0000000000000000 0000000000000000 0000000000000000
    0001 0004 00000000                  # empty match
    0001 0008 02 000000                 # goto_table 2
  `), {
    type: 'multipart_reply', xid: 2, flags: ['reply_more'],
    body: {
      type: 'flow',
      flows: [
        {
          table_id: 0, duration_sec: 10, duration_nsec: 20, priority: 0x8000, idle_timeout: 30, hard_timeout: 0,
          flags: ['send_flow_rem'], cookie: 1n, packet_count: 5n, byte_count: 400n,
          match: [{ field: 'in_port', value: 1 }],
          instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, max_len: 0xffe5 }] }],
        },
        {
          table_id: 1, duration_sec: 1, duration_nsec: 2, priority: 0, idle_timeout: 0, hard_timeout: 0,
          flags: ['no_pkt_counts', 'no_byt_counts'], cookie: 0n, packet_count: 0n, byte_count: 0n,
          match: [], instructions: [{ type: 'goto_table', table_id: 2 }],
        },
      ],
    },
  }, rep);

  check(t, 'flow: empty', hex('04 13 0010 00000003  0001 0000 00000000'), {
    type: 'multipart_reply', xid: 3, flags: [], body: { type: 'flow', flows: [] },
  }, rep);

  check(t, 'aggregate', hex(`
    04 13 0028 00000004  0002 0000 00000000
    0000000000000064 0000000000001770 00000003 00000000
  `), {
    type: 'multipart_reply', xid: 4, flags: [],
    body: { type: 'aggregate', packet_count: 100n, byte_count: 6000n, flow_count: 3 },
  }, rep);

  check(t, 'table', hex(`
    04 13 0040 00000005  0003 0000 00000000
    00 000000 00000005 000000000000000a 0000000000000008
    01 000000 00000000 0000000000000000 0000000000000000
  `), {
    type: 'multipart_reply', xid: 5, flags: [],
    body: {
      type: 'table',
      tables: [
        { table_id: 0, active_count: 5, lookup_count: 10n, matched_count: 8n },
        { table_id: 1, active_count: 0, lookup_count: 0n, matched_count: 0n },
      ],
    },
  }, rep);

  const ones = 0xffffffffffffffffn;
  check(t, 'port_stats', hex(`
    04 13 00f0 00000006  0004 0000 00000000
    00000001 00000000
    0000000000000001 0000000000000002 0000000000000003 0000000000000004
    0000000000000005 0000000000000006 0000000000000007 0000000000000008
    0000000000000009 000000000000000a 000000000000000b 000000000000000c
    00000064 000001f4                  # duration 100 s 500 ns
    fffffffe 00000000
    ${'ffffffffffffffff'.repeat(12)}   # every counter unsupported
    00000000 00000000
  `), {
    type: 'multipart_reply', xid: 6, flags: [],
    body: {
      type: 'port_stats',
      stats: [
        {
          port_no: 1, rx_packets: 1n, tx_packets: 2n, rx_bytes: 3n, tx_bytes: 4n, rx_dropped: 5n, tx_dropped: 6n,
          rx_errors: 7n, tx_errors: 8n, rx_frame_err: 9n, rx_over_err: 10n, rx_crc_err: 11n, collisions: 12n,
          duration_sec: 100, duration_nsec: 500,
        },
        {
          port_no: 'local', rx_packets: ones, tx_packets: ones, rx_bytes: ones, tx_bytes: ones, rx_dropped: ones,
          tx_dropped: ones, rx_errors: ones, tx_errors: ones, rx_frame_err: ones, rx_over_err: ones, rx_crc_err: ones,
          collisions: ones, duration_sec: 0, duration_nsec: 0,
        },
      ],
    },
  }, rep);

  check(t, 'queue', hex(`
    04 13 0038 00000007  0005 0000 00000000
    00000001 00000000 00000000000003e8 000000000000000a 0000000000000000 00000005 00000006
  `), {
    type: 'multipart_reply', xid: 7, flags: [],
    body: {
      type: 'queue',
      stats: [{ port_no: 1, queue_id: 0, tx_bytes: 1000n, tx_packets: 10n, tx_errors: 0n, duration_sec: 5, duration_nsec: 6 }],
    },
  }, rep);

  check(t, 'group', hex(`
    04 13 0058 00000008  0006 0000 00000000
    0048 0000 00000001 00000002 00000000   # length 72, pad, group 1, ref_count 2, pad
    000000000000000a 00000000000003e8 00000003 00000004
    0000000000000005 00000000000001f4      # bucket 0
    0000000000000005 00000000000001f4      # bucket 1
  `), {
    type: 'multipart_reply', xid: 8, flags: [],
    body: {
      type: 'group',
      stats: [{
        group_id: 1, ref_count: 2, packet_count: 10n, byte_count: 1000n, duration_sec: 3, duration_nsec: 4,
        bucket_stats: [{ packet_count: 5n, byte_count: 500n }, { packet_count: 5n, byte_count: 500n }],
      }],
    },
  }, rep);

  check(t, 'group_desc', hex(`
    04 13 0078 00000009  0007 0000 00000000
    0048 01 00 00000001                                                # length 72, select, group 1
    0020 0032 ffffffff ffffffff 00000000 0000 0010 00000001 ffe5 000000000000
    0020 0032 ffffffff ffffffff 00000000 0000 0010 00000002 ffe5 000000000000
    0020 03 00 00000002                                                # length 32, ff, group 2
    0018 0000 00000003 ffffffff 00000000 0016 0008 00000001            # watch port 3; group 1
  `), {
    type: 'multipart_reply', xid: 9, flags: [],
    body: {
      type: 'group_desc',
      groups: [
        {
          group_type: 'select', group_id: 1,
          buckets: [
            { weight: 50, watch_port: 'any', watch_group: 'any', actions: [{ type: 'output', port: 1, max_len: 0xffe5 }] },
            { weight: 50, watch_port: 'any', watch_group: 'any', actions: [{ type: 'output', port: 2, max_len: 0xffe5 }] },
          ],
        },
        {
          group_type: 'ff', group_id: 2,
          buckets: [{ weight: 0, watch_port: 3, watch_group: 'any', actions: [{ type: 'group', group_id: 1 }] }],
        },
      ],
    },
  }, rep);

  check(t, 'group_features', hex(`
    04 13 0038 0000000a  0008 0000 00000000
    0000000f 00000007                              # types, capabilities
    00000004 00000005 00000006 00000007            # max_groups
    02020001 00000001 00000020 00400001            # actions per group type
  `), {
    type: 'multipart_reply', xid: 10, flags: [],
    body: {
      type: 'group_features', types: ['all', 'select', 'indirect', 'ff'],
      capabilities: ['select_weight', 'select_liveness', 'chaining'], max_groups: [4, 5, 6, 7],
      actions: [['output', 'push_vlan', 'set_field'], ['output'], ['0x20'], ['output', 'group']],
    },
  }, rep);

  check(t, 'meter', hex(`
    04 13 0048 0000000b  0009 0000 00000000
    00000001 0038 000000000000 00000002              # meter 1, len 56, pad, flow_count 2
    0000000000000064 0000000000001900 00000007 00000008
    0000000000000003 00000000000000c0                # band 0
  `), {
    type: 'multipart_reply', xid: 11, flags: [],
    body: {
      type: 'meter',
      stats: [{
        meter_id: 1, flow_count: 2, packet_in_count: 100n, byte_in_count: 6400n, duration_sec: 7, duration_nsec: 8,
        band_stats: [{ packet_band_count: 3n, byte_band_count: 192n }],
      }],
    },
  }, rep);

  check(t, 'meter_config', hex(`
    04 13 0038 0000000c  000a 0000 00000000
    0028 000d 00000001                               # length 40, kbps|burst|stats, meter 1
    0001 0010 000003e8 00000064 00000000             # drop 1000/100
    0002 0010 000007d0 000000c8 01 000000            # dscp_remark 2000/200, prec 1
  `), {
    type: 'multipart_reply', xid: 12, flags: [],
    body: {
      type: 'meter_config',
      configs: [{
        flags: ['kbps', 'burst', 'stats'], meter_id: 1,
        bands: [
          { type: 'drop', rate: 1000, burst_size: 100 },
          { type: 'dscp_remark', rate: 2000, burst_size: 200, prec_level: 1 },
        ],
      }],
    },
  }, rep);

  check(t, 'meter_features', hex(`
    04 13 0020 0000000d  000b 0000 00000000
    00000100 00000006 0000000f 02 08 0000
  `), {
    type: 'multipart_reply', xid: 13, flags: [],
    body: {
      type: 'meter_features', max_meter: 256, band_types: ['drop', 'dscp_remark'],
      capabilities: ['kbps', 'pktps', 'burst', 'stats'], max_bands: 2, max_color: 8,
    },
  }, rep);

  check(t, 'port_desc', hex(`
    04 13 0090 0000000e  000d 0000 00000000
    00000001 00000000 000000000001 0000 ${str('s1-eth1', 16)}
    00000000 00000004 00000840 00000000 00000000 00000000 00989680 00000000
    fffffffe 00000000 aabbccddeeff 0000 ${str('s1', 16)}
    00000001 00000001 00000000 00000000 00000000 00000000 00000000 00000000
  `), {
    type: 'multipart_reply', xid: 14, flags: [],
    body: {
      type: 'port_desc',
      ports: [
        {
          port_no: 1, hw_addr: '00:00:00:00:00:01', name: 's1-eth1', config: [], state: ['live'],
          curr: ['10gb_fd', 'copper'], advertised: [], supported: [], peer: [], curr_speed: 10_000_000, max_speed: 0,
        },
        {
          port_no: 'local', hw_addr: 'aa:bb:cc:dd:ee:ff', name: 's1', config: ['port_down'], state: ['link_down'],
          curr: [], advertised: [], supported: [], peer: [], curr_speed: 0, max_speed: 0,
        },
      ],
    },
  }, rep);

  check(t, 'experimenter', hex('04 13 001d 0000000f  ffff 0000 00000000  00002320 00000002 0102030405'), {
    type: 'multipart_reply', xid: 15, flags: [],
    body: { type: 'experimenter', experimenter: 0x2320, exp_type: 2, data: hex('0102030405') },
  }, rep);

  check(t, 'unknown multipart type kept as bytes', hex('04 13 0012 00000010  0020 0000 00000000  aabb'), {
    type: 'multipart_reply', xid: 16, flags: [], body: { type: 'unknown', code: 0x20, data: hex('aabb') },
  }, rep);
});
