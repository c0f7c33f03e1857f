// Where each end host is: learned from the packet-ins hosts cause, moved
// when the same MAC shows up at another edge port, forgotten when idle.
//
// Choices, and why:
// - One record per MAC (the VLAN is the last one seen). byMac() then has one
//   answer, and a MAC on two VLANs at once is rare enough to show as moves.
// - A port going down does not remove its hosts: a flap would otherwise
//   churn host.removed/host.added, and the last attachment is still the best
//   answer until the host is seen elsewhere (host.moved) or ages out.
// - A switch leaving marks its hosts detached (host.updated, detached_at):
//   they are not listed as attached any more, and are forgotten after
//   detachedTimeoutMs unless seen again first (host.updated "attached", or
//   host.moved when they turn up elsewhere). Kept meanwhile, so a switch
//   that reconnects within seconds does not churn host.removed/host.added.
// - A link discovered on a port removes the hosts learned there at once:
//   what was learned on it was other switches' flooding, not hosts.
// - An IP belongs to one MAC: the newest claim wins (a DHCP re-lease, a VM
//   that moved). Each host keeps at most `maxAddresses` per family, the
//   newest, so a router (whose MAC carries every routed source IP) cannot
//   grow without bound.
// - A known host gaining an address is host.updated ("address").
// - A host that only ever answers (its replies follow learned flows and
//   never reach us) would never be given an IPv4 address: when an ARP
//   request asks for an address nobody owns while such hosts are known, the
//   ArpProber asks them for it (arp-prober.ts), and the reply comes to us.

import type { PacketIn } from '../../openflow/messages/packet-in.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { EventBus, HostEventData } from '../events.js';
import { HostCaps, type HostCapOptions } from './host-caps.js';
import { ArpProber, PROBE_MAC, type ArpProbeOptions, type ProbeSend } from './arp-prober.js';
import { normalizeIp, normalizeMac, sightingOf, type Sighting } from './sighting.js';

export type { Sighting };

/** A host as queries return it: the event shape plus when it was first and last seen (clock ms). */
export interface HostRecord extends HostEventData {
  readonly first_seen: number;
  readonly last_seen: number;
  /** False once its switch left, until it is seen again. */
  readonly attached: boolean;
  /** When it was detached (clock ms), or null while attached. */
  readonly detached_at: number | null;
}

export interface HostTrackerOptions {
  /** A host not seen for this long is removed (default 300 000 ms). */
  readonly idleTimeoutMs?: number;
  /** How often idle hosts are looked for (default idleTimeoutMs / 10, between 1 s and 30 s). */
  readonly sweepIntervalMs?: number;
  /** Addresses kept per family per host, newest first to stay (default 16). */
  readonly maxAddresses?: number;
  /** A detached host (its switch left) is removed after this long (default 60 000 ms). */
  readonly detachedTimeoutMs?: number;
  readonly arpProbe?: ArpProbeOptions;
  /** At most this many hosts per switch and in all; the least recently seen make room (host-caps.ts). */
  readonly caps?: HostCapOptions;
}

export interface HostTrackerDeps {
  readonly events: EventBus;
  readonly clock: Clock;
  /** Hosts are never learned on a port that leads to another switch. */
  readonly topology: { isInterSwitchPort(dpid: string, port: number): boolean };
  /** Sends ARP probes (a packet-out on one port); without it no probing happens. */
  readonly probe?: ProbeSend;
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
  detached_at: number | null;
}

const atKey = (dpid: string, port: number): string => `${dpid}/${port}`;

export class HostTracker {
  private readonly byMacMap = new Map<string, Host>();
  private readonly ipOwner = new Map<string, string>();
  private readonly byPort = new Map<string, Set<string>>();
  private readonly idleMs: number;
  private readonly detachedMs: number;
  private readonly prober: ArpProber | undefined;
  private readonly maxAddresses: number;
  private readonly timer: TimerHandle;
  private readonly unsubscribe: (() => void)[];
  /** Bounds the table; its `evicted` counters are in /metrics. */
  readonly caps: HostCaps;

