// The veth pair of an endpoint and the container's side of it (what
// ovs-docker does by hand): one end stays on the host and goes into the
// bridge, the other moves into the container's network namespace.

import { run } from './exec.js';

/** Host-side names: the prefix, then h (host) or c (container) and 9 hex digits of the endpoint id (15 characters at most). */
export function vethNames(prefix: string, endpointId: string): { host: string; peer: string } {
  const tag = endpointId.slice(0, 9);
  return { host: `${prefix}h${tag}`, peer: `${prefix}c${tag}` };
}

export async function createVeth(host: string, peer: string): Promise<void> {
  await run('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', peer]);
  await run('ip', ['link', 'set', host, 'up']);
}

/** Deleting one end removes both, wherever the other end is. */
export async function deleteLink(name: string): Promise<void> {
  await run('ip', ['link', 'del', name]).catch(() => undefined);
}

export async function linkExists(name: string): Promise<boolean> {
  return run('ip', ['link', 'show', name]).then(() => true, () => false);
}

const inNs = (pid: number, args: string[]): Promise<string> => run('nsenter', ['-t', String(pid), '-n', ...args]);

/** The first ethN name free inside the container (a container on several networks has eth0, eth1, ...). */
async function freeEthName(pid: number): Promise<string> {
  const out = await inNs(pid, ['ip', '-o', 'link', 'show']);
  const used = new Set([...out.matchAll(/^\d+:\s+([^:@\s]+)/gm)].map((m) => m[1]));
  for (let i = 0; ; i++) if (!used.has(`eth${i}`)) return `eth${i}`;
}

/**
 * Move `peer` into the container of `pid` and configure it: MAC, address,
 * up, and a default route through the gateway unless the container has one.
 * Returns the interface name inside.
 */
export async function plugIntoContainer(pid: number, peer: string, o: { mac: string; ip: string; prefix: number; gateway: string }): Promise<string> {
  await run('ip', ['link', 'set', peer, 'netns', String(pid)]);
  const name = await freeEthName(pid);
  await inNs(pid, ['ip', 'link', 'set', peer, 'name', name]);
  await inNs(pid, ['ip', 'link', 'set', name, 'address', o.mac]);
  await inNs(pid, ['ip', 'addr', 'add', `${o.ip}/${o.prefix}`, 'dev', name]);
  await inNs(pid, ['ip', 'link', 'set', name, 'up']);
  const routes = await inNs(pid, ['ip', 'route', 'show', 'default']);
  if (routes.trim() === '') await inNs(pid, ['ip', 'route', 'add', 'default', 'via', o.gateway, 'dev', name]);
  return name;
}
