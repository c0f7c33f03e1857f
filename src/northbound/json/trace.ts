// POST /trace's body → the engine's packet and ingress, and the engine's
// result → JSON. The packet uses the flow API's match field names and value
// forms (exact values only: a trace is one packet). From a host, what the
// user leaves out is filled in from the host: eth_src, and ipv4_src once the
// packet is IPv4; `to` a host fills eth_dst and ipv4_dst the same way.
import type { Core } from '../../core/index.js';
import type { HostRecord } from '../../core/hosts/host-tracker.js';
import type { Outcome, TraceHop, TraceHost, TraceIngress, TraceResult } from '../../core/trace/types.js';
import type { OxmBasic } from '../../openflow/structs/oxm.js';
import { badRequest, notFound } from '../errors.js';
import { parseDpid, formatDpid } from '../ids.js';
import { actionsToJson, instructionsToJson } from './action.js';
import { cookieHex } from './flow.js';
import { matchFromJson, matchToJson, type MatchJson } from './match.js';

export type EndpointRef = { readonly host: string } | { readonly dpid: string; readonly port: number };

export interface TraceBody {
  readonly from: EndpointRef;
  readonly to?: { readonly host: string };
  readonly packet?: Record<string, unknown>;
  readonly max_hops?: number;
}

/** Endpoints apps list in GET /topology sections (containers): anything with a MAC, maybe a name and IPs. */
export function appEndpoints(core: Core): TraceHost[] {
  const out: TraceHost[] = [];
  for (const section of Object.values(core.apps.topologySections())) {
    if (!Array.isArray(section)) continue;
    for (const e of section) {
      if (e === null || typeof e !== 'object' || Array.isArray(e)) continue;
      const r = e as Record<string, unknown>;
      if (typeof r.mac !== 'string' || typeof r.dpid !== 'string' || typeof r.port_no !== 'number') continue;
      const ips = [r.ipv4, r.ip, r.ipv4_address].flatMap((v) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : [])).filter((v): v is string => typeof v === 'string').map((v) => v.replace(/\/\d+$/, ''));
      out.push({ mac: r.mac.toLowerCase(), ipv4: ips, ipv6: [], dpid: r.dpid, port_no: r.port_no, ...(typeof r.name === 'string' ? { name: r.name } : {}) });
    }
  }
  return out;
}

function toTraceHost(h: HostRecord): TraceHost {
  return { mac: h.mac, ipv4: h.ipv4, ipv6: h.ipv6, dpid: h.dpid, port_no: h.port_no };
}

/** A host by MAC, IP, or an app endpoint's name; a 404 that says what was looked for. */
export function findHost(core: Core, ref: string, where: string): TraceHost {
  const s = ref.trim();
  const h = core.hosts.byMac(s) ?? core.hosts.byIp(s);
  if (h !== undefined) return toTraceHost(h);
  const e = appEndpoints(core).find((x) => x.name === s || x.mac === s.toLowerCase() || x.ipv4.includes(s));
  if (e !== undefined) return e;
  throw notFound('host', `${where}: no host with MAC, IP or name ${JSON.stringify(s)} is known (GET /api/v1/hosts lists them; a host is learned from the packets it sends)`);
}

const IP_FIELDS = /^(ipv4_|ip_|tcp_|udp_|sctp_|icmpv4_)/;

/**
 * The prerequisites OpenFlow asks of a match (Table 12), filled in for a
 * packet: ipv4_dst implies eth_type 0x0800, tcp_dst ip_proto 6, and so on.
 * Host to host with nothing else said is an IPv4 ping (ICMP echo).
 */
