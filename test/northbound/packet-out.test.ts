import t from 'tap';
import { startApi } from '../helpers/api.js';
import type { PacketOut } from '../../src/openflow/messages/packet-out.js';
import type { OfpMessage } from '../../src/openflow/message.js';

const FRAME = 'ffffffffffff' + '020000000001' + '0806' + '00'.repeat(46);
/** The PACKET_OUTs the API sent (not the controller's own LLDP probes). */
const packetOuts = (received: readonly OfpMessage[]): PacketOut[] =>
  received.filter((m): m is PacketOut => m.type === 'packet_out' && m.data.readUInt16BE(12) !== 0x88cc);

t.test('data as hex: PACKET_OUT with no_buffer, the actions and the bytes, then a barrier', async (t) => {
  const api = await startApi(t);
  const sw = await api.addSwitch({ dpid: 1n, ports: 3 });
  const r = await api.json('POST', '/api/v1/switches/1/packet-out', { actions: [{ type: 'output', port: 2 }], data: FRAME });
  t.equal(r.status, 200);
  t.same(r.body, { dpid: '0000000000000001', in_port: 'controller', actions: [{ type: 'output', port: 2, max_len: 'no_buffer' }], bytes: 60 });
  const po = packetOuts(sw.received);
  t.equal(po.length, 1);
  t.match(po[0], { buffer_id: 'no_buffer', in_port: 'controller', actions: [{ type: 'output', port: 2, max_len: 'no_buffer' }] });
  t.equal(po[0]!.data.toString('hex'), FRAME);
  const i = sw.received.indexOf(po[0]!);
  t.equal(sw.received[i + 1]?.type, 'barrier_request', 'confirmed by a barrier');

  const spaced = await api.json('POST', '/api/v1/switches/0x1/packet-out', { in_port: 3, actions: [{ type: 'output', port: 'in_port' }, { type: 'output', port: 'flood' }], data: FRAME.match(/../g)!.join(':') });
  t.equal(spaced.status, 200, 'colon-separated hex, reserved ports, an in_port');
  t.match(packetOuts(sw.received)[1], { in_port: 3, actions: [{ port: 'in_port' }, { port: 'flood' }] });
});

t.test('a packet description is built into a frame', async (t) => {
  const api = await startApi(t);
  const sw = await api.addSwitch({ dpid: 1n });
  const r = await api.json('POST', '/api/v1/switches/1/packet-out', {
    actions: [{ type: 'output', port: 1 }],
    packet: { eth_dst: '02:00:00:00:00:0B', eth_src: '02:00:00:00:00:0a', eth_type: '0x0800', vlan_vid: 10, payload: '4500 0014' },
  });
  t.equal(r.status, 200);
  t.equal(r.body.bytes, 60, 'padded to the minimum frame');
  const data = packetOuts(sw.received)[0]!.data;
  t.equal(data.subarray(0, 12).toString('hex'), '02000000000b02000000000a');
  t.equal(data.readUInt16BE(12), 0x8100, 'tagged');
  t.equal(data.readUInt16BE(14) & 0x0fff, 10, 'vid 10');
  t.equal(data.readUInt16BE(16), 0x0800);
  t.equal(data.subarray(18, 22).toString('hex'), '45000014');
  const plain = await api.json('POST', '/api/v1/switches/1/packet-out', { actions: [{ type: 'output', port: 1 }], packet: { eth_dst: '02:00:00:00:00:0b', eth_src: '02:00:00:00:00:0a', eth_type: 2054 } });
  t.equal(plain.status, 200);
  t.equal(packetOuts(sw.received)[1]!.data.readUInt16BE(12), 0x0806, 'numeric eth_type, untagged');
});

t.test('bad bodies are 400 naming the problem, and nothing is sent', async (t) => {
  const api = await startApi(t);
  const sw = await api.addSwitch({ dpid: 1n });
  const out = [{ type: 'output', port: 1 }];
  const pkt = { eth_dst: '02:00:00:00:00:0b', eth_src: '02:00:00:00:00:0a', eth_type: 2048 };
  const cases: [unknown, RegExp][] = [
    [{ actions: out, data: FRAME + 'a' }, /odd number of hex digits/],
    [{ actions: out, data: FRAME.replace('0806', '08zz') }, /"z" \(character 27\) is not a hex digit/],
    [{ actions: out }, /exactly one of "data".*or "packet"/],
    [{ actions: out, data: FRAME, packet: pkt }, /exactly one of/],
    [{ data: FRAME }, /missing "actions"/],
    [{ actions: [], data: FRAME }, /actions must NOT have fewer than 1 items/],
    [{ actions: [{ type: 'output', port: 'nowhere' }], data: FRAME }, /actions\[0\]\.port/],
    [{ actions: [{ type: 'output', prot: 1 }], data: FRAME }, /unknown key "prot"/],
    [{ actions: [{ type: 'teleport' }], data: FRAME }, /actions\[0\]\.type must be one of/],
    [{ actions: out, data: 'ffff' }, /2 bytes: a frame needs at least the 14-byte Ethernet header/],
    [{ actions: out, packet: { ...pkt, eth_type: 0x8100 } }, /packet: .*VLAN/],
    [{ actions: out, packet: { ...pkt, eth_src: 'nope' } }, /eth_src must match pattern/],
    [{ actions: out, packet: { ...pkt, payload: 'xyz' } }, /packet\.payload must be hex bytes/],
    [{ actions: out, data: FRAME, buffer_id: 5 }, /unknown field "buffer_id"/],
    [{ actions: out, data: FRAME, in_port: 0 }, /in_port must be a port number \(1\.\.4294967040\) or "controller", got 0/],
    [{ actions: out, data: FRAME, in_port: 'local' }, /in_port must be a port number/],
  ];
  for (const [body, msg] of cases) {
    const r = await api.json('POST', '/api/v1/switches/1/packet-out', body);
    t.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
    t.match(r.body.message, msg, JSON.stringify(body).slice(0, 80));
  }
  t.same(packetOuts(sw.received), [], 'no PACKET_OUT went out');
  const r = await api.json('POST', '/api/v1/switches/2/packet-out', { actions: out, data: FRAME });
  t.equal(r.status, 404);
  t.equal(r.body.error, 'switch_not_found');
});

t.test('a switch that refuses the PACKET_OUT: 400 naming the OpenFlow error', async (t) => {
  const api = await startApi(t);
  await api.addSwitch({
    dpid: 1n,
    reply: (m) => (m.type === 'packet_out' && m.data.readUInt16BE(12) !== 0x88cc ? [{ type: 'error', xid: m.xid, err_type: 'bad_action', code: 'bad_out_port', data: Buffer.alloc(0) }] : undefined),
  });
  const r = await api.json('POST', '/api/v1/switches/1/packet-out', { actions: [{ type: 'output', port: 77 }], data: FRAME });
  t.equal(r.status, 400);
  t.equal(r.body.error, 'openflow_error');
  t.match(r.body.details, { type: 'bad_action', code: 'bad_out_port' });
});
