import t, { type Test } from 'tap';
import { once } from 'node:events';
import { OpenFlowServer } from '../../src/openflow/channel/server.js';
import type { SwitchInfo } from '../../src/openflow/channel/connection.js';
import { FakeSwitch } from '../helpers/fake-switch.js';
import { memoryLog } from '../helpers/quiet-log.js';
import { makePki } from '../helpers/certs.js';

const pki = makePki();
t.teardown(() => pki.cleanup());

async function tlsServer(t: Test) {
  const log = memoryLog();
  const srv = new OpenFlowServer({ port: 0, host: '127.0.0.1', log, tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert } });
  const { port } = await srv.listen();
  t.teardown(() => srv.close());
  return { srv, port, log };
}

t.test('a switch with a certificate from our CA connects over TLS', async (t) => {
  const { srv, port } = await tlsServer(t);
  const up = once(srv, 'switch-up');
  const sw = new FakeSwitch({ dpid: 0x51n });
  await sw.connect(port, '127.0.0.1', { key: pki.clientKey, cert: pki.clientCert, ca: pki.caCert, servername: 'switchyard-test-server', checkServerIdentity: () => undefined });
  t.teardown(() => sw.close());
  const [, info] = (await up) as [unknown, SwitchInfo];
  t.equal(info.id, '0000000000000051');
});

t.test('plaintext to a TLS-only listener is refused', async (t) => {
  const { srv, port, log } = await tlsServer(t);
  let upSeen = false;
  srv.on('switch-up', () => (upSeen = true));
  const sw = new FakeSwitch({ dpid: 0x52n });
  const closed = once(sw, 'close');
  await sw.connect(port);
  await closed;
  t.equal(upSeen, false, 'no switch came up');
  t.ok(log.lines.some((l) => /TLS handshake with switch failed/.test(l.msg)), 'the refusal is logged');
});

t.test('a switch without a client certificate is refused (mutual TLS)', async (t) => {
  const { srv, port, log } = await tlsServer(t);
  let upSeen = false;
  srv.on('switch-up', () => (upSeen = true));
  const sw = new FakeSwitch({ dpid: 0x53n });
  const closed = once(sw, 'close');
  await sw.connect(port, '127.0.0.1', { ca: pki.caCert, checkServerIdentity: () => undefined }).catch(() => undefined);
  await closed;
  t.equal(upSeen, false);
  const refusal = await pollUntilLine(log, /switch certificate refused/);
  t.match((refusal.obj as { code?: string }).code, /UNABLE_TO_GET_ISSUER_CERT|CERT/, 'refused for having no certificate');
});

t.test('a switch whose certificate another CA signed is refused, and the certificate is the reason', async (t) => {
  const { srv, port, log } = await tlsServer(t);
  const rogue = makePki('rogue');
  t.teardown(() => rogue.cleanup());
  let upSeen = false;
  srv.on('switch-up', () => (upSeen = true));
  // Same client code, same server trust settings, only the certificate differs: the control connects.
  const good = new FakeSwitch({ dpid: 0x54n });
  const up = once(srv, 'switch-up');
  await good.connect(port, '127.0.0.1', { key: pki.clientKey, cert: pki.clientCert, ca: pki.caCert, checkServerIdentity: () => undefined });
  t.teardown(() => good.close());
  await up;
  upSeen = false;
  const sw = new FakeSwitch({ dpid: 0x55n });
  const closed = once(sw, 'close');
  let clientErr = '';
  await sw.connect(port, '127.0.0.1', { key: rogue.clientKey, cert: rogue.clientCert, ca: pki.caCert, checkServerIdentity: () => undefined })
    .catch((e: Error) => (clientErr = e.message));
  await closed;
  t.equal(upSeen, false, 'the rogue switch never came up');
  t.equal(srv.get(0x55n), undefined);
  const refusal = await pollUntilLine(log, /switch certificate refused/);
  const { code, subject } = refusal.obj as { code?: string; subject?: string };
  t.equal(subject, 'rogue-client', 'the refusal names the certificate presented');
  t.match(code, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/, `the reason is the certificate chain (${code})`);
  t.equal(srv.totals().refusedCertificates, 1, 'counted as a refused certificate');
  t.equal(srv.connectionCount, 1, 'no OpenFlow connection was made for it (only the control is open)');
  t.comment(`client saw: ${clientErr || 'connection closed'}`);
});

async function pollUntilLine(log: ReturnType<typeof memoryLog>, re: RegExp): Promise<{ msg: string; obj: object }> {
  for (let i = 0; i < 200; i++) {
    const l = log.lines.find((x) => re.test(x.msg));
    if (l) return l;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no log line matching ${re}`);
}
