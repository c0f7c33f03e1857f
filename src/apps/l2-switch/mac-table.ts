/** Where each MAC was last seen on one switch, and which flow keys send to it. */
export class MacTable {
  private readonly ports = new Map<string, number>();
  private readonly keysTo = new Map<string, Set<string>>();

  portOf(mac: string): number | undefined {
    return this.ports.get(mac);
  }

  /** Returns the previous port when the MAC moved (its flows are then stale). */
  learn(mac: string, port: number): number | undefined {
    const before = this.ports.get(mac);
    this.ports.set(mac, port);
    return before !== undefined && before !== port ? before : undefined;
  }

  addFlow(dstMac: string, key: string): void {
    let s = this.keysTo.get(dstMac);
    if (!s) this.keysTo.set(dstMac, (s = new Set()));
    s.add(key);
  }

  /** Forget a MAC and hand back the keys of flows involving it. */
  forget(mac: string): string[] {
    this.ports.delete(mac);
    const keys = [...(this.keysTo.get(mac) ?? [])];
    this.keysTo.delete(mac);
    return keys;
  }

  get size(): number {
    return this.ports.size;
  }

  clear(): void {
    this.ports.clear();
    this.keysTo.clear();
  }
}
