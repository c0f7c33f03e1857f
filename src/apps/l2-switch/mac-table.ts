/** A MAC on a VLAN (null: untagged). Learning is per VLAN, as on a real bridge. */
export interface MacAt {
  readonly mac: string;
  readonly vlan: number | null;
  readonly port: number;
}

export type Learned = 'new' | 'moved' | 'same';

const keyOf = (vlan: number | null, mac: string): string => `${vlan ?? '-'}/${mac}`;

/**
 * One switch's learned MACs (each backed by one flow on the switch) and the
 * MACs it is waiting to hear from (each backed by a catch flow).
 */
export class MacTable {
  private readonly entries = new Map<string, MacAt>();
  private readonly catching = new Set<string>();

  portOf(vlan: number | null, mac: string): number | undefined {
    return this.entries.get(keyOf(vlan, mac))?.port;
  }

  learn(vlan: number | null, mac: string, port: number): Learned {
    const k = keyOf(vlan, mac);
    const before = this.entries.get(k);
    if (before?.port === port) return 'same';
    this.entries.set(k, { mac, vlan, port });
    return before === undefined ? 'new' : 'moved';
  }

  forget(vlan: number | null, mac: string): boolean {
    return this.entries.delete(keyOf(vlan, mac));
  }

  /** Forgets every MAC learned on `port` and returns them (their flows are stale). */
  forgetPort(port: number): MacAt[] {
    const gone = [...this.entries.values()].filter((e) => e.port === port);
    for (const e of gone) this.entries.delete(keyOf(e.vlan, e.mac));
    return gone;
  }

  /** Marks a MAC as awaited; false when it already was. */
  startCatching(vlan: number | null, mac: string): boolean {
    const k = keyOf(vlan, mac);
    if (this.catching.has(k)) return false;
    this.catching.add(k);
    return true;
  }

  /** True when the MAC was awaited (its catch flow should go). */
  stopCatching(vlan: number | null, mac: string): boolean {
    return this.catching.delete(keyOf(vlan, mac));
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
  private readonly places = new Map<string, Place & { readonly vlan: number | null; readonly mac: string }>();

  get(vlan: number | null, mac: string): Place | undefined {
    return this.places.get(keyOf(vlan, mac));
  }

  set(vlan: number | null, mac: string, at: Place): Learned {
    const k = keyOf(vlan, mac);
    const before = this.places.get(k);
    if (before?.dpid === at.dpid && before.port === at.port) return 'same';
    this.places.set(k, { vlan, mac, dpid: at.dpid, port: at.port });
    return before === undefined ? 'new' : 'moved';
  }

  /** Forgets the MAC if it is attached to `dpid`. */
  forget(vlan: number | null, mac: string, dpid: string): void {
    const k = keyOf(vlan, mac);
    if (this.places.get(k)?.dpid === dpid) this.places.delete(k);
  }

  /** Forgets every MAC attached to `dpid` (on `port`, when given). */
  forgetAt(dpid: string, port?: number): void {
    for (const [k, p] of this.places) if (p.dpid === dpid && (port === undefined || p.port === port)) this.places.delete(k);
  }

  clear(): void {
    this.places.clear();
  }
}
