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
