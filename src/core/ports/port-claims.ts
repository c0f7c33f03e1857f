import type { EventBus } from '../events.js';

/** A port by number, or by name before the switch has reported it (an app creating a veth knows its name first). */
export type PortSelector = { readonly port_no: number } | { readonly name: string };

const keyOf = (dpid: string, p: PortSelector): string => ('port_no' in p ? `${dpid}#${p.port_no}` : `${dpid}@${p.name}`);

/**
 * Ports an app has taken for itself (container endpoints): nobody else
 * floods into them or forwards to them, so traffic of another app cannot
 * leak in. The topology's flood ports leave claimed ports out; l2-switch
 * floods only there, so one claim keeps both the controller's and the
 * switches' own floods away. Claims go when the app is disabled.
 */
export class PortClaims {
  private readonly owners = new Map<string, string>();

  constructor(private readonly events: EventBus) {}

  /** Claim a port; a port another owner holds is refused (returns that owner). */
  claim(owner: string, dpid: string, port: PortSelector): string | undefined {
    const k = keyOf(dpid, port);
    const held = this.owners.get(k);
    if (held !== undefined && held !== owner) return held;
    if (held === undefined) {
      this.owners.set(k, owner);
      this.events.emit('port.claimed', { dpid, owner, ...port });
    }
    return undefined;
  }

  release(owner: string, dpid: string, port: PortSelector): void {
    const k = keyOf(dpid, port);
    if (this.owners.get(k) !== owner) return;
    this.owners.delete(k);
    this.events.emit('port.released', { dpid, owner, ...port });
  }

  releaseAll(owner: string): void {
    for (const [k, o] of [...this.owners]) {
      if (o !== owner) continue;
      this.owners.delete(k);
      const at = k.search(/[#@]/);
      const dpid = k.slice(0, at);
      const rest = k.slice(at + 1);
      this.events.emit('port.released', { dpid, owner, ...(k[at] === '#' ? { port_no: Number(rest) } : { name: rest }) });
    }
  }

  /** Who holds the port, by number or by name (either claim counts). */
  ownerOf(dpid: string, port_no: number, name?: string): string | undefined {
    if (this.owners.size === 0) return undefined; // the common case: no app claims anything
    return this.owners.get(`${dpid}#${port_no}`) ?? (name === undefined ? undefined : this.owners.get(`${dpid}@${name}`));
  }

  get size(): number {
    return this.owners.size;
  }
}
