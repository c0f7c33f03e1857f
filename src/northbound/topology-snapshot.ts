// GET /topology's body: built synchronously right after reading the event
// sequence number, so `seq` is exactly the last event the snapshot reflects
// (a client applies stream events with seq > snapshot.seq). The serialized
// bytes are cached per seq, plain and gzipped: the web view and the
// benchmark poll it, and with a hundred switches rebuilding (or
// recompressing) it on every request would cost far more than sending it.
import { gzipSync } from 'node:zlib';
import type { Core } from '../core/index.js';
import type { JsonValue } from '../core/store/types.js';
import type { HostEventData } from '../core/events.js';
import type { Link } from '../core/topology/link-table.js';

export interface TopologyPortJson {
  readonly port_no: number;
  readonly name: string;
  readonly hw_addr: string;
  readonly up: boolean;
  readonly inter_switch: boolean;
  readonly on_tree: boolean;
}

export interface TopologyJson {
  readonly seq: number;
  readonly switches: readonly { readonly dpid: string; readonly dp_desc: string; readonly ports: readonly TopologyPortJson[] }[];
  readonly links: readonly Link[];
  readonly hosts: readonly HostEventData[];
  /** Sections apps add (the container-network app's `networks`, ...). */
  readonly [section: string]: JsonValue | number | readonly unknown[] | undefined;
}

export function buildTopology(ctl: Core): TopologyJson {
  const seq = ctl.events.seq;
  const snap = ctl.topology.snapshot();
  const desc = new Map(ctl.switches.all().map((sw) => [sw.id, sw.info.desc.dp_desc]));
  return {
    seq,
    switches: snap.switches.map((s) => ({ dpid: s.dpid, dp_desc: desc.get(s.dpid) ?? '', ports: s.ports })),
    links: snap.links,
    hosts: ctl.hosts.all().map((h) => ({ mac: h.mac, vlan: h.vlan, ipv4: h.ipv4, ipv6: h.ipv6, dpid: h.dpid, port_no: h.port_no })),
    ...ctl.apps.topologySections(),
  };
}

/** One serialized snapshot: UTF-8 JSON, and its gzip made on first demand. */
export class TopologyBody {
  private gz: Buffer | undefined;

  constructor(
    readonly seq: number,
    readonly plain: Buffer,
  ) {}

  gzipped(): Buffer {
    return (this.gz ??= gzipSync(this.plain));
  }
}

/**
 * The serialized snapshot, rebuilt when the event sequence moved or after
 * maxAgeMs: a host can gain an address without an event, so a snapshot
 * may be at most that stale.
 */
export class TopologyCache {
  private current: TopologyBody | undefined;
  private builtAt = 0;

  constructor(
    private readonly ctl: Core,
    private readonly maxAgeMs = 1000,
  ) {}

  body(serialize: (t: TopologyJson) => string): TopologyBody {
    const now = this.ctl.clock.now();
    const cur = this.current;
    if (cur !== undefined && cur.seq === this.ctl.events.seq && now - this.builtAt < this.maxAgeMs) return cur;
    const t = buildTopology(this.ctl);
    this.current = new TopologyBody(t.seq, Buffer.from(serialize(t), 'utf8'));
    this.builtAt = now;
    return this.current;
  }
}

/** Whether an Accept-Encoding header admits gzip (RFC 9110 §12.5.3: listed, or "*", with q > 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined || header === '') return false;
  let star = false;
  for (const part of header.split(',')) {
    const [token = '', ...params] = part.split(';');
    const coding = token.trim().toLowerCase();
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const ok = q === undefined || Number(q.slice(2)) > 0;
    if (coding === '*') star = ok;
    else return ok;
  }
  return star;
}

const portRef = {
  type: 'object',
  properties: { dpid: { type: 'string', description: '16 lowercase hex digits' }, port_no: { type: 'integer' } },
  required: ['dpid', 'port_no'],
} as const;

export const linkSchema = {
  type: 'object',
  description: 'one direction of an inter-switch link: an LLDP probe sent out of src arrived at dst (a cable appears twice, once per direction)',
  properties: { src: portRef, dst: portRef },
  required: ['src', 'dst'],
} as const;

export const hostSchema = {
  type: 'object',
  properties: {
    mac: { type: 'string' },
    vlan: { type: ['integer', 'null'], description: 'VLAN id of the last frame seen; null when untagged' },
    ipv4: { type: 'array', items: { type: 'string' } },
    ipv6: { type: 'array', items: { type: 'string' } },
    dpid: { type: 'string', description: 'switch the host is attached to' },
    port_no: { type: 'integer', description: 'edge port the host is attached to' },
  },
  required: ['mac', 'vlan', 'ipv4', 'ipv6', 'dpid', 'port_no'],
} as const;

export const topologySchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer', description: 'the event sequence number this snapshot reflects: apply stream events with a larger seq' },
    switches: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          dpid: { type: 'string' },
          dp_desc: { type: 'string', description: 'the switch\'s own description (Mininet puts the switch name here)' },
          ports: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                port_no: { type: 'integer' }, name: { type: 'string' }, hw_addr: { type: 'string' }, up: { type: 'boolean' },
                inter_switch: { type: 'boolean', description: 'a link ends on this port' },
                on_tree: { type: 'boolean', description: 'on the spanning tree used for flooding' },
              },
              required: ['port_no', 'name', 'hw_addr', 'up', 'inter_switch', 'on_tree'],
            },
          },
        },
        required: ['dpid', 'dp_desc', 'ports'],
      },
    },
    links: { type: 'array', description: 'one entry per direction: a cable between two switches is two entries', items: linkSchema },
    hosts: { type: 'array', items: hostSchema },
  },
  // Apps add sections of their own (container-net: networks, endpoints); without this the serializer drops them.
  additionalProperties: true,
  required: ['seq', 'switches', 'links', 'hosts'],
} as const;
