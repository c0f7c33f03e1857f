// Directed links between switch ports, as LLDP probes revealed them. Pure
// bookkeeping: no timers, no events, no I/O. The topology service decides
// when to call it and turns the changes it returns into events.

/** One end of a link: a switch (16 hex digits) and a port number. */
export interface PortRef {
  readonly dpid: string;
  readonly port_no: number;
}

/** A link in one direction: a probe sent out of `src` arrived at `dst`. */
export interface Link {
  readonly src: PortRef;
  readonly dst: PortRef;
}

interface Entry extends Link {
  readonly key: string;
  /** When the link was first learned (clock ms). */
  readonly since: number;
  /** When a probe last confirmed it (clock ms). */
  lastSeen: number;
}

/** A dpid as bigint, or as hex text (16 digits, or fewer, with or without 0x or colons). */
export type DpidLike = bigint | string;

/** The 16-hex form of a dpid; text that is not hex stays as given (and so matches nothing). */
export function dpidId(d: DpidLike): string {
  if (typeof d === 'bigint') return d.toString(16).padStart(16, '0');
  const hex = d.toLowerCase().replace(/^0x/, '').replace(/:/g, '');
  return /^[0-9a-f]{1,16}$/.test(hex) ? hex.padStart(16, '0') : d;
}

export const portKey = (dpid: string, port: number): string => `${dpid}/${port}`;
const linkKey = (l: Link): string => `${portKey(l.src.dpid, l.src.port_no)}>${portKey(l.dst.dpid, l.dst.port_no)}`;

/** Deterministic order: by src dpid, src port, dst dpid, dst port (16-hex dpids sort as numbers). */
export function compareLinks(a: Link, b: Link): number {
  return cmp(a.src.dpid, b.src.dpid) || a.src.port_no - b.src.port_no || cmp(a.dst.dpid, b.dst.dpid) || a.dst.port_no - b.dst.port_no;
}
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface ObserveResult {
  /** True when this direction was not known before. */
  readonly added: boolean;
  /** Links that held one of these ports with another peer (a re-cabled port). */
  readonly replaced: readonly Link[];
}

export class LinkTable {
  private readonly byKey = new Map<string, Entry>();
  /** Point-to-point Ethernet: a port sends to one peer and hears from one peer. */
  private readonly bySrc = new Map<string, Entry>();
  private readonly byDst = new Map<string, Entry>();
  private changes = 0;

  /** Bumped on every add or removal, so derived views (the spanning tree) know when to recompute. */
  get version(): number {
    return this.changes;
  }
  get size(): number {
    return this.byKey.size;
  }

  /** A verified probe from `src` arrived at `dst` at time `now`. */
  observe(src: PortRef, dst: PortRef, now: number): ObserveResult {
    const link: Link = { src: { dpid: src.dpid, port_no: src.port_no }, dst: { dpid: dst.dpid, port_no: dst.port_no } };
    const key = linkKey(link);
    const known = this.byKey.get(key);
    if (known) {
      known.lastSeen = now;
      return { added: false, replaced: [] };
    }
    // LLDP's multicast address is not forwarded by 802.1D bridges, so one port
    // has one peer; a new peer on either port means the cable moved.
    const replaced: Link[] = [];
    for (const old of [this.bySrc.get(portKey(src.dpid, src.port_no)), this.byDst.get(portKey(dst.dpid, dst.port_no))]) {
      if (old && this.byKey.has(old.key)) replaced.push(this.delete(old));
    }
    const e: Entry = { ...link, key, since: now, lastSeen: now };
    this.byKey.set(key, e);
    this.bySrc.set(portKey(src.dpid, src.port_no), e);
    this.byDst.set(portKey(dst.dpid, dst.port_no), e);
    this.changes++;
    return { added: true, replaced };
  }

  /** Links not confirmed for longer than `maxAgeMs`, removed. */
  expire(now: number, maxAgeMs: number): Link[] {
    return this.removeWhere((e) => now - e.lastSeen > maxAgeMs);
  }

  /** Links with either end on this port, removed. */
  removePort(dpid: string, port: number): Link[] {
    return this.removeWhere((e) => (e.src.dpid === dpid && e.src.port_no === port) || (e.dst.dpid === dpid && e.dst.port_no === port));
  }

  /** Links with either end on this switch, removed. */
  removeSwitch(dpid: string): Link[] {
    return this.removeWhere((e) => e.src.dpid === dpid || e.dst.dpid === dpid);
  }

  /** True when some link, in either direction, ends on this port. */
  hasPort(dpid: string, port: number): boolean {
    const k = portKey(dpid, port);
    return this.bySrc.has(k) || this.byDst.has(k);
  }

  /** One entry per direction, in deterministic order. */
  all(): Link[] {
    return [...this.byKey.values()].map(plain).sort(compareLinks);
  }

  /** When the link (this direction) was learned and last confirmed, or undefined. */
  times(l: Link): { since: number; lastSeen: number } | undefined {
    const e = this.byKey.get(linkKey(l));
    return e && { since: e.since, lastSeen: e.lastSeen };
  }

  private removeWhere(pred: (e: Entry) => boolean): Link[] {
    const out: Link[] = [];
    for (const e of [...this.byKey.values()]) if (pred(e)) out.push(this.delete(e));
    return out.sort(compareLinks);
  }

  private delete(e: Entry): Link {
    this.byKey.delete(e.key);
    const s = portKey(e.src.dpid, e.src.port_no);
    const d = portKey(e.dst.dpid, e.dst.port_no);
    if (this.bySrc.get(s) === e) this.bySrc.delete(s);
    if (this.byDst.get(d) === e) this.byDst.delete(d);
    this.changes++;
    return plain(e);
  }
}

function plain(e: Link): Link {
  return { src: { dpid: e.src.dpid, port_no: e.src.port_no }, dst: { dpid: e.dst.dpid, port_no: e.dst.port_no } };
}
