// Where each end host is: learned from the packet-ins hosts cause, moved
// when the same MAC shows up at another edge port, forgotten when idle.
//
// Choices, and why:
// - One record per MAC (the VLAN is the last one seen). byMac() then has one
//   answer, and a MAC on two VLANs at once is rare enough to show as moves.
// - A port going down (or a switch leaving) does not remove its hosts: a
//   flap or a reconnect would otherwise churn host.removed/host.added, and
//   the last attachment is still the best answer until the host is seen
//   elsewhere (host.moved) or ages out (host.removed).
// - A link discovered on a port removes the hosts learned there at once:
//   what was learned on it was other switches' flooding, not hosts.
// - An IP belongs to one MAC: the newest claim wins (a DHCP re-lease, a VM
//   that moved). Each host keeps at most `maxAddresses` per family, the
//   newest, so a router (whose MAC carries every routed source IP) cannot
//   grow without bound.
// - There is no event for "a known host gained an IP" (CoreEventMap has
//   none); the records and byIp() are current, events carry the IPs known
//   at the time.

import type { PacketIn } from '../../openflow/messages/packet-in.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { EventBus, HostEventData } from '../events.js';
import { normalizeIp, normalizeMac, sightingOf, type Sighting } from './sighting.js';

export type { Sighting };

/** A host as queries return it: the event shape plus when it was first and last seen (clock ms). */
export interface HostRecord extends HostEventData {
  readonly first_seen: number;
  readonly last_seen: number;
}

export interface HostTrackerOptions {
  /** A host not seen for this long is removed (default 300 000 ms). */
  readonly idleTimeoutMs?: number;
  /** How often idle hosts are looked for (default idleTimeoutMs / 10, between 1 s and 30 s). */
  readonly sweepIntervalMs?: number;
  /** Addresses kept per family per host, newest first to stay (default 16). */
  readonly maxAddresses?: number;
}

export interface HostTrackerDeps {
  readonly events: EventBus;
  readonly clock: Clock;
  /** Hosts are never learned on a port that leads to another switch. */
  readonly topology: { isInterSwitchPort(dpid: string, port: number): boolean };
}

interface Host {
  mac: string;
  vlan: number | null;
  ipv4: string[];
  ipv6: string[];
  dpid: string;
  port_no: number;
  first_seen: number;
  last_seen: number;
}

const atKey = (dpid: string, port: number): string => `${dpid}/${port}`;

