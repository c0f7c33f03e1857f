import type { DesiredFlow } from './flow-spec.js';

/**
 * The flows one switch should hold, by owner and key, with an index by
 * slot (table + priority + match): a switch keeps one flow per slot, so the
 * index is what a flow dump or a flow_removed is looked up in. Survives
 * disconnects so a reconnect can be reconciled.
 */
export class DesiredCache {
  private readonly byOwner = new Map<string, Map<string, DesiredFlow>>();
  readonly bySlot = new Map<string, DesiredFlow>();

  get size(): number {
    return this.bySlot.size;
  }

  get(owner: string, key: string): DesiredFlow | undefined {
    return this.byOwner.get(owner)?.get(key);
  }

  /** The flow holding a slot, whoever owns it. */
  atSlot(slot: string): DesiredFlow | undefined {
    return this.bySlot.get(slot);
  }

  /** Store `f`, evicting whatever held its key or its slot (the caller decides what to delete on the switch). */
  put(f: DesiredFlow): void {
    let keys = this.byOwner.get(f.owner);
    if (keys === undefined) this.byOwner.set(f.owner, (keys = new Map()));
    const prevKey = keys.get(f.key);
    if (prevKey !== undefined && this.bySlot.get(prevKey.slot) === prevKey) this.bySlot.delete(prevKey.slot);
    const prevSlot = this.bySlot.get(f.slot);
    if (prevSlot !== undefined) this.byOwner.get(prevSlot.owner)?.delete(prevSlot.key);
    keys.set(f.key, f);
    this.bySlot.set(f.slot, f);
  }

  /** Drop `f` if it is still the cached flow (a newer one under its key stays). Returns whether it was. */
  forget(f: DesiredFlow): boolean {
    const keys = this.byOwner.get(f.owner);
    if (keys?.get(f.key) !== f) return false;
    keys.delete(f.key);
    if (this.bySlot.get(f.slot) === f) this.bySlot.delete(f.slot);
    return true;
  }

  /** Forget every flow of one owner; returns how many there were. */
  forgetOwner(owner: string): number {
    const keys = this.byOwner.get(owner);
    if (keys === undefined) return 0;
    for (const f of keys.values()) if (this.bySlot.get(f.slot) === f) this.bySlot.delete(f.slot);
    this.byOwner.delete(owner);
    return keys.size;
  }

  ownerFlows(owner: string): IterableIterator<DesiredFlow> | readonly DesiredFlow[] {
    return this.byOwner.get(owner)?.values() ?? [];
  }
}
