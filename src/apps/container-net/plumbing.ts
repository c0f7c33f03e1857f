// Putting an endpoint's port on the bridge and taking it off again, in the
// order that keeps other apps out: the port is claimed (by name) before it
// exists on the bridge, so l2-switch never floods into it even for the
// moment before our flows are in.

import type { AppContext } from '../../core/apps/app-context.js';
import { addPort, bridgeExists, datapathId, delPort, dpidForBridge, ensureBridge, ofport } from './ovs-bridge.js';
import { createVeth, deleteLink, vethNames } from './veth.js';

export interface Plugged {
  readonly host: string;
  readonly peer: string;
  readonly dpid: string;
  readonly port_no: number;
}

/** The bridge's dpid: ours are created on demand, a user's must exist. */
export async function bridgeDpid(bridge: string, own: boolean): Promise<string> {
  if (own) {
    await ensureBridge(bridge);
    return dpidForBridge(bridge);
  }
  if (!(await bridgeExists(bridge))) throw new Error(`OVS has no bridge ${bridge}`);
  return datapathId(bridge);
}

/** Create the veth pair and add its host end to the bridge; undo everything on failure. */
export async function plugHostSide(
  ctx: AppContext,
  o: { bridge: string; own: boolean; prefix: string; endpointId: string; externalIds: Readonly<Record<string, string>> },
): Promise<Plugged> {
  const dpid = await bridgeDpid(o.bridge, o.own);
  const { host, peer } = vethNames(o.prefix, o.endpointId);
  const dp = BigInt('0x' + dpid);
  ctx.ports.claim(dp, { name: host });
  try {
    await createVeth(host, peer);
    await addPort(o.bridge, host, o.externalIds);
    const port_no = await ofport(host);
    ctx.ports.claim(dp, { port_no });
    return { host, peer, dpid, port_no };
  } catch (e) {
    await unplug(ctx, o.bridge, { host, dpid });
    throw e;
  }
}

export async function unplug(ctx: AppContext, bridge: string, p: { host: string; dpid: string; port_no?: number }): Promise<void> {
  await delPort(bridge, p.host).catch(() => undefined);
  await deleteLink(p.host);
  const dp = BigInt('0x' + p.dpid);
  ctx.ports.release(dp, { name: p.host });
  if (p.port_no !== undefined) ctx.ports.release(dp, { port_no: p.port_no });
}