function withPrerequisites(p: Record<string, unknown>, hostToHost: boolean): Record<string, unknown> {
  const out = { ...p };
  const keys = Object.keys(p);
  const has = (re: RegExp): boolean => keys.some((k) => re.test(k));
  if (out.eth_type === undefined) {
    if (has(/^arp_/)) out.eth_type = 0x0806;
    else if (has(/^(ipv6_|icmpv6_)/)) out.eth_type = 0x86dd;
    else if (has(IP_FIELDS) || (hostToHost && keys.every((k) => k === 'eth_src' || k === 'eth_dst' || k.startsWith('vlan_')))) out.eth_type = 0x0800;
  }
  if (out.ip_proto === undefined) {
    if (has(/^tcp_/)) out.ip_proto = 6;
    else if (has(/^udp_/)) out.ip_proto = 17;
    else if (has(/^sctp_/)) out.ip_proto = 132;
    else if (has(/^icmpv4_/) || (hostToHost && out.eth_type === 0x0800 && keys.length === 0)) out.ip_proto = 1;
    else if (has(/^icmpv6_/)) out.ip_proto = 58;
  }
  if (out.ip_proto === 1 && out.eth_type === 0x0800 && out.icmpv4_type === undefined && keys.length === 0) out.icmpv4_type = 8;
  return out;
}

export interface TraceRequest {
  readonly ingress: TraceIngress;
  readonly packet: OxmBasic[];
}

export function traceRequestFromJson(core: Core, b: TraceBody): TraceRequest {
  let ingress: TraceIngress;
  let src: TraceHost | undefined;
  if ('host' in b.from) {
    src = findHost(core, b.from.host, 'from.host');
    ingress = { dpid: src.dpid, port_no: src.port_no };
  } else {
    const d = parseDpid(b.from.dpid);
    if (d === undefined) throw badRequest(`from.dpid "${b.from.dpid}" is not a datapath id: use 16 hex digits, 0x-hex or decimal`);
    const sw = core.switches.get(d);
    if (sw === undefined) throw notFound('switch', `from.dpid: switch ${formatDpid(d)} is not connected`);
    if (!sw.ports.has(b.from.port)) throw notFound('port', `from.port: switch ${sw.id} has no port ${b.from.port} (ports: ${[...sw.ports.keys()].filter((p) => typeof p === 'number' && p < 0xffffff00).join(', ')})`);
    ingress = { dpid: sw.id, port_no: b.from.port };
  }
  const dst = b.to ? findHost(core, b.to.host, 'to.host') : undefined;
  const given = matchFromJson(withPrerequisites(b.packet ?? {}, src !== undefined && dst !== undefined), 'packet');
  const fields = new Map<string, OxmBasic>();
  for (const f of given) {
    if (!('field' in f)) throw badRequest('packet: only OpenFlow-basic fields can be traced');
    if (f.mask !== undefined) throw badRequest(`packet.${f.field}: a traced packet has exact values, not a mask`);
    if (f.field === 'in_port' || f.field === 'in_phy_port' || f.field === 'metadata') throw badRequest(`packet.${f.field}: set by the trace itself (use "from" for the ingress port)`);
    fields.set(f.field, f);
  }
  const fill = (f: OxmBasic): void => {
    if (!fields.has(f.field)) fields.set(f.field, f);
  };
  if (src) fill({ field: 'eth_src', value: src.mac });
  if (dst) fill({ field: 'eth_dst', value: dst.mac });
  if (fields.get('eth_type')?.value === 0x0800) {
    if (src?.ipv4[0] !== undefined) fill({ field: 'ipv4_src', value: src.ipv4[0] });
    if (dst?.ipv4[0] !== undefined) fill({ field: 'ipv4_dst', value: dst.ipv4[0] });
  }
  if (!fields.has('eth_src') || !fields.has('eth_dst')) throw badRequest('packet needs eth_src and eth_dst (or trace from/to a host, whose MAC fills them in)');
  return { ingress, packet: [...fields.values()] };
}

// ---- result → JSON

function hostJson(h: TraceHost | null): Record<string, unknown> | null {
  return h === null ? null : { mac: h.mac, ipv4: h.ipv4, ipv6: h.ipv6, dpid: h.dpid, port_no: h.port_no, ...(h.name !== undefined ? { name: h.name } : {}) };
}

function outcomeJson(o: Outcome): Record<string, unknown> {
  if (o.kind === 'delivered') return { ...o, host: hostJson(o.host) };
  return { ...o };
}

function headerJson(fields: readonly OxmBasic[]): MatchJson {
  return matchToJson(fields);
}

