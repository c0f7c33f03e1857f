// dockerd restarted under a running controller: Docker finds the plugin
// again (it rediscovers legacy plugins by their socket on first use), the
// networks made through it are still there on both sides, and containers
// started afterwards get addresses from Switchyard's IPAM and reach each
// other. Runs alone (the integration tests run one file at a time): the
// restart stops every container on the machine that has no restart policy.
import t from 'tap';
import { spawnController, type ControllerProcess } from '../helpers/controller-process.js';
import { docker, dockerTestbed, inspectIp, pings, removeAll, runContainer } from '../helpers/docker.js';
import { must, pollUntil, REPO_ROOT, run } from '../helpers/ovs.js';

const bed = await dockerTestbed(t, 'dr');
if (bed !== undefined) {
  const { prefix: p, octet, ct } = bed;
  const plugin = `${p}plug`;
  const bridge = `${p}br`;
  const [netA, netB] = [`${p}-a`, `${p}-b`];
  const containers = ['a1', 'a2', 'a3', 'b1'].map(ct);
  const { stateDir, config: cfg } = bed.stateWithConfig({ bridge, vethPrefix: p, pluginName: plugin });
  const ctl: ControllerProcess = await spawnController(['--state-dir', stateDir, '--config', cfg, '--apps', 'l2-switch,container-net']);

  t.teardown(async () => {
    await removeAll(containers, [netA, netB]);
    await ctl.kill9();
    await bed.removeLinks([bridge]);
  });

  const networks = async (): Promise<string[]> => {
    const r = await fetch(`${ctl.rest}/networks`);
    return ((await r.json()) as { networks: { name: string }[] }).networks.map((n) => n.name);
  };

  t.test('after dockerd restarts, the plugin is found again and its networks still work', async (t) => {
    await docker('network', 'create', '-d', plugin, '--ipam-driver', plugin, '--subnet', `10.${octet}.1.0/24`, netA);
    await runContainer(ct('a1'), netA);
    await pollUntil('the network known by its name', async () => (await networks()).includes(netA) || undefined, 20_000, 200);

    const before = (await run('pidof', ['dockerd'])).stdout.trim();
    t.ok(before, 'dockerd runs');
    await must('kill', ['-TERM', ...before.split(/\s+/)]);
    await pollUntil('dockerd gone', async () => (await run('pidof', ['dockerd'])).code !== 0 || undefined, 60_000, 200);
    // dockerd's start waits on every plugin network's driver (up to ~15 s each when a plugin is gone).
    await must('env', ['DOCKER_START_TIMEOUT=280', 'bash', `${REPO_ROOT}scripts/lib/docker.sh`, 'start'], 300_000);
    t.not((await run('pidof', ['dockerd'])).stdout.trim(), before, 'a new dockerd');

    t.ok((await docker('network', 'ls', '--format', '{{.Name}}')).split('\n').includes(netA), 'Docker still has the network');
    t.ok((await networks()).includes(netA), 'and so does Switchyard');
    await docker('network', 'create', '-d', plugin, '--ipam-driver', plugin, '--subnet', `10.${octet}.2.0/24`, netB);
    t.pass('a new network through the plugin: Docker found it again');
    await pollUntil('the new network known by its name', async () => (await networks()).includes(netB) || undefined, 20_000, 200);

    await runContainer(ct('a2'), netA);
    await runContainer(ct('a3'), netA);
    await runContainer(ct('b1'), netB);
    const [a2, a3, b1] = [await inspectIp(ct('a2'), netA), await inspectIp(ct('a3'), netA), await inspectIp(ct('b1'), netB)];
    t.match(a2, new RegExp(`^10\\.${octet}\\.1\\.\\d+$`), 'addresses from Switchyard\'s IPAM');
    t.not(a2, a3);
    await pollUntil('a2 reaches a3', () => pings(ct('a2'), a3, 1) || undefined, 20_000, 300);
    t.notOk(await pings(ct('b1'), a2, 1), 'another network still cannot');
  });
}
