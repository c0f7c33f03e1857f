// A peer that completes the handshake claiming a connected switch's datapath
// id must not displace it unless it proves itself: same address (the switch
// reconnecting), a client certificate our CA signed, or the established
// connection failing an echo.
import t, { type Test } from 'tap';
import { once } from 'node:events';
import { OpenFlowServer, type ServerOptions } from '../../src/openflow/channel/server.js';
import type { SwitchConnection } from '../../src/openflow/channel/connection.js';
import { FakeSwitch, type FakeSwitchOptions } from '../helpers/fake-switch.js';
import { memoryLog } from '../helpers/quiet-log.js';
import { makePki } from '../helpers/certs.js';
import { startApi } from '../helpers/api.js';
import { pollUntil } from '../helpers/ovs.js';

async function server(t: Test, extra: Partial<ServerOptions> = {}) {
  const log = memoryLog();
  const srv = new OpenFlowServer({ port: 0, host: '127.0.0.1', log, takeoverProbeMs: 300, ...extra });
  const { port } = await srv.listen();
  t.teardown(() => srv.close());
  return { srv, port, log };
}

async function connect(t: Test, port: number, opts: FakeSwitchOptions): Promise<FakeSwitch> {
  const sw = new FakeSwitch(opts);
  await sw.connect(port);
  t.teardown(() => sw.close());
  return sw;
}

t.test('a peer from another address claiming a live switch\'s dpid is refused; the switch stays, the attempt is logged and counted', async (t) => {
  const { srv, port, log } = await server(t);
  const up = once(srv, 'switch-up');
  const real = await connect(t, port, { dpid: 7n });
  const [c1] = (await up) as [SwitchConnection];
  let downs = 0;
  let ups = 0;
  srv.on('switch-down', () => downs++);
  srv.on('switch-up', () => ups++);
  const attacker = await connect(t, port, { dpid: 7n, localAddress: '127.0.0.2' });
  await once(attacker, 'close');
  t.equal(srv.get(7n), c1, 'the established connection is still the switch');
  t.equal(c1.state, 'up');
  t.equal(ups + downs, 0, 'no switch-up or switch-down was emitted');
  t.equal(srv.totals().takeoversRefused, 1, 'the refusal is counted');
  t.equal(srv.totals().takeoversAccepted, 0);
  t.ok(real.received.some((m) => m.type === 'echo_request'), 'the established switch was probed with an echo');
  const line = log.lines.find((l) => l.msg === 'refused a connection claiming a connected datapath id');
  t.match(line?.obj, { switch: '0000000000000007', challenger: /^127\.0\.0\.2:/ }, 'the attempt is logged with who tried');
});

t.test('the same switch reconnecting from its own address takes over at once (no probe wait)', async (t) => {
  const { srv, port } = await server(t, { takeoverProbeMs: 60_000 });
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
  t.equal(srv.totals().takeoversAccepted, 1);
});

t.test('from another address, a takeover succeeds when the established connection no longer answers echoes', async (t) => {
  const { srv, port, log } = await server(t, { deadAfterMs: 60_000, echoIntervalMs: 60_000 });
  const up1 = once(srv, 'switch-up');
  const hung = await connect(t, port, { dpid: 6n, answerEcho: false });
  const [c1] = (await up1) as [SwitchConnection];
  const up2 = once(srv, 'switch-up');
  const hungClosed = once(hung, 'close');
  const t0 = Date.now();
  await connect(t, port, { dpid: 6n, localAddress: '127.0.0.3' });
  const [c2] = (await up2) as [SwitchConnection];
  await hungClosed;
  t.ok(Date.now() - t0 >= 250, 'only after the probe deadline');
  t.equal(srv.get(6n), c2);
  t.equal(c1.state, 'closed');
  t.equal(srv.totals().takeoversAccepted, 1);
  t.ok(log.lines.some((l) => /did not answer an echo/.test(l.msg)));
});

t.test('with mutual TLS a verified certificate may take over from another address', async (t) => {
  const pki = makePki();
  t.teardown(() => pki.cleanup());
  const { srv, port } = await server(t, { tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert }, takeoverProbeMs: 60_000 });
  const tlsOpts = { key: pki.clientKey, cert: pki.clientCert, ca: pki.caCert, checkServerIdentity: () => undefined };
  const up1 = once(srv, 'switch-up');
  const a = new FakeSwitch({ dpid: 8n });
  await a.connect(port, '127.0.0.1', tlsOpts);
  t.teardown(() => a.close());
  await up1;
  const up2 = once(srv, 'switch-up');
  const aClosed = once(a, 'close');
  const b = new FakeSwitch({ dpid: 8n, localAddress: '127.0.0.4' });
  await b.connect(port, '127.0.0.1', tlsOpts);
  t.teardown(() => b.close());
  const [c2] = (await up2) as [SwitchConnection];
  await aClosed;
  t.equal(c2.verifiedCert, 'switchyard-test-client');
  t.equal(srv.get(8n), c2);
});

t.test('/metrics counts refused takeovers', async (t) => {
  const api = await startApi(t);
  await api.addSwitch({ dpid: 0x21n });
  const attacker = new FakeSwitch({ dpid: 0x21n, localAddress: '127.0.0.5' });
  await attacker.connect(api.c.ofAddress!.port);
  t.teardown(() => attacker.close());
  await once(attacker, 'close');
  const text = await pollUntil('the refusal in /metrics', async () => {
    const r = await api.inject({ method: 'GET', url: '/metrics' });
    return /^switchyard_openflow_takeovers_refused_total 1$/m.test(r.body) ? r.body : undefined;
  }, 5000);
  t.match(text, /^switchyard_openflow_takeovers_total 0$/m);
  t.ok(api.c.switches.get(0x21n), 'the switch is still connected');
});
