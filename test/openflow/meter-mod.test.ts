import t from 'tap';
import { encodeMeterMod } from '../../src/openflow/messages/meter-mod.js';
import { check, hex, refuses, rejects } from '../helpers/multipart-harness.js';

// OFPT_METER_MOD (type 0x1d), OF 1.3.5 §7.3.4.4, written by hand:
// command(2) flags(2) meter_id(4), then bands: type(2) len(2) rate(4)
// burst_size(4) and a type-specific tail.

const enc = encodeMeterMod;

// A band of undefined type and an undefined command are rejected as a switch
// would (OFPMMFC_BAD_BAND / BAD_COMMAND): see strictness.test.ts. Unknown
// bands still round-trip in meter_config replies (multipart-replies.test.ts).
check(t, 'add with every band type', hex(`
  04 1d 0044 00000001
  0000 000d 00000001                         # add, kbps|burst|stats, meter 1
  0001 0010 000003e8 00000064 00000000       # drop 1000/100
  0002 0010 000007d0 000000c8 02 000000      # dscp_remark 2000/200, prec_level 2
  ffff 0014 00000bb8 00000000 00002320 01020304   # experimenter 0x2320 with 4 data bytes
`), {
  type: 'meter_mod', xid: 1, command: 'add', flags: ['kbps', 'burst', 'stats'], meter_id: 1,
  bands: [
    { type: 'drop', rate: 1000, burst_size: 100 },
    { type: 'dscp_remark', rate: 2000, burst_size: 200, prec_level: 2 },
    { type: 'experimenter', rate: 3000, burst_size: 0, experimenter: 0x2320, data: hex('01020304') },
  ],
}, enc);

check(t, 'modify in packets per second, experimenter band without data', hex(`
  04 1d 0020 00000002
  0001 0002 00000007                         # modify, pktps, meter 7
  ffff 0010 00000064 0000000a 00002320       # experimenter 100/10
`), {
  type: 'meter_mod', xid: 2, command: 'modify', flags: ['pktps'], meter_id: 7,
  bands: [{ type: 'experimenter', rate: 100, burst_size: 10, experimenter: 0x2320, data: hex('') }],
}, enc);

check(t, 'delete all meters', hex('04 1d 0010 00000003  0002 0000 ffffffff'), {
  type: 'meter_mod', xid: 3, command: 'delete', flags: [], meter_id: 'all', bands: [],
}, enc);

check(t, 'virtual meter, undefined flag bit', hex('04 1d 0010 00000004  0000 0010 fffffffe'), {
  type: 'meter_mod', xid: 4, command: 'add', flags: ['0x10'], meter_id: 'controller', bands: [],
}, enc);

t.test('declared lengths are enforced', async (t) => {
  rejects(t, 'drop band len 12', hex('04 1d 001c 00000001  0000 0001 00000001  0001 000c 000003e8 00000064'), 'bad_length');
  rejects(t, 'band len 0', hex('04 1d 0020 00000001  0000 0001 00000001  0001 0000 000003e8 00000064 00000000'), 'bad_length');
  rejects(t, 'unknown band shorter than the common header', hex('04 1d 0018 00000001  0000 0001 00000001  0005 0008 00000001'), 'bad_length');
  rejects(t, 'drop band with trailing bytes', hex(`
    04 1d 0024 00000001  0000 0001 00000001
    0001 0014 000003e8 00000064 00000000 00000000
  `), 'bad_length');
  rejects(t, 'band past the message', hex('04 1d 0020 00000001  0000 0001 00000001  0002 0018 000003e8 00000064 01000000'), 'truncated');
});

t.test('encoder refuses malformed input', async (t) => {
  const m = { type: 'meter_mod', xid: 1, command: 'add', flags: ['kbps'], meter_id: 1, bands: [] };
  refuses(t, 'bands not a list', { ...m, bands: 'drop' }, enc, /bands must be a list/);
  refuses(t, 'unknown band type', { ...m, bands: [{ type: 'remark', rate: 1, burst_size: 1 }] }, enc, /meter band type "remark" is not defined.*meter_mod_failed\/bad_band/);
  refuses(t, 'unknown flag', { ...m, flags: ['bps'] }, enc, /unknown meter flags flag "bps"/);
  refuses(t, 'unknown meter id name', { ...m, meter_id: 'any' }, enc, /unknown meter id "any"/);
  refuses(t, 'prec_level too big', { ...m, bands: [{ type: 'dscp_remark', rate: 1, burst_size: 1, prec_level: 256 }] }, enc, /8 bits/);
  refuses(t, 'experimenter data not bytes', { ...m, bands: [{ type: 'experimenter', rate: 1, burst_size: 1, experimenter: 1, data: 'xyz' }] }, enc, /hex string/);
});
