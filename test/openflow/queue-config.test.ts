import t from 'tap';
import { encodeQueueGetConfigReply, encodeQueueGetConfigRequest } from '../../src/openflow/messages/queue-config.js';
import { check, hex, refuses, rejects } from '../helpers/multipart-harness.js';

// OFPT_QUEUE_GET_CONFIG_REQUEST (0x16) / _REPLY (0x17), OF 1.3.5 §7.3.6 and
// ofp_packet_queue / ofp_queue_prop_* (§7.2.2), written by hand.

check(t, 'request for one port', hex('04 16 0010 00000001  00000001 00000000'), {
  type: 'queue_get_config_request', xid: 1, port: 1,
}, encodeQueueGetConfigRequest);

check(t, 'request for every port', hex('04 16 0010 00000002  ffffffff 00000000'), {
  type: 'queue_get_config_request', xid: 2, port: 'any',
}, encodeQueueGetConfigRequest);

check(t, 'reply with every property type', hex(`
  04 17 0074 00000003
  ffffffff 00000000                                   # port any, pad
  00000001 00000001 0030 000000000000                 # queue 1 on port 1, len 48
  0001 0010 00000000 0064 000000000000                # min_rate 10.0%
  0002 0010 00000000 01f4 000000000000                # max_rate 50.0%
  00000002 00000002 0034 000000000000                 # queue 2 on port 2, len 52
  ffff 0014 00000000 00002320 00000000 deadbeef       # experimenter 0x2320 + 4 data bytes
  0005 0010 00000000 0102030405060708                 # undefined property 5
`), {
  type: 'queue_get_config_reply', xid: 3, port: 'any',
  queues: [
    { queue_id: 1, port: 1, properties: [{ type: 'min_rate', rate: 100 }, { type: 'max_rate', rate: 500 }] },
    {
      queue_id: 2, port: 2,
      properties: [
        { type: 'experimenter', experimenter: 0x2320, data: hex('deadbeef') },
        { type: 'unknown', code: 5, data: hex('0102030405060708') },
      ],
    },
  ],
}, encodeQueueGetConfigReply);

check(t, 'reply with no queues, and a queue with no properties', hex(`
  04 17 0020 00000004  00000003 00000000
  00000007 00000003 0010 000000000000
`), {
  type: 'queue_get_config_reply', xid: 4, port: 3, queues: [{ queue_id: 7, port: 3, properties: [] }],
}, encodeQueueGetConfigReply);

t.test('declared lengths are enforced', async (t) => {
  rejects(t, 'queue len 8', hex('04 17 0020 00000001  00000001 00000000  00000001 00000001 0008 000000000000'), 'bad_length');
  rejects(t, 'queue past the message', hex('04 17 0020 00000001  00000001 00000000  00000001 00000001 0020 000000000000'), 'truncated');
  rejects(t, 'min_rate len 8', hex(`
    04 17 0028 00000001  00000001 00000000
    00000001 00000001 0018 000000000000  0001 0008 00000000
  `), 'bad_length');
  rejects(t, 'property past its queue', hex(`
    04 17 0030 00000001  00000001 00000000
    00000001 00000001 0018 000000000000  0001 0010 00000000 0064 000000000000
  `), 'truncated');
  rejects(t, 'request with trailing bytes', hex('04 16 0014 00000001  00000001 00000000 00000000'), 'bad_length');
});

t.test('encoders refuse malformed input', async (t) => {
  const m = { type: 'queue_get_config_reply', xid: 1, port: 1, queues: [] };
  const enc = encodeQueueGetConfigReply;
  refuses(t, 'queues not a list', { ...m, queues: 1 }, enc, /queues must be a list/);
  refuses(t, 'unknown property', { ...m, queues: [{ queue_id: 1, port: 1, properties: [{ type: 'min', rate: 1 }] }] }, enc, /unknown queue property "min"/);
  refuses(t, 'rate too big', { ...m, queues: [{ queue_id: 1, port: 1, properties: [{ type: 'max_rate', rate: 65536 }] }] }, enc, /16 bits/);
  refuses(t, 'unknown port name', { type: 'queue_get_config_request', xid: 1, port: 'every' }, encodeQueueGetConfigRequest, /unknown port "every"/);
});
