import { hex } from './hex.js';

// Hand-built frames: the bytes are written from the spec's layouts, not by
// our writer, so they can catch an encoder bug.

/** 60-byte ARP request 00:..:01 (10.0.0.1) asking for 10.0.0.2, zero-padded to Ethernet minimum. */
export const ARP_FRAME = hex(`
  ffffffffffff 000000000001 0806
  0001 0800 06 04 0001 000000000001 0a000001 000000000000 0a000002
  000000000000000000000000000000000000
`);

export const PACKET_IN_ARP = hex(`
  04 0a 0066 00000010          # header: packet_in, length 102, xid 16
  ffffffff 003c 00 00          # buffer_id no_buffer, total_len 60, reason no_match, table 0
  0000000000000000             # cookie
  0001 000c 80000004 00000001 00000000   # match: in_port=1, padded to 16
  0000                         # pad
  ${ARP_FRAME.toString('hex')}
`);

export const FLOW_MOD_L2 = hex(`
  04 0e 0068 00000003          # header: flow_mod, length 104, xid 3
  0000000000000000 0000000000000000   # cookie, cookie_mask
  00 00 0000 0000 8000         # table 0, add, idle 0, hard 0, priority 0x8000
  ffffffff ffffffff ffffffff   # buffer_id, out_port, out_group
  0001 0000                    # flags send_flow_rem, pad
  0001 0020                    # match OXM, length 32 (no pad needed)
  80000004 00000001            # in_port=1
  80000606 000000000002        # eth_dst
  80000806 000000000001        # eth_src
  0004 0018 00000000           # apply_actions, len 24
  0000 0010 00000002 ffe5 000000000000   # output port 2, max_len 65509
`);

export const HELLO_13 = hex('04 00 0010 00000001 0001 0008 00000010');

export const FEATURES_REPLY = hex(`
  04 06 0020 00000002
  0000000000000001 00000100 fe 00 0000 0000004f 00000000
`);

export const PORT_STATUS_ADD = hex(`
  04 0c 0050 00000000
  00 00000000000000            # reason add, pad 7
  00000003 00000000 aabbccddeeff 0000   # port_no 3, pad, hw_addr, pad
  73312d65746833000000000000000000      # "s1-eth3"
  00000001 00000004            # config port_down, state live
  00002840 00000000 00000000 00000000   # curr 10gb_fd|copper|autoneg, advertised, supported, peer
  00989680 00000000            # curr_speed 10,000,000 kbps, max_speed
`);

export const PACKET_OUT_ARP = hex(`
  04 0d 0064 00000005
  ffffffff fffffffd 0010 000000000000   # no_buffer, in_port controller, actions_len 16, pad
  0000 0010 fffffffb ffff 000000000000  # output flood, max_len no_buffer
  ${ARP_FRAME.toString('hex')}
`);

export const FLOW_REMOVED = hex(`
  04 0b 0040 00000000
  000000000000abcd 0064 00 01   # cookie, priority 100, reason idle_timeout, table 1
  0000000a 00000005 001e 0000   # duration 10 s 5 ns, idle 30, hard 0
  0000000000000007 00000000000002a0   # packets 7, bytes 672
  0001 000a 80000a02 0800 000000000000   # match eth_type=0x0800, padded to 16
`);

export const ROLE_REQUEST = hex('04 18 0018 00000009 00000002 00000000 0000000000000007');

export const SET_ASYNC = hex(`
  04 1c 0020 0000000a
  00000003 00000000   # packet_in: no_match|action for master, none for slave
  00000007 00000007   # port_status: all
  0000000f 00000000   # flow_removed
`);

export const PORT_MOD = hex(`
  04 10 0028 0000000b
  00000001 00000000 000000000001 0000
  00000001 00000001 00000000 00000000   # config port_down, mask port_down, advertise 0, pad
`);

export const TABLE_MOD = hex('04 11 0010 0000000c 01 000000 00000000');
export const SET_CONFIG = hex('04 09 000c 0000000d 0000 ffff');
export const ECHO_REQUEST = hex('04 02 000c 0000000e 61626364');
export const EXPERIMENTER = hex('04 04 0018 0000000f 00002320 00000014 0102030405060708');
export const BARRIER_REQUEST = hex('04 14 0008 00000011');
