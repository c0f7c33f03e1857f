// Docker for integration tests: the engine (started by scripts/lib/docker.sh
// when it is missing), the offline busybox image, containers by name.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUnavailable, must, ovsAvailable, REPO_ROOT, run, type RunResult } from './ovs.js';

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

/** What every container-net Docker test starts from: a name prefix of its own, a subnet octet, a state dir. */
export interface DockerTestbed {
  /** Five characters, `tag` plus three random: bridges, plugins, networks and veths all start with it. */
  readonly prefix: string;
  /** 100..199, for `10.${octet}.x.0/24` subnets that other runs are unlikely to use. */
  readonly octet: number;
  /** A container name under the prefix. */
  ct(name: string): string;
  /** A fresh state directory whose config.json holds container-net's config. */
  stateWithConfig(cnet: Record<string, unknown>): { stateDir: string; config: string };
  /** Delete the veths container-net made under the prefix (`${prefix}h...`, `${prefix}c...`) and the given bridges. */
  removeLinks(bridges: readonly string[]): Promise<void>;
}

/**
 * As root: Open vSwitch and the Docker engine are up (or the test fails),
 * and the testbed is returned. Not root: the file plans 0 tests with one
 * line saying why, and undefined is returned.
 */
export async function dockerTestbed(t: { plan(n: number, comment?: string): void }, tag: string): Promise<DockerTestbed | undefined> {
  if (process.getuid?.() !== 0) {
    t.plan(0, 'container-net Docker tests need root');
    return undefined;
  }
  const ovs = await ovsAvailable();
  if (isUnavailable(ovs)) throw new Error(ovs.unavailable);
  await ensureDocker();
  const prefix = `${tag}${randomBytes(2).readUInt16BE(0).toString(36).padStart(3, '0').slice(-3)}`;
  return {
    prefix,
    octet: 100 + (randomBytes(1)[0]! % 100),
    ct: (name) => `${prefix}${name}`,
    stateWithConfig(cnet) {
      const stateDir = mkdtempSync(join(tmpdir(), `${tag}-cnet-state-`));
      const config = join(stateDir, 'config.json');
      writeFileSync(config, JSON.stringify({ apps_config: { 'container-net': cnet } }));
      return { stateDir, config };
    },
    async removeLinks(bridges) {
      for (const b of bridges) await run('ovs-vsctl', ['--if-exists', 'del-br', b]);
      const links = await run('ip', ['-o', 'link', 'show']);
      for (const m of links.stdout.matchAll(new RegExp(`^\\d+: (${prefix}[hc][0-9a-f]{9})`, 'gm'))) await run('ip', ['link', 'del', m[1]!]);
    },
  };
}
