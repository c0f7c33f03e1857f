// The network as the page knows it: a snapshot from GET /api/v1/topology,
// then events from /api/v1/events applied in sequence order. No DOM here,
// so tests drive it without a browser. A sequence gap (an event whose seq
// is not the next one, or the stream's own stream.gap) asks for a fresh
// snapshot; events the snapshot already reflects are ignored.

export interface PortRef {
  readonly dpid: string;
  readonly port_no: number;
}

export interface PortState {
  readonly port_no: number;
  name: string;
  hw_addr: string;
  up: boolean;
  rx_bps: number;
  tx_bps: number;
}

export interface SwitchNode {
  readonly dpid: string;
  name: string;
  readonly ports: Map<number, PortState>;
}

/** One cable: both directions LLDP found, under one undirected key. */
export interface LinkEdge {
  readonly id: string;
  readonly a: PortRef;
  readonly b: PortRef;
  /** Directions currently discovered ("a>b", "b>a"). */
  readonly directions: Set<string>;
  /** Up when a direction is discovered and both ports are up. */
  up: boolean;
  /** Bits per second on the busier end (the larger of tx and rx on either port). */
  bps: number;
}

/** A host the tracker learned, or an endpoint an app lists (containers). */
export interface HostNode {
  readonly id: string;
  readonly kind: 'host' | 'endpoint';
  mac: string;
  ipv4: readonly string[];
  ipv6: readonly string[];
  vlan: number | null;
  dpid: string | null;
  port_no: number | null;
  name: string | null;
  /** The network it belongs to (an endpoint's network, or null for a plain host). */
  network: string | null;
}

export interface NetworkInfo {
  readonly id: string;
  readonly name: string;
  readonly subnet: string | null;
}

export interface TopologySnapshot {
  readonly seq: number;
  readonly switches: readonly { dpid: string; dp_desc: string; ports: readonly { port_no: number; name: string; hw_addr: string; up: boolean }[] }[];
  readonly links: readonly { src: PortRef; dst: PortRef }[];
  readonly hosts: readonly { mac: string; vlan: number | null; ipv4: readonly string[]; ipv6: readonly string[]; dpid: string; port_no: number }[];
  readonly [section: string]: unknown;
}

export interface StreamEvent {
  readonly seq: number;
  readonly type: string;
  readonly data: unknown;
}

/** What applying something did: the view redraws from the model; `refetch` asks the caller for a snapshot. */
export interface Change {
  readonly structure: boolean;
  readonly stats: boolean;
  readonly refetch: false | 'gap' | 'switch' | 'section';
}

const NONE: Change = { structure: false, stats: false, refetch: false };
const CORE_SECTIONS = new Set(['seq', 'switches', 'links', 'hosts']);

export function linkId(x: PortRef, y: PortRef): string {
  const s = (p: PortRef): string => `${p.dpid}:${p.port_no}`;
  return s(x) < s(y) ? `${s(x)}-${s(y)}` : `${s(y)}-${s(x)}`;
}

