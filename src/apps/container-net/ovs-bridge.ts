// The OVS side: the bridge the networks live on and the ports of their
// endpoints, through ovs-vsctl (the database is the interface OVS keeps
// stable; ofport numbers survive restarts of vswitchd and of us).

import { createHash } from 'node:crypto';
import { run } from './exec.js';

const vsctl = (...args: string[]): Promise<string> => run('ovs-vsctl', ['--timeout=10', ...args]);

/** A datapath id for a bridge we create, stable for its name (so a restart finds the same switch). */
export function dpidForBridge(name: string): string {
  return '5359' + createHash('sha256').update(name).digest('hex').slice(0, 12);
}

export async function bridgeExists(name: string): Promise<boolean> {
  try {
    await vsctl('br-exists', name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Create the bridge if it is missing: userspace datapath (no kernel module
 * here), OpenFlow 1.3, fail-mode secure (nothing forwards unless we say so).
 */
export async function ensureBridge(name: string): Promise<void> {
  await vsctl('--may-exist', 'add-br', name, '--', 'set', 'bridge', name, 'datapath_type=netdev', 'protocols=OpenFlow13', 'fail_mode=secure',
    `other-config:datapath-id=${dpidForBridge(name)}`);
  await run('ip', ['link', 'set', name, 'up']).catch(() => undefined);
}

/** Point the bridge at this controller (a restarted controller may listen elsewhere). */
export async function setController(bridge: string, target: string): Promise<void> {
  const now = (await vsctl('get-controller', bridge)).trim();
  if (now === target) return;
  await vsctl('set-controller', bridge, target);
}

export async function datapathId(bridge: string): Promise<string> {
  return (await vsctl('get', 'bridge', bridge, 'datapath_id')).trim().replace(/"/g, '');
}

export async function addPort(bridge: string, port: string, externalIds: Readonly<Record<string, string>>): Promise<void> {
  const ids = Object.entries(externalIds).map(([k, v]) => `external_ids:${k}=${JSON.stringify(v)}`);
  await vsctl('--may-exist', 'add-port', bridge, port, '--', 'set', 'interface', port, ...ids);
}

export async function delPort(bridge: string, port: string): Promise<void> {
  await vsctl('--if-exists', 'del-port', bridge, port);
}

/** The OpenFlow port number OVS gave the interface (it assigns it a moment after add-port). */
export async function ofport(port: string, timeoutMs = 10_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const n = Number((await vsctl('get', 'interface', port, 'ofport')).trim());
    if (Number.isInteger(n) && n > 0) return n;
    if (Date.now() > until) throw new Error(`OVS gave interface ${port} no OpenFlow port number (ofport ${n}); see ovs-vsctl list interface ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
