// Bad input to the container-network manager, through REST and through
// Docker's plugin: each is a clear 4xx (or a Docker error carrying the
// plugin's Err) and changes nothing (GET /api/v1/networks byte-identical,
// no veth left behind).
import t, { type Test } from 'tap';
import { startController } from '../helpers/controller.js';
import { docker, dockerTestbed, removeAll, runContainer } from '../helpers/docker.js';
import { pollUntil, run } from '../helpers/ovs.js';

const bed = await dockerTestbed(t, 'dk');
if (bed !== undefined) {
  const { prefix: p, octet, ct } = bed;
  const bridge = `${p}br`;
  const plugin = `${p}plug`;
  const containers = ['x1', 'x2', 'x3', 'stopped', 'doomed', 'd1', 'd2'].map(ct);
  const dockerNets = [`${p}-tiny`, `${p}-nosub`, `${p}-overlap`];

  const c = await startController({
    apps: ['l2-switch', 'container-net'],
    appConfig: { 'container-net': { bridge, vethPrefix: p, pluginName: plugin } },
  });
  t.teardown(async () => {
    // Docker networks first, while the plugin still answers.
    await removeAll(containers, dockerNets);
    await c.stop();
    await bed.removeLinks([bridge]);
  });
  const base = `http://127.0.0.1:${c.httpAddress!.port}/api/v1`;
  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: any }> => {
    const r = await fetch(base + path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    const text = await r.text();
    return { status: r.status, text, json: text ? JSON.parse(text) : undefined };
  };
  const state = async (): Promise<string> => (await api('GET', '/networks')).text + (await run('ip', ['-o', 'link', 'show'])).stdout.split('\n').filter((l) => l.includes(`: ${p}`)).join('\n');
  /** The call is refused with this status and error code, and nothing changed. */
  const refused = async (t: Test, what: string, call: () => Promise<{ status: number; json: any }>, status: number, code: string | RegExp): Promise<void> => {
    const before = await state();
    const r = await call();
    t.equal(r.status, status, `${what}: ${status}`);
    if (typeof code === 'string') t.equal(r.json?.error, code, `${what}: error ${code} (${r.json?.message})`);
    else t.match(r.json?.message, code, `${what}: says why`);
    t.equal(await state(), before, `${what}: nothing changed`);
  };
  const net = `${p}-n`;
  const tiny = `${p}-t`;

  t.test('REST: networks', async (t) => {
    t.equal((await api('POST', '/networks', { name: net, subnet: `10.${octet}.1.0/24` })).status, 201);
    await refused(t, 'invalid CIDR', () => api('POST', '/networks', { name: `${p}-x`, subnet: '10.1.2.300/24' }), 400, 'invalid_subnet');
    await refused(t, 'host bits set', () => api('POST', '/networks', { name: `${p}-x`, subnet: `10.${octet}.2.7/24` }), 400, /did you mean/);
    await refused(t, 'overlapping subnet', () => api('POST', '/networks', { name: `${p}-x`, subnet: `10.${octet}.0.0/16` }), 409, 'subnet_overlaps');
    await refused(t, 'same name', () => api('POST', '/networks', { name: net, subnet: `10.${octet}.9.0/24` }), 409, 'network_exists');
    await refused(t, 'gateway outside', () => api('POST', '/networks', { name: `${p}-x`, subnet: `10.${octet}.9.0/24`, gateway: `10.${octet}.8.1` }), 400, 'invalid_gateway');
    await refused(t, 'unknown field', () => api('POST', '/networks', { name: `${p}-x`, subnet: `10.${octet}.9.0/24`, vlan: 3 }), 400, /unknown field "vlan"/);
    await refused(t, 'unknown network', () => api('GET', `/networks/${p}-nope`), 404, 'unknown_network');
    await refused(t, 'delete unknown network', () => api('DELETE', `/networks/${p}-nope`), 404, 'unknown_network');
  });

  t.test('REST: endpoints', async (t) => {
    await Promise.all(['x1', 'x2', 'x3', 'doomed'].map((n) => runContainer(ct(n))));
    await docker('create', '--name', ct('stopped'), '--network', 'none', 'local/busybox:1', 'sleep', '3600');
    t.equal((await api('POST', '/networks', { name: tiny, subnet: `10.${octet}.3.0/30` })).status, 201, 'a /30: one address besides the gateway');
    t.equal((await api('POST', `/networks/${net}/endpoints`, { container: ct('x1') })).status, 201);
    await refused(t, 'unknown container', () => api('POST', `/networks/${net}/endpoints`, { container: `${p}-ghost` }), 404, 'unknown_container');
    await refused(t, 'container not running', () => api('POST', `/networks/${net}/endpoints`, { container: ct('stopped') }), 409, 'container_not_running');
    await refused(t, 'unknown network', () => api('POST', `/networks/${p}-nope/endpoints`, { container: ct('x2') }), 404, 'unknown_network');
    await refused(t, 'double attach', () => api('POST', `/networks/${net}/endpoints`, { container: ct('x1') }), 409, 'already_attached');
    await refused(t, 'address taken', () => api('POST', `/networks/${net}/endpoints`, { container: ct('x2'), ip: `10.${octet}.1.2` }), 409, 'address_taken');
    await refused(t, 'address outside the subnet', () => api('POST', `/networks/${net}/endpoints`, { container: ct('x2'), ip: `10.${octet}.7.2` }), 400, 'address_outside_subnet');
    await refused(t, 'the gateway address', () => api('POST', `/networks/${net}/endpoints`, { container: ct('x2'), ip: `10.${octet}.1.1` }), 409, 'address_taken');
    await refused(t, 'no container given', () => api('POST', `/networks/${net}/endpoints`, {}), 400, /missing "container"/);
    t.equal((await api('POST', `/networks/${tiny}/endpoints`, { container: ct('x2') })).status, 201, 'the one address of the /30');
    await refused(t, 'exhausted pool', () => api('POST', `/networks/${tiny}/endpoints`, { container: ct('x3') }), 409, 'pool_exhausted');
    await refused(t, 'delete a network with endpoints', () => api('DELETE', `/networks/${tiny}`), 409, 'network_in_use');
    await refused(t, 'detach unknown', () => api('DELETE', `/networks/${tiny}/endpoints/${ct('x3')}`), 404, 'unknown_endpoint');
  });

  t.test('REST: a container removed behind our back can still be detached, and its address is freed', async (t) => {
    const r = await api('POST', `/networks/${net}/endpoints`, { container: ct('doomed') });
    t.equal(r.status, 201);
    await docker('rm', '-f', ct('doomed'));
    t.equal((await api('DELETE', `/networks/${net}/endpoints/${ct('doomed')}`)).status, 204);
    t.notOk((await api('GET', `/networks/${net}`)).json.endpoints.some((e: { ip: string }) => e.ip === r.json.ip), 'gone');
    t.equal((await api('POST', `/networks/${net}/endpoints`, { container: ct('x3') })).json.ip, r.json.ip, 'its address is handed out again');
  });

  t.test('plugin: refusals reach the docker command as the plugin\'s Err', async (t) => {
    const dockerFails = async (what: string, args: string[], message: RegExp): Promise<void> => {
      const before = await state();
      const r = await run('docker', args, 60_000);
      t.not(r.code, 0, `${what}: docker fails`);
      t.match(r.stderr, message, `${what}: says why`);
      t.equal(await state(), before, `${what}: nothing changed`);
    };
    await dockerFails('no subnet', ['network', 'create', '-d', plugin, '--ipam-driver', plugin, `${p}-nosub`], /give the network a subnet/);
    await dockerFails('overlapping subnet', ['network', 'create', '-d', plugin, '--ipam-driver', plugin, '--subnet', `10.${octet}.1.128/25`, `${p}-overlap`], /overlaps 10\.\d+\.1\.0\/24 of network/);
    await docker('network', 'create', '-d', plugin, '--ipam-driver', plugin, '--subnet', `10.${octet}.4.0/30`, `${p}-tiny`);
    await runContainer(ct('d1'), `${p}-tiny`);
    await pollUntil('the Docker network and its endpoint named', async () => (await api('GET', `/networks/${p}-tiny`)).json?.endpoints?.[0]?.container_name === ct('d1'), 20_000, 200);
    await dockerFails('exhausted pool', ['run', '-d', '--name', ct('d2'), '--network', `${p}-tiny`, 'local/busybox:1', 'sleep', '3600'], /no free address left/);
    await refused(t, 'REST attach to a Docker network', () => api('POST', `/networks/${p}-tiny/endpoints`, { container: ct('x3') }), 409, 'docker_network');
    await refused(t, 'REST delete of a Docker network', () => api('DELETE', `/networks/${p}-tiny`), 409, 'docker_network');
  });
}
