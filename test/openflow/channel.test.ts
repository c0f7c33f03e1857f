import t, { type Test } from 'tap';
import { once } from 'node:events';
import { OpenFlowServer } from '../../src/openflow/channel/server.js';
import type { SwitchConnection, SwitchInfo } from '../../src/openflow/channel/connection.js';
import { OfpErrorReply, RequestTimeoutError } from '../../src/openflow/channel/errors.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import { FakeSwitch } from '../helpers/fake-switch.js';
import { encodeMessage } from '../../src/openflow/codec.js';
import { memoryLog } from '../helpers/quiet-log.js';

async function server(t: Test, extra: Partial<ConstructorParameters<typeof OpenFlowServer>[0]> = {}): Promise<{ srv: OpenFlowServer; port: number; log: ReturnType<typeof memoryLog> }> {
  const log = memoryLog();
  const srv = new OpenFlowServer({ port: 0, host: '127.0.0.1', log, ...extra });
  const { port } = await srv.listen();
  t.teardown(() => srv.close());
  return { srv, port, log };
}

async function connect(t: Test, port: number, opts: ConstructorParameters<typeof FakeSwitch>[0]): Promise<FakeSwitch> {
  const sw = new FakeSwitch(opts);
  await sw.connect(port);
  t.teardown(() => sw.close());
  return sw;
}

t.test('handshake: features, port_desc, desc, set_config, then up', async (t) => {
  const { srv, port } = await server(t);
  const up = once(srv, 'switch-up');
  const sw = await connect(t, port, { dpid: 0xabn, ports: 3 });
  const [conn, info] = (await up) as [SwitchConnection, SwitchInfo];
  t.equal(info.id, '00000000000000ab');
  t.equal(info.ports.length, 3);
  t.equal(info.desc.hw_desc, 'fake switch');
  t.equal(conn.state, 'up');
  const setConfig = sw.received.find((m) => m.type === 'set_config');
  t.same(setConfig && { flags: setConfig.flags, miss: setConfig.miss_send_len }, { flags: 'frag_normal', miss: 'no_buffer' });
  t.equal(srv.get(0xabn), conn);
});

t.test('a switch without OpenFlow 1.3 gets HELLO_FAILED/INCOMPATIBLE and is closed', async (t) => {
  const { port, log } = await server(t);
  const sw = new FakeSwitch({ dpid: 1n, helloBitmap: 0x02 });
  const closed = once(sw, 'close');
  await sw.connect(port);
  const err = await sw.waitFor((m) => m.type === 'error');
  t.match(err, { err_type: 'hello_failed', code: 'incompatible' });
  await closed;
  t.equal(log.lines.filter((l) => /does not speak OpenFlow 1.3/.test(l.msg)).length, 1, 'one clear log line');
});

t.test('echo keepalive: a silent switch is closed and reported down; a live one stays', async (t) => {
  const { srv, port } = await server(t, { echoIntervalMs: 100, deadAfterMs: 400 });
  const up = once(srv, 'switch-up');
  const live = await connect(t, port, { dpid: 1n });
  await up;
  const up2 = once(srv, 'switch-up');
  const dead = await connect(t, port, { dpid: 2n, answerEcho: false });
  await up2;
  const [conn, reason] = (await once(srv, 'switch-down')) as [SwitchConnection, string];
  t.equal(conn.dpid, 2n, 'the silent switch went down');
  t.match(reason, /no message from the switch/);
  const echoes = live.received.filter((m) => m.type === 'echo_request').length;
  t.ok(echoes >= 1, `the live switch was probed (${echoes} echo requests)`);
  t.equal(srv.get(1n)?.state, 'up', 'the live switch is still up');
  t.ok(dead.received.some((m) => m.type === 'echo_request'), 'the silent switch was probed first');
});

t.test('request/reply by xid: errors come back decoded, multipart is reassembled, timeouts reject', async (t) => {
  const { srv, port } = await server(t);
  const up = once(srv, 'switch-up');
  await connect(t, port, {
    dpid: 7n,
    reply: (m: OfpMessage) => {
      if (m.type === 'flow_mod') return [{ type: 'error', xid: m.xid, err_type: 'bad_match', code: 'bad_prereq', data: Buffer.alloc(0) }];
      if (m.type === 'multipart_request' && m.body.type === 'flow') {
        const flow = { table_id: 0, duration_sec: 1, duration_nsec: 0, priority: 1, idle_timeout: 0, hard_timeout: 0, flags: [], cookie: 0n, packet_count: 0n, byte_count: 0n, match: [], instructions: [] };
        return [
          { type: 'multipart_reply', xid: m.xid, flags: ['reply_more'], body: { type: 'flow', flows: [flow, flow] } },
          { type: 'multipart_reply', xid: m.xid, flags: [], body: { type: 'flow', flows: [flow] } },
        ];
      }
      if (m.type === 'get_config_request') return [];
      return undefined;
    },
  });
  const [conn] = (await up) as [SwitchConnection];
  const err = await conn.request({ type: 'flow_mod', xid: 0, cookie: 0n, cookie_mask: 0n, table_id: 0, command: 'add', idle_timeout: 0, hard_timeout: 0, priority: 1, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: [], match: [{ field: 'tcp_dst', value: 80 }], instructions: [] }).catch((e: unknown) => e);
  t.type(err, OfpErrorReply);
  t.match(err, { errType: 'bad_match', code: 'bad_prereq', message: /prerequisite/ });
  const bodies = await conn.multipart({ type: 'flow', table_id: 'all', out_port: 'any', out_group: 'any', cookie: 0n, cookie_mask: 0n, match: [] });
  t.equal(bodies.length, 2, 'two reply parts');
  t.equal(bodies.flatMap((b) => (b.type === 'flow' ? b.flows : [])).length, 3, 'three flows in all');
  const timeout = await conn.request({ type: 'get_config_request', xid: 0 }, 100).catch((e: unknown) => e);
  t.type(timeout, RequestTimeoutError);
  await conn.barrier();
  t.pass('barrier resolves');
});

