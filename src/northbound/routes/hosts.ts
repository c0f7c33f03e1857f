import type { RouteModule } from './route.js';
import { dpidParam } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { formatDpid } from '../ids.js';
import { dpidSchema, errorResponses, macSchema } from '../schemas.js';
import { OFPP_MAX } from '../json/switch.js';
import { hostSchema } from '../topology-snapshot.js';
import { normalizeIp, normalizeMac } from '../../core/hosts/sighting.js';
import type { HostRecord } from '../../core/hosts/host-tracker.js';

interface HostQuery {
  mac?: string;
  ip?: string;
  dpid?: string;
  port?: number;
  attached?: boolean;
}

const hostRecordSchema = {
  ...hostSchema,
  properties: {
    ...hostSchema.properties,
    first_seen: { type: 'string', format: 'date-time' },
    last_seen: { type: 'string', format: 'date-time', description: 'hosts idle for the host timeout are forgotten' },
    attached: { type: 'boolean', description: 'false once the switch the host was attached to left; it is seen again, or forgotten after the detached timeout' },
    detached_at: { type: ['string', 'null'], format: 'date-time', description: 'when its switch left; null while attached' },
  },
  required: [...hostSchema.required, 'first_seen', 'last_seen', 'attached', 'detached_at'],
} as const;

function hostJson(h: HostRecord): object {
  return {
    ...h,
    first_seen: new Date(h.first_seen).toISOString(),
    last_seen: new Date(h.last_seen).toISOString(),
    detached_at: h.detached_at === null ? null : new Date(h.detached_at).toISOString(),
  };
}

/** End hosts as the host tracker learned them from packet-ins at edge ports. */
export const hostRoutes: RouteModule = (app, { core: ctl }) => {
  app.get<{ Querystring: HostQuery }>('/hosts', {
    schema: {
      tags: ['topology'],
      summary: 'Known hosts, optionally filtered',
      description: 'Filters combine: mac, ip (IPv4 or IPv6), dpid (the switch the host is attached to, connected or not), port and attached. Hosts whose switch left are listed with attached false until they age out. Sorted by MAC.',
      querystring: {
        type: 'object',
        properties: {
          mac: macSchema,
          ip: { type: 'string', maxLength: 64, description: 'an IPv4 or IPv6 address the host uses' },
          dpid: dpidSchema,
          port: { type: 'integer', minimum: 1, maximum: OFPP_MAX, description: 'edge port number' },
          attached: { type: 'boolean', description: 'true: only hosts on a connected switch; false: only detached ones' },
        },
        additionalProperties: false,
      },
      response: { 200: { type: 'array', items: hostRecordSchema }, ...errorResponses },
    },
  }, async (req) => {
    const q = req.query;
    let ip: string | undefined;
    if (q.ip !== undefined) {
      ip = normalizeIp(q.ip);
      if (ip === undefined) throw badRequest(`ip "${q.ip}" is not an IPv4 or IPv6 address`);
    }
    const dpid = q.dpid === undefined ? undefined : formatDpid(dpidParam(q.dpid));
    const mac = q.mac === undefined ? undefined : normalizeMac(q.mac);
    return ctl.hosts.all({ includeDetached: true })
      .filter((h) => (mac === undefined || h.mac === mac)
        && (ip === undefined || h.ipv4.includes(ip) || h.ipv6.includes(ip))
        && (dpid === undefined || h.dpid === dpid)
        && (q.port === undefined || h.port_no === q.port)
        && (q.attached === undefined || h.attached === q.attached))
      .map(hostJson);
  });

  app.get<{ Params: { mac: string } }>('/hosts/:mac', {
    schema: {
      tags: ['topology'],
      summary: 'One host by MAC address',
      params: { type: 'object', properties: { mac: macSchema }, required: ['mac'], additionalProperties: false },
      response: { 200: hostRecordSchema, ...errorResponses },
    },
  }, async (req) => {
    const h = ctl.hosts.byMac(req.params.mac);
    if (h === undefined) throw notFound('host', `no host with MAC ${req.params.mac.toLowerCase()} is known (${ctl.hosts.size} host${ctl.hosts.size === 1 ? '' : 's'} known; hosts are learned from the packets they send)`);
    return hostJson(h);
  });
};