function hopJson(h: TraceHop): Record<string, unknown> {
  return {
    id: h.id, parent: h.parent, dpid: h.dpid, in_port: h.in_port, header: headerJson(h.header),
    tables: h.tables.map((s) => ({
      table_id: s.table_id,
      flow: s.flow === null ? null : {
        table_id: s.flow.table_id, priority: s.flow.priority, cookie: cookieHex(s.flow.cookie), owner: s.flow.owner,
        match: matchToJson(s.flow.match), instructions: instructionsToJson(s.flow.instructions),
      },
    })),
    actions: actionsToJson(h.actions),
    outputs: h.outputs.map((o) => ({ outcome: outcomeJson(o.outcome), header: headerJson(o.header), via: o.via })),
  };
}

export function traceToJson(r: TraceResult): Record<string, unknown> {
  return { ingress: r.ingress, verdict: r.verdict, truncated: r.truncated, hops: r.hops.map(hopJson) };
}

// ---- schemas

const hostRef = { type: 'object', properties: { host: { type: 'string', minLength: 1, description: 'MAC, IP address, or the name of an endpoint an app lists' } }, required: ['host'], additionalProperties: false } as const;
const portRef = {
  type: 'object',
  properties: { dpid: { type: 'string', minLength: 1, description: 'datapath id: 16 hex digits, 0x-hex or decimal' }, port: { type: 'integer', minimum: 1, maximum: 0xffffff00 } },
  required: ['dpid', 'port'], additionalProperties: false,
} as const;

export const traceBodySchema = {
  type: 'object',
  properties: {
    from: { description: 'where the packet enters: a host, or a switch port', oneOf: [hostRef, portRef] },
    to: { ...hostRef, description: 'a destination host: fills in eth_dst (and ipv4_dst for IPv4) when the packet leaves them out' },
    packet: { type: 'object', description: 'header fields by OXM name as in the flow API\'s match (eth_src, eth_dst, eth_type, ipv4_src, ipv4_dst, ip_proto, tcp_dst, vlan_vid, ...)', additionalProperties: true },
    max_hops: { type: 'integer', minimum: 1, maximum: 4096, description: 'most switch visits (default 256)' },
  },
  required: ['from'],
  additionalProperties: false,
} as const;

const loose = { type: 'object', additionalProperties: true } as const;
export const traceResultSchema = {
  type: 'object',
  properties: {
    ingress: { type: 'object', properties: { dpid: { type: 'string' }, port_no: { type: 'integer' } }, required: ['dpid', 'port_no'] },
    verdict: { type: 'string', enum: ['delivered', 'dropped', 'controller', 'looped', 'forwarded', 'mixed'], description: 'every end the packet\'s copies reached, in one word ("mixed" when they differ)' },
    truncated: { type: 'boolean', description: 'max_hops stopped the walk' },
    hops: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'integer' }, parent: { type: ['integer', 'null'] }, dpid: { type: 'string' }, in_port: { type: 'integer' },
          header: { ...loose, description: 'the packet as it entered this switch' },
          tables: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                table_id: { type: 'integer' },
                flow: {
                  type: ['object', 'null'],
                  description: 'the flow that matched; null: none did (the packet is dropped)',
                  properties: { table_id: { type: 'integer' }, priority: { type: 'integer' }, cookie: { type: 'string' }, owner: { type: ['string', 'null'] }, match: loose, instructions: { type: 'array', items: loose } },
                },
              },
              required: ['table_id', 'flow'],
            },
          },
          actions: { type: 'array', items: loose },
          outputs: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                outcome: { ...loose, description: 'kind: forwarded (to, hop), delivered (host), controller, local, normal, dropped (reason, detail), looped (first_hop), truncated' },
                header: { ...loose, description: 'the packet as it left' },
                via: { type: 'string' },
              },
              required: ['outcome', 'header', 'via'],
            },
          },
        },
        required: ['id', 'parent', 'dpid', 'in_port', 'header', 'tables', 'actions', 'outputs'],
      },
    },
  },
  required: ['ingress', 'verdict', 'truncated', 'hops'],
} as const;