  constructor(
    private readonly deps: HostTrackerDeps,
    opts: HostTrackerOptions = {},
  ) {
    this.idleMs = opts.idleTimeoutMs ?? 300_000;
    this.detachedMs = opts.detachedTimeoutMs ?? 60_000;
    this.maxAddresses = opts.maxAddresses ?? 16;
    this.caps = new HostCaps(opts.caps);
    const sweep = opts.sweepIntervalMs ?? Math.min(30_000, Math.max(1000, Math.floor(Math.min(this.idleMs, this.detachedMs) / 10)));
    this.timer = deps.clock.setInterval(() => this.expire(), sweep);
    this.prober = deps.probe && new ArpProber({
      clock: deps.clock,
      send: deps.probe,
      owned: (ip) => this.ipOwner.has(ip),
      candidates: (limit) => {
        const out: Host[] = [];
        for (const h of this.byMacMap.values()) if (h.detached_at === null && h.ipv4.length === 0 && out.push(h) >= limit) break;
        return out;
      },
    }, opts.arpProbe);
    this.unsubscribe = [
      deps.events.on('link.up', (e) => {
        this.removeAt(e.data.src.dpid, e.data.src.port_no);
        this.removeAt(e.data.dst.dpid, e.data.dst.port_no);
      }),
      deps.events.on('switch.down', (e) => this.detachSwitch(e.data.dpid)),
    ];
  }

  stop(): void {
    this.deps.clock.clearInterval(this.timer);
    this.prober?.stop();
    for (const u of this.unsubscribe) u();
  }

  /**
   * Call with every PACKET_IN the topology service did not claim (it also
   * skips LLDP itself, so calling it for every packet-in is safe). Returns
   * the host record it learned or refreshed, if any.
   */
  handlePacketIn(sw: { readonly id: string }, pi: PacketIn): HostRecord | undefined {
    const h = this.learnFrom(sw, pi);
    return h && record(h);
  }

  /** handlePacketIn without building the record (the packet-in observer's hot path). */
  notePacketIn(sw: { readonly id: string }, pi: PacketIn): void {
    this.learnFrom(sw, pi);
  }

  private learnFrom(sw: { readonly id: string }, pi: PacketIn): Host | undefined {
    let inPort: number | undefined;
    for (const f of pi.match) if ('field' in f && f.field === 'in_port') inPort = typeof f.value === 'number' ? f.value : undefined;
    // Reserved ports (LOCAL, CONTROLLER...) are not where a host is attached.
    if (inPort === undefined || inPort >= 0xffffff00) return undefined;
    if (this.deps.topology.isInterSwitchPort(sw.id, inPort)) return undefined;
    const s = sightingOf(pi.data);
    return s && this.learn(sw.id, inPort, s);
  }

  /** Learn from a sighting at (dpid, port); also usable by other sources (a DHCP server app, static config). */
  observe(dpid: string, port: number, s: Sighting): HostRecord | undefined {
    const h = this.learn(dpid, port, s);
    return h && record(h);
  }

