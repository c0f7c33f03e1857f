// Docker for integration tests: the engine (started by scripts/lib/docker.sh
// when it is missing), the offline busybox image, containers by name.
import { must, REPO_ROOT, run, type RunResult } from './ovs.js';

export const IMAGE = process.env.SWITCHYARD_TEST_IMAGE ?? 'local/busybox:1';

/** Make sure dockerd answers and the image exists; rejects (the test fails) when that cannot be done. */
export async function ensureDocker(): Promise<void> {
  const ok = async () => (await run('docker', ['version', '--format', '{{.Server.Version}}'])).code === 0 && (await run('docker', ['image', 'inspect', IMAGE])).code === 0;
  if (await ok()) return;
  await must('bash', [`${REPO_ROOT}scripts/lib/docker.sh`, 'start'], 180_000);
  if (!(await ok())) throw new Error('the Docker engine or the test image is not available after scripts/lib/docker.sh start');
}

export function docker(...args: string[]): Promise<string> {
  return must('docker', args, 60_000).then((s) => s.trim());
}

/** A container sleeping until removed (`--network none` unless another network is given). */
export function runContainer(name: string, network = 'none', extra: string[] = []): Promise<string> {
  return docker('run', '-d', '--name', name, '--network', network, ...extra, IMAGE, 'sleep', '3600');
}

export function execIn(name: string, ...cmd: string[]): Promise<RunResult> {
  return run('docker', ['exec', name, ...cmd], 30_000);
}

const pids = new Map<string, number>();

/**
 * One echo request and its reply within `waitS` seconds, sent from inside
 * the container's network namespace (nsenter with the host's ping: a
 * docker exec costs about a second each on a loaded machine).
 */
export async function pings(from: string, ip: string, waitS = 2): Promise<boolean> {
  let pid = pids.get(from);
  if (pid === undefined) {
    pid = Number(await docker('inspect', '-f', '{{.State.Pid}}', from));
    pids.set(from, pid);
  }
  return (await run('nsenter', ['-t', String(pid), '-n', 'ping', '-c', '1', '-W', String(waitS), ip], 30_000)).code === 0;
}

/** The IPv4 address Docker shows for a container on a network. */
export async function inspectIp(name: string, network: string): Promise<string> {
  return docker('inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, name);
}

/** Remove containers and networks by name (missing ones are fine). */
export async function removeAll(containers: readonly string[], networks: readonly string[]): Promise<void> {
  if (containers.length > 0) await run('docker', ['rm', '-f', ...containers], 60_000);
  for (const n of networks) await run('docker', ['network', 'rm', n], 30_000);
}
