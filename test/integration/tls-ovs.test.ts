// An Open vSwitch bridge reaches the controller over ssl: with certificates
// from a throwaway CA; a plaintext bridge cannot reach a TLS-only listener.
import t from 'tap';
import { ovsAvailable, createBridge, cleanup, pollUntil, deleteBridge, must, missingTool } from '../helpers/ovs.js';
import { makePki } from '../helpers/certs.js';
import { ofPort, startController } from '../helpers/controller.js';

const avail = await ovsAvailable();
const skip = missingTool(avail);

/** What OVS says about a bridge's controller connection (is_connected, last_error). */
async function controllerStatus(bridge: string): Promise<string> {
  return must('ovs-vsctl', ['--columns=is_connected,status', 'list', 'controller', bridge]);
}

t.test('OVS over ssl: connects; plaintext to the TLS listener is refused', { skip }, async (t) => {
  const pki = makePki();
  t.teardown(() => pki.cleanup());
  t.teardown(() => cleanup());
  const c = await startController({ of: { port: 0, address: '127.0.0.1', tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert } } });
  t.teardown(() => c.stop());
  const port = ofPort(c);
  const br = await createBridge('tls', { controllerPort: port, ports: 1, ssl: { key: pki.paths.clientKey, cert: pki.paths.clientCert, ca: pki.paths.ca } });
  const sw = await pollUntil('the ssl bridge to come up', () => c.switches.get(BigInt('0x' + br.dpid)), 20_000);
  t.equal(sw.id, br.dpid, 'the bridge connected over TLS');
  // OVS refreshes the Controller status column on its own schedule.
  const up = await pollUntil('OVS to report the ssl connection up', async () => /is_connected\s*:\s*true/.test(await controllerStatus(br.name)) || undefined, 10_000);
  t.ok(up, 'OVS reports the ssl connection up');
  await deleteBridge(br.name);

  const plain = await createBridge('plain', { controllerPort: port, ports: 1 });
  const status = await pollUntil('OVS to report the plaintext connection failing', async () => {
    const s = await controllerStatus(plain.name);
    return /last_error/.test(s) ? s : undefined;
  }, 20_000);
  t.match(status, /is_connected\s*:\s*false/, `OVS: ${status.replace(/\s+/g, ' ')}`);
  t.equal(c.switches.get(BigInt('0x' + plain.dpid)), undefined, 'the plaintext bridge never came up');
});