  private learn(dpid: string, port: number, s: Sighting): Host | undefined {
    // Our own probes' source: only ever sent by us, never a host.
    if (s.mac === PROBE_MAC) return undefined;
    const now = this.deps.clock.now();
    let h = this.byMacMap.get(s.mac);
    let from: { dpid: string; port_no: number } | undefined;
    const isNew = h === undefined;
    const wasDetached = h !== undefined && h.detached_at !== null;
    if (!h) {
      h = { mac: s.mac, vlan: s.vlan, ipv4: [], ipv6: [], dpid, port_no: port, first_seen: now, last_seen: now, detached_at: null };
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
    h.detached_at = null;
    let gained = false;
    for (const ip of s.ipv4) gained = this.claim(h, 'ipv4', ip) || gained;
    for (const ip of s.ipv6) gained = this.claim(h, 'ipv6', ip) || gained;
    // A DHCP server's ACK names the client's address; the client must already be known to place it.
    const client = s.assigned && this.byMacMap.get(s.assigned.mac);
    if (client && s.assigned && this.claim(client, s.assigned.ip.includes(':') ? 'ipv6' : 'ipv4', s.assigned.ip) && client !== h) {
      this.deps.events.emit('host.updated', updatedData(client, 'address'));
    }
    this.caps.touch(h.mac, dpid);
    if (isNew) for (const mac of this.caps.overflow(dpid)) this.remove(this.byMacMap.get(mac)!);
    if (isNew) this.deps.events.emit('host.added', eventData(h));
    else if (from) this.deps.events.emit('host.moved', { ...eventData(h), from });
    else if (wasDetached) this.deps.events.emit('host.updated', updatedData(h, 'attached'));
    else if (gained) this.deps.events.emit('host.updated', updatedData(h, 'address'));
    if (s.arpTarget !== undefined) this.prober?.asked(s.arpTarget);
    return h;
  }

  /**
   * Hosts sorted by MAC: those attached, or with `includeDetached` also
   * those whose switch left (attached false) until they age out.
   */
  all(opts: { readonly includeDetached?: boolean } = {}): HostRecord[] {
    return [...this.byMacMap.values()]
      .filter((h) => opts.includeDetached === true || h.detached_at === null)
      .sort((a, b) => (a.mac < b.mac ? -1 : 1))
      .map(record);
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

  /** Hosts attached at this switch port, sorted by MAC (detached ones are not). */
  at(dpid: string, port: number): HostRecord[] {
    const macs = [...(this.byPort.get(atKey(dpid.toLowerCase(), port)) ?? [])].sort();
    return macs.map((m) => this.byMacMap.get(m)!).filter((h) => h.detached_at === null).map(record);
  }

  /** Every known host, attached or detached. */
  get size(): number {
    return this.byMacMap.size;
  }

  /** Removes hosts idle for idleTimeoutMs, and detached ones after detachedTimeoutMs (runs every sweep interval). */
  expire(): void {
    const now = this.deps.clock.now();
    for (const h of [...this.byMacMap.values()]) {
      if (now - h.last_seen >= this.idleMs || (h.detached_at !== null && now - h.detached_at >= this.detachedMs)) this.remove(h);
    }
  }

  private detachSwitch(dpid: string): void {
    const now = this.deps.clock.now();
    const id = dpid.toLowerCase();
    for (const h of [...this.byMacMap.values()].sort((a, b) => (a.mac < b.mac ? -1 : 1))) {
      if (h.dpid !== id || h.detached_at !== null) continue;
      h.detached_at = now;
      this.deps.events.emit('host.updated', updatedData(h, 'detached'));
    }
  }

  private removeAt(dpid: string, port: number): void {
    for (const mac of [...(this.byPort.get(atKey(dpid, port)) ?? [])].sort()) {
      const h = this.byMacMap.get(mac);
      if (h) this.remove(h);
    }
  }

  private remove(h: Host): void {
    this.byMacMap.delete(h.mac);
    this.caps.forget(h.mac);
    this.unindex(h);
    for (const ip of [...h.ipv4, ...h.ipv6]) if (this.ipOwner.get(ip) === h.mac) this.ipOwner.delete(ip);
    this.deps.events.emit('host.removed', eventData(h));
  }

  /** True when the address is new to this host. */
  private claim(h: Host, family: 'ipv4' | 'ipv6', ip: string): boolean {
    // Already this host's newest address: nothing changes (every packet of a known host).
    if (h[family][h[family].length - 1] === ip && this.ipOwner.get(ip) === h.mac) return false;
    const isNew = !h[family].includes(ip);
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
    return isNew;
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

function updatedData(h: Host, change: 'detached' | 'attached' | 'address'): HostEventData & { change: typeof change; attached: boolean; detached_at: number | null } {
  return { ...eventData(h), change, attached: h.detached_at === null, detached_at: h.detached_at };
}

function record(h: Host): HostRecord {
  return { ...eventData(h), first_seen: h.first_seen, last_seen: h.last_seen, attached: h.detached_at === null, detached_at: h.detached_at };
}
