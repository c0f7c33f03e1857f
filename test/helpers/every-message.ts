import type { OfpMessage } from '../../src/openflow/message.js';
import { ARP_FRAME } from './samples.js';
import { MULTIPART_MESSAGES } from './every-multipart.js';

/**
 * At least one message of every type, written as data (the form a user or
 * an app gives the encoder). Encoded by our encoder and then checked by
 * decoders we did not write.
 */
export const EVERY_MESSAGE: readonly { name: string; msg: OfpMessage }[] = [
  { name: 'hello', msg: { type: 'hello', xid: 1, version: 4, elements: [{ type: 'versionbitmap', bitmaps: [0x10] }] } },
  { name: 'error bad_match/bad_prereq', msg: { type: 'error', xid: 2, err_type: 'bad_match', code: 'bad_prereq', data: Buffer.from('0414000800000011', 'hex') } },
  { name: 'error hello_failed', msg: { type: 'error', xid: 2, err_type: 'hello_failed', code: 'incompatible', data: Buffer.from('only OpenFlow 1.3') } },
  { name: 'echo_request', msg: { type: 'echo_request', xid: 3, data: Buffer.from('ping') } },
  { name: 'echo_reply', msg: { type: 'echo_reply', xid: 3, data: Buffer.from('ping') } },
  { name: 'experimenter', msg: { type: 'experimenter', xid: 4, experimenter: 0x00002320, exp_type: 16, data: Buffer.from('00000000', 'hex') } },
  { name: 'features_request', msg: { type: 'features_request', xid: 5 } },
  {
    name: 'features_reply',
    msg: { type: 'features_reply', xid: 5, datapath_id: 0x00000000000000a1n, n_buffers: 0, n_tables: 254, auxiliary_id: 0, capabilities: ['flow_stats', 'table_stats', 'port_stats', 'group_stats', 'queue_stats'], reserved: 0 },
  },
  { name: 'get_config_request', msg: { type: 'get_config_request', xid: 6 } },
  { name: 'get_config_reply', msg: { type: 'get_config_reply', xid: 6, flags: 'frag_normal', miss_send_len: 128 } },
  { name: 'set_config', msg: { type: 'set_config', xid: 7, flags: 'frag_normal', miss_send_len: 'no_buffer' } },
  {
    name: 'packet_in',
    msg: { type: 'packet_in', xid: 0, buffer_id: 'no_buffer', total_len: 60, reason: 'no_match', table_id: 0, cookie: 0n, match: [{ field: 'in_port', value: 1 }], data: ARP_FRAME },
  },
  {
    name: 'flow_removed',
    msg: {
      type: 'flow_removed', xid: 0, cookie: 0x5359000000000001n, priority: 10, reason: 'idle_timeout', table_id: 0, duration_sec: 3, duration_nsec: 0,
      idle_timeout: 10, hard_timeout: 0, packet_count: 4n, byte_count: 392n, match: [{ field: 'eth_dst', value: '00:00:00:00:00:02' }],
    },
  },
  {
    name: 'port_status',
    msg: {
      type: 'port_status', xid: 0, reason: 'modify',
      desc: { port_no: 1, hw_addr: '0a:00:00:00:00:01', name: 's1-eth1', config: [], state: ['link_down'], curr: ['10gb_fd', 'copper'], advertised: [], supported: [], peer: [], curr_speed: 10_000_000, max_speed: 0 },
    },
  },
  {
    name: 'packet_out',
    msg: { type: 'packet_out', xid: 8, buffer_id: 'no_buffer', in_port: 'controller', actions: [{ type: 'output', port: 2, max_len: 0 }], data: ARP_FRAME },
  },
  {
    name: 'flow_mod add',
    msg: {
      type: 'flow_mod', xid: 9, cookie: 0x5359000100000001n, cookie_mask: 0n, table_id: 0, command: 'add', idle_timeout: 30, hard_timeout: 0,
      priority: 100, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: ['send_flow_rem', 'check_overlap'],
      match: [
        { field: 'in_port', value: 1 },
        { field: 'eth_type', value: 0x0800 },
        { field: 'ipv4_src', value: '10.0.0.0', mask: '255.255.255.0' },
        { field: 'ip_proto', value: 6 },
        { field: 'tcp_dst', value: 80 },
      ],
      instructions: [
        { type: 'meter', meter_id: 1 },
        { type: 'apply_actions', actions: [{ type: 'set_field', field: { field: 'eth_dst', value: '00:00:00:00:00:09' } }, { type: 'dec_nw_ttl' }, { type: 'output', port: 2, max_len: 0 }] },
        { type: 'write_metadata', metadata: 0x10n, metadata_mask: 0xffn },
        { type: 'goto_table', table_id: 1 },
      ],
    },
  },
  {
    name: 'flow_mod delete',
    msg: {
      type: 'flow_mod', xid: 10, cookie: 0x5359000100000000n, cookie_mask: 0xffff000000000000n, table_id: 'all', command: 'delete', idle_timeout: 0,
      hard_timeout: 0, priority: 0, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: [], match: [], instructions: [],
    },
  },
  {
    name: 'group_mod select',
    msg: {
      type: 'group_mod', xid: 11, command: 'add', group_type: 'select', group_id: 1,
      buckets: [
        { weight: 1, watch_port: 'any', watch_group: 'any', actions: [{ type: 'output', port: 1, max_len: 0 }] },
        { weight: 2, watch_port: 'any', watch_group: 'any', actions: [{ type: 'push_vlan', ethertype: 0x8100 }, { type: 'set_field', field: { field: 'vlan_vid', value: 0x1000 | 10 } }, { type: 'output', port: 2, max_len: 0 }] },
      ],
    },
  },
  {
    name: 'port_mod',
    msg: { type: 'port_mod', xid: 12, port_no: 1, hw_addr: '0a:00:00:00:00:01', config: ['port_down'], mask: ['port_down'], advertise: [] },
  },
  { name: 'table_mod', msg: { type: 'table_mod', xid: 13, table_id: 0, config: 0 } },
  ...MULTIPART_MESSAGES,
  { name: 'barrier_request', msg: { type: 'barrier_request', xid: 14 } },
  { name: 'barrier_reply', msg: { type: 'barrier_reply', xid: 14 } },
  { name: 'queue_get_config_request', msg: { type: 'queue_get_config_request', xid: 15, port: 1 } },
  {
    name: 'queue_get_config_reply',
    msg: { type: 'queue_get_config_reply', xid: 15, port: 1, queues: [{ queue_id: 1, port: 1, properties: [{ type: 'min_rate', rate: 100 }, { type: 'max_rate', rate: 500 }] }] },
  },
  { name: 'role_request', msg: { type: 'role_request', xid: 16, role: 'master', generation_id: 1n } },
  { name: 'role_reply', msg: { type: 'role_reply', xid: 16, role: 'master', generation_id: 1n } },
  { name: 'get_async_request', msg: { type: 'get_async_request', xid: 17 } },
  {
    name: 'get_async_reply',
    msg: { type: 'get_async_reply', xid: 17, packet_in_mask: [['no_match', 'action'], []], port_status_mask: [['add', 'delete', 'modify'], ['add', 'delete', 'modify']], flow_removed_mask: [['idle_timeout', 'hard_timeout', 'delete', 'group_delete'], []] },
  },
  {
    name: 'set_async',
    msg: { type: 'set_async', xid: 18, packet_in_mask: [['no_match'], []], port_status_mask: [['add', 'delete', 'modify'], []], flow_removed_mask: [['delete'], []] },
  },
  {
    name: 'meter_mod',
    msg: { type: 'meter_mod', xid: 19, command: 'add', flags: ['kbps', 'burst', 'stats'], meter_id: 1, bands: [{ type: 'drop', rate: 1000, burst_size: 100 }, { type: 'dscp_remark', rate: 500, burst_size: 50, prec_level: 1 }] },
  },
];
