import type { SwitchRegistry } from '../../core/switches.js';
import type { PortRef } from '../../core/topology/link-table.js';
import { dpidParam } from '../context.js';
import { formatDpid } from '../ids.js';
import type { RouteModule } from '../routes/route.js';
import { dpidParams, errorResponses } from '../schemas.js';
import { sendRyu } from './ryu-json.js';
import { noQuery } from './ryu-schemas.js';

// Ryu's rest_topology (/v1.0/topology/...), answering from our topology
// service, switch registry and host tracker in the shapes of
// os_ken/topology/switches.py's to_dict: dpids as 16 hex digits, port
// numbers as 8 hex digits.

const TAGS = ['ryu rest_topology'];

interface RyuPort {
  dpid: string;
  port_no: string;
  hw_addr: string;
  name: string;
}

const portNo = (n: number): string => n.toString(16).padStart(8, '0');

/** Port.to_dict; a port the registry no longer knows keeps its dpid and number with empty details. */
function portDict(switches: SwitchRegistry, ref: PortRef): RyuPort {
  const p = switches.get(BigInt('0x' + ref.dpid))?.ports.get(ref.port_no);
  return { dpid: ref.dpid, port_no: portNo(ref.port_no), hw_addr: p?.hw_addr ?? '', name: p?.name ?? '' };
}

const portSchema = {
  type: 'object',
  properties: { dpid: { type: 'string' }, port_no: { type: 'string' }, hw_addr: { type: 'string' }, name: { type: 'string' } },
  required: ['dpid', 'port_no', 'hw_addr', 'name'],
} as const;
const switchSchema = { type: 'object', properties: { dpid: { type: 'string' }, ports: { type: 'array', items: portSchema } }, required: ['dpid', 'ports'] } as const;
const linkSchema = { type: 'object', properties: { src: portSchema, dst: portSchema }, required: ['src', 'dst'] } as const;
const hostSchema = {
  type: 'object',
  properties: { mac: { type: 'string' }, ipv4: { type: 'array', items: { type: 'string' } }, ipv6: { type: 'array', items: { type: 'string' } }, port: portSchema },
  required: ['mac', 'ipv4', 'ipv6', 'port'],
} as const;


export const restTopologyRoutes: RouteModule = (app, { core: ctl }) => {
  /** The dpid filter, or undefined for all; an unknown switch is an empty list, as in Ryu. */
  const filter = (params: unknown): string | undefined => {
    const d = (params as { dpid?: string }).dpid;
    return d === undefined ? undefined : formatDpid(dpidParam(d));
  };

  const routes = [
    {
      what: 'switches', schema: switchSchema, summary: 'Switches and their ports (Switch.to_dict)',
      list: (dpid: string | undefined) => ctl.topology.snapshot().switches
        .filter((s) => dpid === undefined || s.dpid === dpid)
        .map((s) => ({ dpid: s.dpid, ports: s.ports.map((p) => ({ dpid: s.dpid, port_no: portNo(p.port_no), hw_addr: p.hw_addr, name: p.name })) })),
    },
    {
      what: 'links', schema: linkSchema, summary: 'Links, one per direction (Link.to_dict); with a dpid, those leaving that switch',
      list: (dpid: string | undefined) => ctl.topology.links()
        .filter((l) => dpid === undefined || l.src.dpid === dpid)
        .map((l) => ({ src: portDict(ctl.switches, l.src), dst: portDict(ctl.switches, l.dst) })),
    },
    {
      what: 'hosts', schema: hostSchema, summary: 'Hosts the controller learned (Host.to_dict); with a dpid, those attached to that switch',
      list: (dpid: string | undefined) => ctl.hosts.all()
        .filter((h) => dpid === undefined || h.dpid === dpid)
        .map((h) => ({ mac: h.mac, ipv4: [...h.ipv4], ipv6: [...h.ipv6], port: portDict(ctl.switches, { dpid: h.dpid, port_no: h.port_no }) })),
    },
  ] as const;

  for (const r of routes) {
    const response = { 200: { type: 'array', items: r.schema }, ...errorResponses };
    app.get(`/v1.0/topology/${r.what}`, { schema: { tags: TAGS, summary: r.summary, querystring: noQuery, response } }, (_req, reply) =>
      sendRyu(reply, r.list(undefined)));
    app.get(`/v1.0/topology/${r.what}/:dpid`, { schema: { tags: TAGS, summary: `${r.summary}, of one switch`, params: dpidParams, querystring: noQuery, response } }, (req, reply) =>
      sendRyu(reply, r.list(filter(req.params))));
  }
};
