// Mininet hosts that are Docker containers (mininet/docker_host.py), in the
// classic Containernet example (mininet/examples/containernet.py): d1 and d2
// behind s1 and s2, a 1 Mbit/s link between the switches, Switchyard's
// l2-switch forwarding. Real Docker, real Mininet, real Open vSwitch.
import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startController, ofPort } from '../helpers/controller.js';
import { mininetAvailable, MININET_PYTHON } from '../helpers/mininet.js';
import { missingTool, must, REPO_ROOT, run } from '../helpers/ovs.js';

const exec = promisify(execFile);
const PREFIX = `lbk${process.pid % 100}`;

interface ExampleResult {
  connected: boolean;
  ping_received: number;
  docker_ping: boolean;
  container_addr: boolean;
  iperf3_bps: number | null;
  iperf3_error?: string;
  intfs: string[];
  containers: string[];
}

async function leftovers(): Promise<{ containers: string[]; bridges: string[]; links: string[] }> {
  const containers = (await must('docker', ['ps', '-a', '--format', '{{.Names}}'])).split('\n').filter((n) => n.startsWith(PREFIX));
  const bridges = (await must('ovs-vsctl', ['list-br'])).split('\n').filter((n) => n.startsWith(PREFIX));
  const links = (await must('ip', ['-o', 'link'])).split('\n').map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter((n) => n.startsWith(PREFIX));
  return { containers, bridges, links };
}

const avail = await mininetAvailable();
// As root a missing Mininet or OVS is a failure (missingTool throws), not a skip.
const skip = missingTool(avail);

t.test('containernet example: d1 pings d2 and iperf3 gets ~1 Mbit/s through Switchyard; nothing left behind', { skip, timeout: 240_000 }, async (t) => {
  // As root a missing Docker is a failure, not a skip: this starts the engine and the image, or throws.
  await exec('bash', [`${REPO_ROOT}scripts/lib/docker.sh`, 'start'], { timeout: 120_000 });
  const c = await startController({ apps: ['l2-switch'] });
  t.teardown(() => c.stop());
  const r = await run(MININET_PYTHON, [`${REPO_ROOT}mininet/examples/containernet.py`, '--controller', `127.0.0.1:${ofPort(c)}`, '--prefix', PREFIX, '--test'], 180_000);
  t.equal(r.code, 0, `the example exits 0: ${r.stderr.slice(-800)}`);
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? '{}';
  const res = JSON.parse(line) as ExampleResult;
  t.ok(res.connected, 'both switches connected to Switchyard');
  t.equal(res.ping_received, 3, 'd1 ping d2: 3 of 3 (Mininet shell in the container netns)');
  t.ok(res.docker_ping, 'docker exec d1 ping d2 (busybox ping in the container proper) works too');
  t.ok(res.container_addr, "docker exec d2 ip addr shows Mininet's address: the veth is in the container");
  t.ok(res.iperf3_bps !== null, `iperf3 ran: ${res.iperf3_error ?? ''}`);
  if (res.iperf3_bps !== null) {
    const mbps = res.iperf3_bps / 1e6;
    t.ok(mbps > 0.8 && mbps < 1.2, `iperf3 d1 → d2 at ${mbps.toFixed(3)} Mbit/s, within 20% of the 1 Mbit/s limit`);
  }
  t.match(r.stderr + r.stdout, /no netem qdisc: delay=100ms ignored \(bandwidth limit kept\)/, 'the delay is dropped with one clear line');
  t.notMatch(r.stderr, /Traceback|Specified qdisc kind is unknown/, 'no exception, no raw tc error');
  const left = await leftovers();
  t.same(left, { containers: [], bridges: [], links: [] }, 'no container, bridge or veth with the prefix is left');
});

t.test('a container name already in use is an error, and that container is left alone', { skip, timeout: 120_000 }, async (t) => {
  await exec('bash', [`${REPO_ROOT}scripts/lib/docker.sh`, 'start'], { timeout: 120_000 });
  const name = `${PREFIX}d1`;
  await must('docker', ['run', '-d', '--name', name, '--network', 'none', 'local/busybox:1', 'sleep', '600']);
  t.teardown(() => run('docker', ['rm', '-f', name]).then(() => undefined));
  const r = await run(MININET_PYTHON, [`${REPO_ROOT}mininet/examples/containernet.py`, '--controller', '127.0.0.1:1', '--prefix', PREFIX, '--test'], 90_000);
  t.not(r.code, 0, 'the example fails');
  t.match(r.stderr, new RegExp(`a container named ${name} exists already`), 'and says why');
  t.equal((await must('docker', ['inspect', '-f', '{{.State.Running}}', name])).trim(), 'true', "the other container still runs");
  const left = await leftovers();
  t.same({ ...left, containers: left.containers.filter((n) => n !== name) }, { containers: [], bridges: [], links: [] }, 'nothing else left behind');
});
