// How many hosts the tracker keeps: at most `maxPerSwitch` attached to one
// switch and `maxTotal` in all. A packet-in storm from one port with 65,536
// source MACs made 64,608 hosts (issue 15, item 2); with caps the least
// recently seen host makes room for a new one, so a storm costs a fixed
// amount of memory and real hosts that keep talking stay known.
//
// Recency is the insertion order of a Map, refreshed by delete + set on every
// sighting: O(1) per packet-in, and the oldest is the first key.

export interface HostCapOptions {
  /** Hosts attached to one switch (default 4096). */
  readonly maxPerSwitch?: number;
  /** Hosts in all (default 16384). */
  readonly maxTotal?: number;
}

export const DEFAULT_HOST_CAPS = { maxPerSwitch: 4096, maxTotal: 16384 } as const;

export class HostCaps {
  readonly maxPerSwitch: number;
  readonly maxTotal: number;
  /** MAC → switch, least recently seen first. */
  private readonly all = new Map<string, string>();
  /** Switch → its MACs, least recently seen first. */
  private readonly bySwitch = new Map<string, Set<string>>();
  /** Hosts evicted to make room, by which cap was full (for /metrics). */
  readonly evicted = { perSwitch: 0, total: 0 };

  constructor(o: HostCapOptions = {}) {
    this.maxPerSwitch = o.maxPerSwitch ?? DEFAULT_HOST_CAPS.maxPerSwitch;
    this.maxTotal = o.maxTotal ?? DEFAULT_HOST_CAPS.maxTotal;
  }

  /** `mac` was seen at `dpid` (new, refreshed or moved): it becomes the most recent. */
  touch(mac: string, dpid: string): void {
    const was = this.all.get(mac);
    if (was !== undefined) {
      this.all.delete(mac);
      this.bySwitch.get(was)?.delete(mac);
    }
    this.all.set(mac, dpid);
    let s = this.bySwitch.get(dpid);
    if (s === undefined) this.bySwitch.set(dpid, (s = new Set()));
    s.add(mac);
  }

  forget(mac: string): void {
    const dpid = this.all.get(mac);
    if (dpid === undefined) return;
    this.all.delete(mac);
    const s = this.bySwitch.get(dpid);
    s?.delete(mac);
    if (s?.size === 0) this.bySwitch.delete(dpid);
  }

  /**
   * The hosts to evict now that `dpid` gained one, least recently seen first:
   * first from that switch while it is over its cap, then from anywhere while
   * the total is. The caller removes them (and calls forget).
   */
  overflow(dpid: string): string[] {
    const out: string[] = [];
    const s = this.bySwitch.get(dpid);
    if (s !== undefined && s.size > this.maxPerSwitch) {
      for (const mac of s) {
        if (s.size - out.length <= this.maxPerSwitch) break;
        out.push(mac);
      }
      this.evicted.perSwitch += out.length;
    }
    const excess = this.all.size - out.length - this.maxTotal;
    if (excess > 0) {
      const chosen = new Set(out);
      let n = 0;
      for (const mac of this.all.keys()) {
        if (n >= excess) break;
        if (chosen.has(mac)) continue;
        out.push(mac);
        n++;
      }
      this.evicted.total += n;
    }
    return out;
  }
}
