// Hostile peers that never finish: a HELLO header claiming 65,535 bytes
// dripped a byte at a time, a peer that says HELLO and nothing more, and a
// crowd of silent connections. Each is closed (or refused) and counted.
import t, { type Test } from 'tap';
import net from 'node:net';
import { once } from 'node:events';
import { OpenFlowServer, type ServerOptions } from '../../src/openflow/channel/server.js';
import { FakeSwitch } from '../helpers/fake-switch.js';
import { encodeMessage } from '../../src/openflow/codec.js';
import { memoryLog } from '../helpers/quiet-log.js';

async function server(t: Test, extra: Partial<ServerOptions> = {}) {
  const log = memoryLog();
  const srv = new OpenFlowServer({ port: 0, host: '127.0.0.1', log, ...extra });
  const { port } = await srv.listen();
  t.teardown(() => srv.close());
  return { srv, port, log };
}

function rawConnect(t: Test, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
    t.teardown(() => s.destroy());
  });
}

/** Resolves with how long (ms) the controller took to close the socket. */
function closedWithin(s: net.Socket): Promise<number> {
  const t0 = Date.now();
  return new Promise((resolve) => s.once('close', () => resolve(Date.now() - t0)));
}

t.test('a HELLO header claiming 65,535 bytes, dripped a byte every 100 ms, is closed at the frame deadline', async (t) => {
  const { srv, port, log } = await server(t, { frameTimeoutMs: 600, handshakeTimeoutMs: 60_000, deadAfterMs: 60_000, echoIntervalMs: 60_000 });
  const s = await rawConnect(t, port);
  s.on('data', () => {}); // our HELLO
  s.on('error', () => {});
  const closed = closedWithin(s);
  // ofp_header: version 4, type HELLO, length 0xffff, xid 1; then the body, one byte at a time.
  s.write(Buffer.from('0400ffff00000001', 'hex'));
  const drip = setInterval(() => { if (!s.destroyed) s.write(Buffer.from([0])); }, 100);
  t.teardown(() => clearInterval(drip));
  const ms = await closed;
  clearInterval(drip);
  t.ok(ms >= 500 && ms < 3000, `closed after ${ms} ms although bytes kept coming (deadline 600 ms)`);
  t.equal(srv.totals().frameTimeouts, 1, 'counted as a frame timeout');
  t.ok(log.lines.some((l) => /did not arrive whole within 600 ms/.test(JSON.stringify(l.obj))), 'the reason is logged');
});

t.test('frames that arrive split across chunks, each finishing in time, are not a slow-loris', async (t) => {
  const { srv, port } = await server(t, { frameTimeoutMs: 300 });
  const sw = new FakeSwitch({ dpid: 0x77n });
  const up = once(srv, 'switch-up');
  await sw.connect(port);
  t.teardown(() => sw.close());
  await up;
  const echo = encodeMessage({ type: 'echo_request', xid: 9, data: Buffer.alloc(40, 1) });
  // 10 echo requests, each sent in two halves 100 ms apart: 1 s in all, well over one deadline.
  for (let i = 0; i < 10; i++) {
    sw.sendRaw(echo.subarray(0, 20));
    await new Promise((r) => setTimeout(r, 100));
    sw.sendRaw(echo.subarray(20));
  }
  await sw.waitFor((m) => m.type === 'echo_reply' && m.xid === 9);
  t.equal(srv.switches.size, 1, 'still connected');
  t.equal(srv.totals().frameTimeouts, 0);
});

t.test('a peer that sends HELLO and nothing else is closed at the handshake deadline, though it answers echoes', async (t) => {
  const { srv, port } = await server(t, { handshakeTimeoutMs: 500, echoIntervalMs: 100, deadAfterMs: 60_000 });
  const s = await rawConnect(t, port);
  s.on('error', () => {});
  // Answers every echo request (type 2) with a reply so keepalive alone would keep it open.
  s.on('data', (b: Buffer) => {
    for (let off = 0; off + 8 <= b.length; off += b.readUInt16BE(off + 2) || 8) {
      if (b[off + 1] === 2) s.write(Buffer.concat([Buffer.from([4, 3, 0, 8]), b.subarray(off + 4, off + 8)]));
    }
  });
  const closed = closedWithin(s);
  s.write(encodeMessage({ type: 'hello', xid: 1, version: 4, elements: [{ type: 'versionbitmap', bitmaps: [0x10] }] }));
  const ms = await closed;
  t.ok(ms >= 400 && ms < 3000, `closed after ${ms} ms (deadline 500 ms)`);
  t.equal(srv.totals().handshakeTimeouts, 1);
  t.equal(srv.switches.size, 0);
});

t.test('connections not yet identified are capped; beyond the cap they are refused and counted; identified switches do not count', async (t) => {
  const { srv, port, log } = await server(t, { maxUnidentified: 5, handshakeTimeoutMs: 60_000 });
  const sw = new FakeSwitch({ dpid: 0x99n });
  const up = once(srv, 'switch-up');
  await sw.connect(port);
  t.teardown(() => sw.close());
  await up;
  const silent = await Promise.all(Array.from({ length: 5 }, () => rawConnect(t, port)));
  for (const s of silent) s.on('error', () => {});
  // The listener sees them asynchronously.
  while (srv.unidentifiedCount < 5) await new Promise((r) => setTimeout(r, 10));
  const extra = await Promise.all(Array.from({ length: 20 }, () => rawConnect(t, port)));
  await Promise.all(extra.map((s) => { s.on('error', () => {}); return closedWithin(s); }));
  t.equal(srv.totals().refusedUnidentified, 20, 'the 20 over the cap were refused');
  t.equal(srv.unidentifiedCount, 5);
  const warns = log.lines.filter((l) => /refusing new ones/.test(l.msg));
  t.ok(warns.length >= 1 && warns.length <= 2, `refusals logged rate-limited (${warns.length} lines for 20)`);
  // A slot freed is a slot usable again: one silent peer leaves, a real switch gets in.
  const freed = once(srv, 'switch-up');
  silent[0]!.destroy();
  while (srv.unidentifiedCount > 4) await new Promise((r) => setTimeout(r, 10));
  const sw2 = new FakeSwitch({ dpid: 0x9an });
  await sw2.connect(port);
  t.teardown(() => sw2.close());
  await freed;
  t.equal(srv.switches.size, 2);
});
