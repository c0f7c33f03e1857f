// One container network across two switches: containers attached to two
// OVS bridges joined by a veth cable reach each other over the link the
// topology service found (LLDP), a container of another network on the
// second switch reaches neither, and the flows that carry it are visible on
// both bridges. l2-switch runs beside container-net throughout.
import t from 'tap';
import { spawnController, type ControllerProcess } from '../helpers/controller-process.js';
import { dockerTestbed, pings, removeAll, runContainer } from '../helpers/docker.js';
import { dumpFlows, must, pollUntil, run } from '../helpers/ovs.js';

const bed = await dockerTestbed(t, 'dx');
if (bed !== undefined) {
  const { prefix: p, octet, ct } = bed;
  const [brA, brB] = [`${p}a`, `${p}b`];
  const [cableA, cableB] = [`${p}ca`, `${p}cb`];
  const containers = ['x1', 'x2', 'y1'].map(ct);
  const { stateDir, config: cfg } = bed.stateWithConfig({ bridge: `${p}own`, vethPrefix: p, plugin: false });
  const ctl: ControllerProcess = await spawnController(['--state-dir', stateDir, '--config', cfg, '--apps', 'l2-switch,container-net', '--lldp-interval', '500']);

  t.teardown(async () => {
    await ctl.kill9();
    await removeAll(containers, []);
    await bed.removeLinks([brA, brB, `${p}own`]);
    await run('ip', ['link', 'del', cableA]);
  });

  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const r = await fetch(ctl.rest + path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : undefined };
  };

  t.test('a network spanning two switches: its containers ping over the link, another network\'s do not', async (t) => {
    for (const [b, dpid] of [[brA, '00000000000000a1'], [brB, '00000000000000b2']] as const) {
      await must('ovs-vsctl', ['add-br', b, '--', 'set', 'bridge', b, 'datapath_type=netdev', 'protocols=OpenFlow13', 'fail_mode=secure', `other-config:datapath-id=${dpid}`]);
      await must('ovs-vsctl', ['set-controller', b, `tcp:127.0.0.1:${ctl.ofPort}`]);
    }
    await must('ip', ['link', 'add', cableA, 'type', 'veth', 'peer', 'name', cableB]);
    for (const c of [cableA, cableB]) await must('ip', ['link', 'set', c, 'up']);
    await must('ovs-vsctl', ['add-port', brA, cableA]);
    await must('ovs-vsctl', ['add-port', brB, cableB]);
    await pollUntil('the link between the two switches', async () => (await api('GET', '/links')).json?.length >= 2 || undefined, 30_000, 200);

    t.equal((await api('POST', '/networks', { name: `${p}-x`, subnet: `10.${octet}.1.0/24`, bridge: brA })).status, 201);
    t.equal((await api('POST', '/networks', { name: `${p}-y`, subnet: `10.${octet}.2.0/24`, bridge: brB })).status, 201);
    for (const c of containers) await runContainer(c);
    const x1 = await api('POST', `/networks/${p}-x/endpoints`, { container: ct('x1') });
    const x2 = await api('POST', `/networks/${p}-x/endpoints`, { container: ct('x2'), bridge: brB });
    const y1 = await api('POST', `/networks/${p}-y/endpoints`, { container: ct('y1') });
    t.equal(x1.status, 201);
    t.equal(x2.status, 201, JSON.stringify(x2.json));
    t.equal(y1.status, 201);
    t.equal(x1.json.dpid, '00000000000000a1', 'x1 on the first switch');
    t.equal(x2.json.dpid, '00000000000000b2', 'x2 on the second switch');
    t.equal(x2.json.bridge, brB);
    t.equal(y1.json.dpid, '00000000000000b2', 'y1 (another network) on the second switch');

    await pollUntil('x1 reaches x2 across the link', () => pings(ct('x1'), x2.json.ip, 1), 20_000, 300);
    t.ok(await pings(ct('x2'), x1.json.ip), 'x2 reaches x1 back');
    t.ok(await pings(ct('x2'), `10.${octet}.1.1`), 'x2 reaches its gateway from the other switch');
    t.notOk(await pings(ct('y1'), x2.json.ip, 1), 'y1 (another network, same switch as x2) does not reach x2');
    t.notOk(await pings(ct('x1'), y1.json.ip, 1), 'x1 does not reach y1');
    const transit = (await dumpFlows(brB)).filter((l) => l.includes('priority=42000') && l.includes(x1.json.mac));
    t.equal(transit.length, 1, 'the second switch takes x1\'s traffic off the link into its network (priority 42000, eth_src)');
    const towards = (await dumpFlows(brA)).filter((l) => l.includes('table=1') && l.includes(`dl_dst=${x2.json.mac}`));
    t.equal(towards.length, 1, 'the first switch sends towards x2 over the link');

    t.equal((await api('DELETE', `/networks/${p}-x/endpoints/${ct('x2')}`)).status, 204, 'detached from the other bridge');
    const ports = (await run('ovs-vsctl', ['list-ports', brB])).stdout.split('\n').filter(Boolean);
    t.notOk(ports.includes(x2.json.port_name), 'its port is gone from the second bridge');
    t.equal((await api('POST', `/networks/${p}-x/endpoints`, { container: ct('x2'), bridge: `${p}none` })).status >= 400, true, 'a bridge that does not exist is refused');
  });
}
