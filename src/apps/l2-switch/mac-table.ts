import { dstKey } from './l2-flows.js';

/** A MAC on a VLAN (null: untagged). Learning is per VLAN, as on a real bridge. */
export interface MacAt {
  readonly mac: string;
  readonly vlan: number | null;
  readonly port: number;
  /** Its dst flow's key, built once: the packet-in hot path looks the flow up by it on every packet. */
  readonly flowKey: string;
}

export type Learned = 'new' | 'moved' | 'same';

/**
 * Per VLAN, then per MAC. Two lookups on strings the packet parser made
 * (V8 hashes a string once) instead of one on a "vlan/mac" key built and
 * hashed again for every packet: this is on the hot path of every packet-in.
 */
class ByVlan<T> {
  private readonly vlans = new Map<number | null, Map<string, T>>();
  get(vlan: number | null, mac: string): T | undefined {
    return this.vlans.get(vlan)?.get(mac);
  }
  set(vlan: number | null, mac: string, v: T): void {
    let m = this.vlans.get(vlan);
    if (m === undefined) this.vlans.set(vlan, (m = new Map()));
    m.set(mac, v);
  }
  delete(vlan: number | null, mac: string): boolean {
    const m = this.vlans.get(vlan);
    if (m === undefined || !m.delete(mac)) return false;
    if (m.size === 0) this.vlans.delete(vlan);
    return true;
  }
  *values(): IterableIterator<T> {
    for (const m of this.vlans.values()) yield* m.values();
  }
  get size(): number {
    let n = 0;
    for (const m of this.vlans.values()) n += m.size;
    return n;
  }
  clear(): void {
    this.vlans.clear();
  }
}

/**
 * One switch's learned MACs (each backed by one flow on the switch) and the
 * MACs it is waiting to hear from (each backed by a catch flow).
 */
export class MacTable {
  private readonly entries = new ByVlan<MacAt>();
  private readonly catching = new ByVlan<true>();

  portOf(vlan: number | null, mac: string): number | undefined {
    return this.entries.get(vlan, mac)?.port;
  }

  entry(vlan: number | null, mac: string): MacAt | undefined {
    return this.entries.get(vlan, mac);
  }

  learn(vlan: number | null, mac: string, port: number): Learned {
    const before = this.entries.get(vlan, mac);
    if (before?.port === port) return 'same';
    this.entries.set(vlan, mac, { mac, vlan, port, flowKey: before?.flowKey ?? dstKey(vlan, mac) });
    return before === undefined ? 'new' : 'moved';
  }

  forget(vlan: number | null, mac: string): boolean {
    return this.entries.delete(vlan, mac);
  }

  /** Forgets every MAC learned on `port` and returns them (their flows are stale). */
  forgetPort(port: number): MacAt[] {
    const gone = [...this.entries.values()].filter((e) => e.port === port);
    for (const e of gone) this.entries.delete(e.vlan, e.mac);
    return gone;
  }

  /** Marks a MAC as awaited; false when it already was. */
  startCatching(vlan: number | null, mac: string): boolean {
    if (this.catching.get(vlan, mac) !== undefined) return false;
    this.catching.set(vlan, mac, true);
    return true;
  }

  /** True when the MAC was awaited (its catch flow should go). */
  stopCatching(vlan: number | null, mac: string): boolean {
    return this.catching.delete(vlan, mac);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A host's attachment: the switch and edge port where its packets enter the network. */
export interface Place {
  readonly dpid: string;
  readonly port: number;
}

/**
 * MACs seen arriving on edge ports (not inter-switch ports), network-wide.
 * On a tree, where a host is attached says where every switch would learn
 * it, so one sighting teaches them all.
 */
export class HostPlaces {
  private readonly places = new ByVlan<Place & { readonly vlan: number | null; readonly mac: string }>();

  get(vlan: number | null, mac: string): Place | undefined {
    return this.places.get(vlan, mac);
  }

  set(vlan: number | null, mac: string, at: Place): Learned {
    const before = this.places.get(vlan, mac);
    if (before?.dpid === at.dpid && before.port === at.port) return 'same';
    this.places.set(vlan, mac, { vlan, mac, dpid: at.dpid, port: at.port });
    return before === undefined ? 'new' : 'moved';
  }

  /** Forgets the MAC if it is attached to `dpid`. */
  forget(vlan: number | null, mac: string, dpid: string): void {
    if (this.places.get(vlan, mac)?.dpid === dpid) this.places.delete(vlan, mac);
  }

  /** Forgets every MAC attached to `dpid` (on `port`, when given). */
  forgetAt(dpid: string, port?: number): void {
    const gone = [...this.places.values()].filter((p) => p.dpid === dpid && (port === undefined || p.port === port));
    for (const p of gone) this.places.delete(p.vlan, p.mac);
  }

  clear(): void {
    this.places.clear();
  }
}