t.test('a malformed message gets BAD_REQUEST and the connection stays', async (t) => {
  const { srv, port } = await server(t);
  const up = once(srv, 'switch-up');
  const sw = await connect(t, port, { dpid: 9n });
  const [conn] = (await up) as [SwitchConnection];
  sw.sendRaw(Buffer.from('04ee000800000042', 'hex')); // unknown type
  sw.sendRaw(Buffer.from('040a000c00000043ffffffff', 'hex')); // truncated packet_in
  const e1 = await sw.waitFor((m) => m.type === 'error' && m.xid === 0x42);
  const e2 = await sw.waitFor((m) => m.type === 'error' && m.xid === 0x43);
  t.match(e1, { err_type: 'bad_request', code: 'bad_type' });
  t.match(e2, { err_type: 'bad_request', code: 'bad_len' });
  await conn.barrier();
  t.equal(conn.state, 'up');
});

t.test('a packet_in whose match breaks a spec rule is answered with the error the spec names', async (t) => {
  const { srv, port } = await server(t);
  const up = once(srv, 'switch-up');
  const sw = await connect(t, port, { dpid: 10n });
  const [conn] = (await up) as [SwitchConnection];
  // packet_in whose match has in_port with oxm_length 2 (it is 4 bytes): OFPBMC_BAD_LEN
  sw.sendRaw(Buffer.from('040a002a00000044ffffffff000000000000000000000000' + '0001000a800000020001000000000000' + '0000', 'hex'));
  const e = await sw.waitFor((m) => m.type === 'error' && m.xid === 0x44);
  t.match(e, { err_type: 'bad_match', code: 'bad_len' });
  await conn.barrier();
  t.equal(conn.state, 'up');
});

t.test('a second connection with the same datapath id replaces the first', async (t) => {
  const { srv, port } = await server(t);
  const up1 = once(srv, 'switch-up');
  const first = await connect(t, port, { dpid: 5n });
  const [c1] = (await up1) as [SwitchConnection];
  const up2 = once(srv, 'switch-up');
  const firstClosed = once(first, 'close');
  await connect(t, port, { dpid: 5n });
  const [c2] = (await up2) as [SwitchConnection];
  await firstClosed;
  t.not(c1, c2);
  t.equal(srv.get(5n), c2);
  t.equal(c1.state, 'closed');
  t.equal(srv.switches.size, 1);
});

t.test('roles are exposed', async (t) => {
  const { srv, port } = await server(t);
  const up = once(srv, 'switch-up');
  await connect(t, port, { dpid: 6n });
  const [conn] = (await up) as [SwitchConnection];
  const reply = await conn.setRole('master', 3n);
  t.match(reply, { role: 'master', generation_id: 3n });
  t.equal(conn.role, 'master');
});

t.test('a flooding switch is rate-limited and does not starve another', async (t) => {
  const { srv, port } = await server(t, { maxPacketInsPerSec: 100 });
  const up = once(srv, 'switch-up');
  const flooder = await connect(t, port, { dpid: 0x21n });
  const [fconn] = (await up) as [SwitchConnection];
  const up2 = once(srv, 'switch-up');
  await connect(t, port, { dpid: 0x22n });
  const [quiet] = (await up2) as [SwitchConnection];
  let delivered = 0;
  srv.on('message', (c: SwitchConnection, m: OfpMessage) => {
    if (c === fconn && m.type === 'packet_in') delivered++;
  });
  const pin: OfpMessage = { type: 'packet_in', xid: 0, buffer_id: 'no_buffer', total_len: 0, reason: 'no_match', table_id: 0, cookie: 0n, match: [], data: Buffer.alloc(60) };
  const burst = Buffer.concat(Array.from({ length: 5000 }, () => encodeMessage(pin)));
  flooder.sendRaw(burst);
  await quiet.barrier();
  await fconn.barrier(); // the burst was read before the barrier reply
  t.ok(delivered <= 200, `at most ~one second's worth delivered (${delivered})`);
  t.ok(fconn.counters.droppedPacketIns >= 4800, `the rest dropped and counted (${fconn.counters.droppedPacketIns})`);
  t.equal(quiet.state, 'up', 'the other switch is unaffected');
});

t.test('writes to a switch that stops reading are bounded', async (t) => {
  const { srv, port } = await server(t, { maxQueuedBytes: 256 * 1024 });
  const up = once(srv, 'switch-up');
  const sw = await connect(t, port, { dpid: 0x23n });
  const [conn] = (await up) as [SwitchConnection];
  sw.stopReading();
  const big: OfpMessage = { type: 'packet_out', xid: 0, buffer_id: 'no_buffer', in_port: 'controller', actions: [], data: Buffer.alloc(60_000) };
  let refused = 0;
  for (let i = 0; i < 2000 && refused === 0; i++) if (!conn.send(big)) refused++;
  t.equal(refused, 1, 'send() refuses once the queue is over its bound');
  t.ok(conn.counters.droppedTx >= 1, 'the drop is counted');
  t.ok(conn.counters.txMessages < 2000, `queued messages stayed bounded (${conn.counters.txMessages} of 2000)`);
});