export class HostTracker {
  private readonly byMacMap = new Map<string, Host>();
  private readonly ipOwner = new Map<string, string>();
  private readonly byPort = new Map<string, Set<string>>();
  private readonly idleMs: number;
  private readonly maxAddresses: number;
  private readonly timer: TimerHandle;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly deps: HostTrackerDeps,
    opts: HostTrackerOptions = {},
  ) {
    this.idleMs = opts.idleTimeoutMs ?? 300_000;
    this.maxAddresses = opts.maxAddresses ?? 16;
    const sweep = opts.sweepIntervalMs ?? Math.min(30_000, Math.max(1000, Math.floor(this.idleMs / 10)));
    this.timer = deps.clock.setInterval(() => this.expire(), sweep);
    this.unsubscribe = deps.events.on('link.up', (e) => {
      this.removeAt(e.data.src.dpid, e.data.src.port_no);
      this.removeAt(e.data.dst.dpid, e.data.dst.port_no);
    });
  }

  stop(): void {
    this.deps.clock.clearInterval(this.timer);
    this.unsubscribe();
  }

  /**
   * Call with every PACKET_IN the topology service did not claim (it also
   * skips LLDP itself, so calling it for every packet-in is safe). Returns
   * the host record it learned or refreshed, if any.
   */
  handlePacketIn(sw: { readonly id: string }, pi: PacketIn): HostRecord | undefined {
    let inPort: number | undefined;
    for (const f of pi.match) if ('field' in f && f.field === 'in_port') inPort = typeof f.value === 'number' ? f.value : undefined;
    // Reserved ports (LOCAL, CONTROLLER...) are not where a host is attached.
    if (inPort === undefined || inPort >= 0xffffff00) return undefined;
    if (this.deps.topology.isInterSwitchPort(sw.id, inPort)) return undefined;
    const s = sightingOf(pi.data);
    return s && this.observe(sw.id, inPort, s);
  }

  /** Learn from a sighting at (dpid, port); also usable by other sources (a DHCP server app, static config). */
  observe(dpid: string, port: number, s: Sighting): HostRecord {
    const now = this.deps.clock.now();
    let h = this.byMacMap.get(s.mac);
    let from: { dpid: string; port_no: number } | undefined;
    const isNew = h === undefined;
    if (!h) {
      h = { mac: s.mac, vlan: s.vlan, ipv4: [], ipv6: [], dpid, port_no: port, first_seen: now, last_seen: now };
      this.byMacMap.set(h.mac, h);
      this.index(h);
    } else if (h.dpid !== dpid || h.port_no !== port) {
      from = { dpid: h.dpid, port_no: h.port_no };
      this.unindex(h);
      h.dpid = dpid;
      h.port_no = port;
      this.index(h);
    }
    h.vlan = s.vlan;
    h.last_seen = now;
    for (const ip of s.ipv4) this.claim(h, 'ipv4', ip);
    for (const ip of s.ipv6) this.claim(h, 'ipv6', ip);
    // A DHCP server's ACK names the client's address; the client must already be known to place it.
    const client = s.assigned && this.byMacMap.get(s.assigned.mac);
    if (client && s.assigned) this.claim(client, s.assigned.ip.includes(':') ? 'ipv6' : 'ipv4', s.assigned.ip);
    if (isNew) this.deps.events.emit('host.added', eventData(h));
    else if (from) this.deps.events.emit('host.moved', { ...eventData(h), from });
    return record(h);
  }

  /** Every host, sorted by MAC. */
  all(): HostRecord[] {
    return [...this.byMacMap.values()].sort((a, b) => (a.mac < b.mac ? -1 : 1)).map(record);
  }

  /** By MAC in any case, with ':' or '-'. */
  byMac(mac: string): HostRecord | undefined {
    const m = normalizeMac(mac);
    const h = m === undefined ? undefined : this.byMacMap.get(m);
    return h && record(h);
  }

  /** By IPv4 or IPv6 address (any valid spelling). */
  byIp(ip: string): HostRecord | undefined {
    const n = normalizeIp(ip);
    const mac = n === undefined ? undefined : this.ipOwner.get(n);
    const h = mac === undefined ? undefined : this.byMacMap.get(mac);
    return h && record(h);
  }

  /** Hosts attached at this switch port, sorted by MAC. */
  at(dpid: string, port: number): HostRecord[] {
    const macs = [...(this.byPort.get(atKey(dpid.toLowerCase(), port)) ?? [])].sort();
    return macs.map((m) => record(this.byMacMap.get(m)!));
  }

  get size(): number {
    return this.byMacMap.size;
  }

  /** Removes hosts idle for idleTimeoutMs or longer (runs every sweep interval). */
  expire(): void {
    const now = this.deps.clock.now();
    for (const h of [...this.byMacMap.values()]) if (now - h.last_seen >= this.idleMs) this.remove(h);
  }

  private removeAt(dpid: string, port: number): void {
    for (const mac of [...(this.byPort.get(atKey(dpid, port)) ?? [])].sort()) {
      const h = this.byMacMap.get(mac);
      if (h) this.remove(h);
    }
  }

  private remove(h: Host): void {
    this.byMacMap.delete(h.mac);
    this.unindex(h);
    for (const ip of [...h.ipv4, ...h.ipv6]) if (this.ipOwner.get(ip) === h.mac) this.ipOwner.delete(ip);
    this.deps.events.emit('host.removed', eventData(h));
  }

  private claim(h: Host, family: 'ipv4' | 'ipv6', ip: string): void {
    const owner = this.ipOwner.get(ip);
    if (owner !== undefined && owner !== h.mac) {
      const prev = this.byMacMap.get(owner);
      if (prev) prev[family] = prev[family].filter((x) => x !== ip);
    }
    this.ipOwner.set(ip, h.mac);
    const list = h[family].filter((x) => x !== ip);
    list.push(ip);
    // Oldest first in the list, so the overflow drops the address heard of longest ago.
    while (list.length > this.maxAddresses) {
      const old = list.shift()!;
      if (this.ipOwner.get(old) === h.mac) this.ipOwner.delete(old);
    }
    h[family] = list;
  }

  private index(h: Host): void {
    const k = atKey(h.dpid, h.port_no);
    let s = this.byPort.get(k);
    if (!s) this.byPort.set(k, (s = new Set()));
    s.add(h.mac);
  }

  private unindex(h: Host): void {
    const k = atKey(h.dpid, h.port_no);
    const s = this.byPort.get(k);
    s?.delete(h.mac);
    if (s?.size === 0) this.byPort.delete(k);
  }
}

function eventData(h: Host): HostEventData {
  return { mac: h.mac, vlan: h.vlan, ipv4: [...h.ipv4], ipv6: [...h.ipv6], dpid: h.dpid, port_no: h.port_no };
}

function record(h: Host): HostRecord {
  return { ...eventData(h), first_seen: h.first_seen, last_seen: h.last_seen };
}