/** A display name for a switch: Mininet puts "s1" in dp_desc; otherwise the dpid without leading zeros. */
export function switchName(dpid: string, dpDesc: string): string {
  const d = dpDesc.trim();
  if (d !== '' && d.length <= 24 && !/^None$/i.test(d)) return d;
  return dpid.replace(/^0+(?=.)/, '');
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
function strings(...vs: unknown[]): string[] {
  return vs.flatMap((v) => (Array.isArray(v) ? v : v === undefined ? [] : [v])).filter((x): x is string => typeof x === 'string' && x !== '').map((x) => x.replace(/\/\d+$/, ''));
}

export class TopologyModel {
  seq = -1;
  readonly switches = new Map<string, SwitchNode>();
  readonly links = new Map<string, LinkEdge>();
  readonly hosts = new Map<string, HostNode>();
  readonly networks = new Map<string, NetworkInfo>();
  /** Bumped on every structural change: views compare it to know whether to redraw. */
  version = 0;

  applySnapshot(s: TopologySnapshot): Change {
    const oldLinks = new Map(this.links);
    const rates = new Map<string, { rx: number; tx: number }>();
    for (const sw of this.switches.values()) for (const p of sw.ports.values()) rates.set(`${sw.dpid}:${p.port_no}`, { rx: p.rx_bps, tx: p.tx_bps });
    this.switches.clear();
    this.links.clear();
    this.hosts.clear();
    this.networks.clear();
    for (const sw of s.switches) {
      const ports = new Map<number, PortState>();
      for (const p of sw.ports) {
        const r = rates.get(`${sw.dpid}:${p.port_no}`);
        ports.set(p.port_no, { port_no: p.port_no, name: p.name, hw_addr: p.hw_addr, up: p.up, rx_bps: r?.rx ?? 0, tx_bps: r?.tx ?? 0 });
      }
      this.switches.set(sw.dpid, { dpid: sw.dpid, name: switchName(sw.dpid, sw.dp_desc), ports });
    }
    for (const l of s.links) this.addDirection(l.src, l.dst);
    // A cable that went away while both switches stay is kept, marked down: a user watching it fail should see where.
    for (const [id, l] of oldLinks) {
      if (this.links.has(id) || !this.switches.has(l.a.dpid) || !this.switches.has(l.b.dpid)) continue;
      l.directions.clear();
      this.links.set(id, l);
    }
    for (const h of s.hosts) this.upsertHost(h);
    this.readSections(s);
    this.seq = s.seq;
    this.refreshLinks();
    this.version++;
    return { structure: true, stats: true, refetch: false };
  }

  /** Apply one stream message. */
  apply(e: StreamEvent): Change {
    if (e.type === 'stream.gap') return { ...NONE, refetch: 'gap' };
    if (this.seq < 0 || e.seq <= this.seq) return NONE; // before any snapshot, or already in it
    if (e.seq !== this.seq + 1) return { ...NONE, refetch: 'gap' };
    this.seq = e.seq;
    const c = this.applyData(e.type, e.data as Record<string, any>);
    if (c.structure) this.version++;
    return c;
  }

  private applyData(type: string, d: Record<string, any>): Change {
    switch (type) {
      case 'switch.up':
        if (!this.switches.has(d.dpid)) this.switches.set(d.dpid, { dpid: d.dpid, name: switchName(d.dpid, ''), ports: new Map() });
        // The event has no port list or description: the snapshot does.
        return { structure: true, stats: false, refetch: 'switch' };
      case 'switch.down': {
        this.switches.delete(d.dpid);
        for (const [id, l] of this.links) if (l.a.dpid === d.dpid || l.b.dpid === d.dpid) this.links.delete(id);
        for (const [id, h] of this.hosts) if (h.dpid === d.dpid && h.kind === 'host') this.hosts.delete(id);
        return { ...NONE, structure: true };
      }
      case 'port.added':
      case 'port.modified': {
        const sw = this.switches.get(d.dpid);
        if (!sw) return NONE;
        const old = sw.ports.get(d.port_no);
        sw.ports.set(d.port_no, { port_no: d.port_no, name: d.name, hw_addr: d.hw_addr, up: d.up === true, rx_bps: old?.rx_bps ?? 0, tx_bps: old?.tx_bps ?? 0 });
        this.refreshLinks();
        return { ...NONE, structure: true };
      }
      case 'port.removed': {
        this.switches.get(d.dpid)?.ports.delete(d.port_no);
        this.refreshLinks();
        return { ...NONE, structure: true };
      }
      case 'link.up':
        this.addDirection(d.src, d.dst);
        this.refreshLinks();
        return { ...NONE, structure: true };
      case 'link.down': {
        const l = this.links.get(linkId(d.src, d.dst));
        if (l) l.directions.delete(this.dirKey(l, d.src));
        this.refreshLinks();
        return { ...NONE, structure: true };
      }
      case 'host.added':
      case 'host.moved':
      case 'host.updated': // an address learned (or the host detached/attached): the panel shows it at once
        this.upsertHost(d as TopologySnapshot['hosts'][number]);
        return { ...NONE, structure: true };
      case 'host.removed':
        this.hosts.delete(`host:${d.mac}`);
        return { ...NONE, structure: true };
      case 'stats.ports': {
        const sw = this.switches.get(d.dpid);
        if (!sw) return NONE;
        for (const r of d.ports as { port_no: number; rx_bps: number; tx_bps: number }[]) {
          const p = sw.ports.get(r.port_no);
          if (p) {
            p.rx_bps = r.rx_bps;
            p.tx_bps = r.tx_bps;
          }
        }
        this.refreshRates();
        return { ...NONE, stats: true };
      }
      default:
        // An app's event (container networks, endpoints): its sections come with the snapshot.
        if (/^(network|endpoint|container)s?\./.test(type)) return { ...NONE, refetch: 'section' };
        return NONE;
    }
  }

  private dirKey(l: LinkEdge, src: PortRef): string {
    return l.a.dpid === src.dpid && l.a.port_no === src.port_no ? 'a>b' : 'b>a';
  }

  private addDirection(src: PortRef, dst: PortRef): void {
    const id = linkId(src, dst);
    let l = this.links.get(id);
    if (!l) {
      const [a, b] = id.startsWith(`${src.dpid}:${src.port_no}-`) ? [src, dst] : [dst, src];
      l = { id, a: { dpid: a.dpid, port_no: a.port_no }, b: { dpid: b.dpid, port_no: b.port_no }, directions: new Set(), up: true, bps: 0 };
      this.links.set(id, l);
    }
    l.directions.add(this.dirKey(l, src));
  }

  private port(r: PortRef): PortState | undefined {
    return this.switches.get(r.dpid)?.ports.get(r.port_no);
  }

  private refreshLinks(): void {
    for (const l of this.links.values()) {
      const pa = this.port(l.a);
      const pb = this.port(l.b);
      l.up = l.directions.size > 0 && pa?.up !== false && pb?.up !== false;
    }
    this.refreshRates();
  }

  private refreshRates(): void {
    for (const l of this.links.values()) {
      const pa = this.port(l.a);
      const pb = this.port(l.b);
      l.bps = Math.max(pa?.tx_bps ?? 0, pa?.rx_bps ?? 0, pb?.tx_bps ?? 0, pb?.rx_bps ?? 0);
    }
  }

  private upsertHost(h: TopologySnapshot['hosts'][number]): void {
    const id = `host:${h.mac}`;
    const old = this.hosts.get(id);
    this.hosts.set(id, { id, kind: 'host', mac: h.mac, ipv4: h.ipv4, ipv6: h.ipv6, vlan: h.vlan, dpid: h.dpid, port_no: h.port_no, name: old?.name ?? null, network: old?.network ?? null });
  }

  /**
   * Apps' sections, read generically: entries with a MAC or an address are
   * endpoints (attached where they say, in the network they name); entries
   * with a subnet and no MAC are networks. A host the tracker also knows
   * takes the endpoint's name and network.
   */
  private readSections(s: TopologySnapshot): void {
    for (const [key, v] of Object.entries(s)) {
      if (CORE_SECTIONS.has(key) || !Array.isArray(v)) continue;
      for (const e of v as unknown[]) {
        if (e === null || typeof e !== 'object' || Array.isArray(e)) continue;
        const r = e as Record<string, unknown>;
        const mac = str(r.mac) ?? str(r.mac_address);
        const ips = strings(r.ipv4, r.ip, r.ips, r.ipv4_address, r.address);
        const subnet = str(r.subnet) ?? str(r.cidr) ?? str(r.prefix);
        if (mac === null && ips.length === 0 && subnet !== null) {
          const id = str(r.id) ?? str(r.name) ?? subnet;
          this.networks.set(id, { id, name: str(r.name) ?? id, subnet });
          continue;
        }
        if (mac === null && ips.length === 0) continue;
        const network = str(r.network) ?? str(r.network_id) ?? str(r.net) ?? key;
        const name = str(r.name) ?? str(r.container) ?? str(r.id);
        const attach = (r.attachment ?? r.attached ?? r) as Record<string, unknown>;
        const dpid = str(attach.dpid);
        const port = typeof attach.port_no === 'number' ? attach.port_no : typeof attach.port === 'number' ? attach.port : null;
        const asHost = mac !== null ? this.hosts.get(`host:${mac.toLowerCase()}`) : undefined;
        if (asHost) {
          asHost.name = name;
          asHost.network = network;
          if (asHost.ipv4.length === 0) asHost.ipv4 = ips;
          continue;
        }
        const id = `ep:${key}:${mac ?? ips[0]}`;
        this.hosts.set(id, { id, kind: 'endpoint', mac: mac?.toLowerCase() ?? '', ipv4: ips, ipv6: [], vlan: null, dpid, port_no: port, name, network });
      }
    }
  }

  /** Nodes whose name, dpid, MAC or IP contains the text (case-insensitive): switch dpids and host ids. */
  search(text: string): string[] {
    const q = text.trim().toLowerCase();
    if (q === '') return [];
    const out: string[] = [];
    for (const sw of this.switches.values()) {
      if (sw.name.toLowerCase().includes(q) || sw.dpid.includes(q) || sw.dpid.replace(/^0+/, '') === q.replace(/^0x/, '').replace(/^0+/, '')) out.push(sw.dpid);
    }
    for (const h of this.hosts.values()) {
      if (h.mac.includes(q) || (h.name ?? '').toLowerCase().includes(q) || h.ipv4.some((ip) => ip.includes(q)) || h.ipv6.some((ip) => ip.includes(q))) out.push(h.id);
    }
    return out;
  }
}
