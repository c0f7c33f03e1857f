// PATCH /switches/:dpid/ports/:port: a PORT_MOD, confirmed by barrier, then
// the port as the switch reports it in its PORT_STATUS. The barrier says the
// switch processed the change; the PORT_STATUS says what the port is now.
import type { Port } from '../openflow/structs/port.js';
import type { PortMod } from '../openflow/messages/port-mod.js';
import type { SwitchRecord } from '../core/switches.js';
import type { AnyCoreEvent } from '../core/events.js';
import type { ApiContext } from './context.js';
import { ApiError, badRequest } from './errors.js';
import { portNotFound } from './json/switch.js';

/** The body: admin state and the other OF 1.3 ofp_port_config bits, each optional. */
export interface PortChange {
  readonly admin?: 'up' | 'down';
  readonly no_recv?: boolean;
  readonly no_fwd?: boolean;
  readonly no_packet_in?: boolean;
  /** OpenFlow 1.0 only; named here so the answer can say so. */
  readonly no_flood?: boolean;
}

export const portChangeSchema = {
  type: 'object',
  description: 'ofp_port_config bits to set or clear; fields left out are not changed',
  properties: {
    admin: { type: 'string', enum: ['up', 'down'], description: 'down sets port_down (the switch stops forwarding on the port)' },
    no_recv: { type: 'boolean', description: 'drop everything received on the port' },
    no_fwd: { type: 'boolean', description: 'drop everything forwarded to the port' },
    no_packet_in: { type: 'boolean', description: 'no packet-ins for packets received on the port' },
    no_flood: { type: 'boolean', description: 'OpenFlow 1.0 only; refused with an explanation' },
  },
  additionalProperties: false,
} as const;

/** How long to wait for the PORT_STATUS after the barrier before answering 202. */
export const PORT_STATUS_WAIT_MS = 2000;

type ConfigBit = 'port_down' | 'no_recv' | 'no_fwd' | 'no_packet_in';

/** config/mask for the PORT_MOD: mask names every bit the body mentions, config the ones to set. */
export function portModBits(change: PortChange): { config: ConfigBit[]; mask: ConfigBit[] } {
  if (change.no_flood !== undefined) {
    throw badRequest('no_flood is an OpenFlow 1.0 port bit that OpenFlow 1.3 removed; to keep flooding off a port, leave it out of flood actions (or set no_fwd to drop all output to it)');
  }
  const config: ConfigBit[] = [];
  const mask: ConfigBit[] = [];
  const bit = (name: ConfigBit, set: boolean | undefined): void => {
    if (set === undefined) return;
    mask.push(name);
    if (set) config.push(name);
  };
  bit('port_down', change.admin === undefined ? undefined : change.admin === 'down');
  bit('no_recv', change.no_recv);
  bit('no_fwd', change.no_fwd);
  bit('no_packet_in', change.no_packet_in);
  if (mask.length === 0) throw badRequest('say what to change: "admin" ("up" or "down"), "no_recv", "no_fwd" or "no_packet_in"');
  return { config, mask };
}

function matches(p: Port, bits: { config: readonly string[]; mask: readonly string[] }): boolean {
  return bits.mask.every((b) => p.config.includes(b) === bits.config.includes(b));
}

export interface PortModResult {
  /** A PORT_STATUS showed the change (false: only the barrier confirmed it). */
  readonly confirmed: boolean;
  readonly port: Port & { port_no: number };
}

/**
 * Send the PORT_MOD and wait for the port to show the change. Resolves with
 * the port when a PORT_STATUS shows it; after PORT_STATUS_WAIT_MS without
 * one, with the port as last reported but with the requested bits (the
 * barrier confirmed the switch applied them) and confirmed false.
 */
export async function applyPortChange(ctx: ApiContext, sw: SwitchRecord, portNo: number, change: PortChange, waitMs = PORT_STATUS_WAIT_MS): Promise<PortModResult> {
  const bits = portModBits(change);
  const before = sw.ports.get(portNo);
  if (before === undefined) throw portNotFound(sw, portNo);
  const msg: Omit<PortMod, 'xid'> = { type: 'port_mod', port_no: portNo, hw_addr: before.hw_addr, config: bits.config, mask: bits.mask, advertise: [] };
  await ctx.core.flows.sendConfirmed(sw.dpid, [msg], 'api');
  // A PORT_STATUS that came before the barrier reply is already in the registry: look there first.
  const now = current(ctx, sw, portNo);
  if (matches(now, bits)) return { confirmed: true, port: now };
  const seen = await new Promise<Port | 'gone' | undefined>((resolve) => {
    const timer = ctx.core.clock.setTimeout(() => finish(undefined), waitMs);
    const stop = ctx.core.events.subscribe((e: AnyCoreEvent) => {
      if (e.type === 'switch.down' && e.data.dpid === sw.id) finish('gone');
      else if ((e.type === 'port.modified' || e.type === 'port.added' || e.type === 'port.removed') && e.data.dpid === sw.id && e.data.port_no === portNo) {
        const p = ctx.core.switches.get(sw.dpid)?.ports.get(portNo);
        if (p === undefined) finish('gone');
        else if (matches(p, bits)) finish(p);
      }
    });
    function finish(v: Port | 'gone' | undefined): void {
      ctx.core.clock.clearTimeout(timer);
      stop();
      resolve(v);
    }
  });
  // Gone: current() throws the 503 (switch left) or 404 (port deleted) that says so.
  if (seen === 'gone') return { confirmed: true, port: current(ctx, sw, portNo) };
  if (seen !== undefined) return { confirmed: true, port: seen as Port & { port_no: number } };
  const last = current(ctx, sw, portNo);
  const config = [...last.config.filter((b) => !bits.mask.includes(b as ConfigBit)), ...bits.config];
  return { confirmed: false, port: { ...last, config } };
}

/** The port now, or the error that says why there is none (the switch left, or deleted the port). */
function current(ctx: ApiContext, sw: SwitchRecord, portNo: number): Port & { port_no: number } {
  const now = ctx.core.switches.get(sw.dpid);
  if (now === undefined) throw new ApiError(503, 'switch_disconnected', `switch ${sw.id} disconnected while its port ${portNo} was being changed`);
  const p = now.ports.get(portNo);
  if (p === undefined) throw portNotFound(now, portNo);
  return p as Port & { port_no: number };
}
