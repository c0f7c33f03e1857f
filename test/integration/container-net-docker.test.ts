// The container-network manager end to end on the real Docker engine and
// Open vSwitch, with l2-switch running beside it: three networks of three
// containers (one attached through REST, two made by Docker through the
// plugin, with docker run and docker network connect), every pair inside a
// network pings, no pair across does, the gateway answers; the controller
// is killed with -9 and restarted on the same state: the same networks
// (GET /api/v1/networks byte-identical), the same flows once, the same
// pings. Then disconnect, rm and network rm agree with the REST view.
import t, { type Test } from 'tap';
import { spawnController, type ControllerProcess } from '../helpers/controller-process.js';
import { docker, dockerTestbed, inspectIp, pings, removeAll, runContainer } from '../helpers/docker.js';
import { dumpFlows, must, pollUntil, run } from '../helpers/ovs.js';

const bed = await dockerTestbed(t, 'dk');
if (bed !== undefined) {
  const { prefix: p, octet, ct } = bed;
  const bridge = `${p}br`;
  const plugin = `${p}plug`;
  const nets = { a: `${p}-a`, b: `${p}-b`, c: `${p}-c` };
  const subnet = (i: number): string => `10.${octet}.${i}.0/24`;
  const names = { a: ['a1', 'a2', 'a3'], b: ['b1', 'b2', 'b3'], c: ['c1', 'c2', 'c3'] };
  const containers = Object.values(names).flat().map((n) => `${p}${n}`);

  const { stateDir, config: cfg } = bed.stateWithConfig({ bridge, vethPrefix: p, pluginName: plugin });
  const args = ['--state-dir', stateDir, '--config', cfg, '--apps', 'l2-switch,container-net', '--lldp-interval', '500', '--log-level', 'info'];
  const t0 = Date.now();
  let ctl: ControllerProcess = await spawnController(args);
  t.comment(`controller up in ${Date.now() - t0} ms`);

  t.teardown(async () => {
    // Docker networks first, while the plugin still answers: without it Docker cannot remove them (and a
    // later dockerd start waits on every such network's dead plugin).
    await removeAll(containers, [nets.b, nets.c]);
    await ctl.kill9();
    await bed.removeLinks([bridge]);
  });

  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: any }> => {
    const r = await fetch(ctl.rest + path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    const text = await r.text();
    return { status: r.status, text, json: text ? JSON.parse(text) : undefined };
  };
  const endpointsOf = async (net: string): Promise<{ container_name: string; ip: string }[]> => (await api('GET', `/networks/${net}`)).json?.endpoints ?? [];
  const ipOf = async (net: string, c: string): Promise<string> => {
    const e = (await endpointsOf(net)).find((x) => x.container_name === c);
    if (!e) throw new Error(`${c} has no endpoint on ${net}`);
    return e.ip;
  };
  /** Every ordered pair inside each network pings; a sample of pairs across networks does not. */
  const checkReachability = async (t: Test, what: string): Promise<void> => {
    const ips = new Map<string, string>();
    for (const [k, list] of Object.entries(names)) for (const n of list) ips.set(n, await ipOf(nets[k as 'a'], ct(n)));
    const within = Object.values(names).flatMap((list) => list.flatMap((x) => list.filter((y) => y !== x).map((y) => [x, y] as const)));
    const results = await Promise.all(within.map(async ([x, y]) => [x, y, await pings(ct(x), ips.get(y)!, 3)] as const));
    t.same(results.filter((r) => !r[2]).map((r) => `${r[0]}->${r[1]}`), [], `${what}: every pair inside a network pings (${within.length} pairs)`);
    const across = [['a1', 'b1'], ['a2', 'c2'], ['b1', 'c1'], ['b3', 'a3'], ['c3', 'b2'], ['c1', 'a1']] as const;
    const leaks = await Promise.all(across.map(async ([x, y]) => [x, y, await pings(ct(x), ips.get(y)!, 1)] as const));
    t.same(leaks.filter((r) => r[2]).map((r) => `${r[0]}->${r[1]}`), [], `${what}: no pair across networks pings`);
  };
  /** container-net's flows on the bridge (its band of table 0 and table 1) without counters and cookies (a restart changes the generation in the cookie). */
  const flowSet = async (): Promise<string[]> =>
    (await dumpFlows(bridge))
      .map((l) => l.replace(/cookie=0x[0-9a-f]+, |duration=[^,]+, |n_packets=\d+, |n_bytes=\d+, |idle_age=\d+, |hard_age=\d+, /g, ''))
      .filter((l) => /^table=1,|priority=4\d{4}[, ]/.test(l))
      .sort();

  t.test('three networks, REST and plugin, isolated while l2-switch runs', async (t) => {
    t.equal((await api('POST', '/networks', { name: nets.a, subnet: subnet(1) })).status, 201, 'REST network created');
    await docker('network', 'create', '-d', plugin, '--ipam-driver', plugin, '--subnet', subnet(2), nets.b);
    await docker('network', 'create', '-d', plugin, '--ipam-driver', plugin, '--subnet', subnet(3), '--gateway', `10.${octet}.3.254`, nets.c);
    await pollUntil('Docker networks known by their names', async () => (await api('GET', `/networks/${nets.b}`)).status === 200 && (await api('GET', `/networks/${nets.c}`)).status === 200, 20_000, 200);
    t.match((await api('GET', `/networks/${nets.c}`)).json, { subnet: subnet(3), gateway: `10.${octet}.3.254`, driver: 'docker' }, 'the plugin network has Docker\'s subnet and gateway');

    for (const n of names.a) await runContainer(ct(n));
    await Promise.all(names.b.map((n) => runContainer(ct(n), nets.b)));
    await Promise.all(names.c.map((n) => runContainer(ct(n), nets.c)));
    for (const n of names.a) {
      const r = await api('POST', `/networks/${nets.a}/endpoints`, { container: ct(n) });
      t.equal(r.status, 201, `${n} attached through REST`);
    }
    t.same((await endpointsOf(nets.a)).map((e) => e.ip), [`10.${octet}.1.2`, `10.${octet}.1.3`, `10.${octet}.1.4`], 'lowest free addresses, in order');
    await pollUntil('Docker endpoints named by their containers', async () => {
      const all = [...(await endpointsOf(nets.b)), ...(await endpointsOf(nets.c))];
      return all.length === 6 && all.every((e) => e.container_name !== '');
    }, 20_000, 200);
    for (const n of [...names.b, ...names.c]) {
      const net = n.startsWith('b') ? nets.b : nets.c;
      t.equal(await inspectIp(ct(n), net), await ipOf(net, ct(n)), `docker inspect shows ${n}'s address`);
    }
    t.ok((await api('GET', '/apps')).json.some((a: { name: string; enabled: boolean }) => a.name === 'l2-switch' && a.enabled), 'l2-switch runs');
    await pollUntil('the bridge connected and flows in', async () => (await flowSet()).some((l) => l.includes('table=1') && l.includes('priority=200')), 20_000, 200);
    const t2 = Date.now();
    await checkReachability(t, 'before the restart');
    t.comment(`reachability checked in ${Date.now() - t2} ms`);
    t.ok(await pings(ct('a1'), `10.${octet}.1.1`), 'the gateway of a REST network answers ping');
    t.ok(await pings(ct('c1'), `10.${octet}.3.254`), 'the gateway Docker asked for answers ping');
    const flows = await flowSet();
    t.ok(flows.some((l) => /priority=45000,in_port=/.test(l)), 'endpoint ports are steered into the cnet table');
    const topo = (await api('GET', '/topology')).json;
    t.equal(topo.networks.filter((n: { name: string }) => Object.values(nets).includes(n.name)).length, 3, 'networks in the topology');
    t.equal(topo.endpoints.filter((e: { network: string }) => Object.values(nets).includes(e.network)).length, 9, 'endpoints in the topology');
  });

  t.test('kill -9 and restart: the same networks, flows once, pings', async (t) => {
    const before = (await api('GET', '/networks')).text;
    const flowsBefore = await flowSet();
    await ctl.kill9();
    const t1 = Date.now();
    ctl = await spawnController(args);
    t.comment(`restarted in ${Date.now() - t1} ms`);
    t.equal((await api('GET', '/networks')).text, before, 'GET /api/v1/networks is byte-identical');
    await pollUntil('the flows back on the bridge', async () => JSON.stringify(await flowSet()) === JSON.stringify(flowsBefore) || undefined, 30_000, 250).catch(() => undefined);
    const after = await flowSet();
    t.same(after, flowsBefore, 'the same flows as before the kill');
    t.equal(new Set(after).size, after.length, 'each flow once');
    await checkReachability(t, 'after the restart');
    const r = await api('POST', `/networks/${nets.a}/endpoints`, { container: ct('a1') });
    t.equal(r.status, 409, 'double attach refused after the restart too');
  });

  t.test('disconnect, rm and network rm agree with the REST view; addresses are freed', async (t) => {
    const b3ip = await ipOf(nets.b, ct('b3'));
    await docker('network', 'disconnect', nets.b, ct('b3'));
    t.not(await inspectIp(ct('b3'), nets.b).catch(() => ''), b3ip, 'Docker agrees');
    t.notOk((await endpointsOf(nets.b)).some((e) => e.container_name === ct('b3')), 'disconnect removes the endpoint');
    await docker('network', 'connect', nets.b, ct('b3'));
    await pollUntil('b3 back', async () => (await endpointsOf(nets.b)).some((e) => e.container_name === ct('b3')), 20_000, 200);
    t.equal(await inspectIp(ct('b3'), nets.b), b3ip, 'reconnected: the freed address is the lowest again');
    t.ok(await pings(ct('b3'), await ipOf(nets.b, ct('b1'))), 'and it pings');
    await docker('rm', '-f', ...names.c.map(ct));
    t.same(await endpointsOf(nets.c), [], 'docker rm removes the endpoints');
    await docker('network', 'rm', nets.c);
    t.equal((await api('GET', `/networks/${nets.c}`)).status, 404, 'docker network rm removes the network');
    t.equal((await api('DELETE', `/networks/${nets.a}/endpoints/${ct('a3')}`)).status, 204, 'REST detach');
    t.equal((await api('POST', `/networks/${nets.a}/endpoints`, { container: ct('a3') })).json.ip, `10.${octet}.1.4`, 'its address came back to the pool');
    const links = (await must('ip', ['-o', 'link', 'show'])).split('\n').filter((l) => new RegExp(`: ${p}h`).test(l)).length;
    t.equal(links, 6, 'one host veth per remaining endpoint (3 on a, 3 on b)');
  });
}
