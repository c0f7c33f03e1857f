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
  const { srv, port } = await tlsServer(t);
  let upSeen = false;
  srv.on('switch-up', () => (upSeen = true));
  const sw = new FakeSwitch({ dpid: 0x53n });
  const closed = once(sw, 'close');
  await sw.connect(port, '127.0.0.1', { ca: pki.caCert, checkServerIdentity: () => undefined }).catch(() => undefined);
  await closed;
  t.equal(upSeen, false);
});
