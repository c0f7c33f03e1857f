import type { RouteModule } from './route.js';
import type { ApiContext } from '../context.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { formatDpid, MAC_PATTERN, parseDpid } from '../ids.js';
import { errorResponses, errorSchema } from '../schemas.js';
import { normalizeIp } from '../../core/hosts/sighting.js';

/** One end of a path: a host (where it is attached) or a switch. */
export type PathEnd = { readonly kind: 'host'; readonly mac: string; readonly dpid: string; readonly port_no: number } | { readonly kind: 'switch'; readonly dpid: string };

const macRe = new RegExp(MAC_PATTERN);

/**
 * A MAC is a host; a datapath id (16 hex, colon hex with 8 groups, 0x, decimal) is a switch; an
 * IP address is the host using it. The 8-group colon form reads as a dpid, never as IPv6.
 */
export function resolveEnd(ctx: ApiContext, what: 'src' | 'dst', text: string): PathEnd {
  const { core: ctl } = ctx;
  if (macRe.test(text)) {
    const h = ctl.hosts.byMac(text);
    if (h === undefined) throw notFound('host', `${what}: no host with MAC ${text.toLowerCase()} is known (hosts are learned from the packets they send)`);
    return { kind: 'host', mac: h.mac, dpid: h.dpid, port_no: h.port_no };
  }
  const dpid = parseDpid(text);
  if (dpid !== undefined) {
    if (ctl.switches.get(dpid) === undefined) throw notFound('switch', `${what}: switch ${formatDpid(dpid)} is not connected`);
    return { kind: 'switch', dpid: formatDpid(dpid) };
  }
  if (normalizeIp(text) !== undefined) {
    const h = ctl.hosts.byIp(text);
    if (h === undefined) throw notFound('host', `${what}: no known host uses the address ${text}`);
    return { kind: 'host', mac: h.mac, dpid: h.dpid, port_no: h.port_no };
  }
  throw badRequest(`${what} "${text}" is neither a host (MAC aa:bb:cc:dd:ee:ff or an IP address) nor a switch (dpid: 16 hex digits, 0x-hex or decimal)`);
}

const endSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['host', 'switch'] },
    mac: { type: 'string' },
    dpid: { type: 'string' },
    port_no: { type: 'integer', description: 'for a host: the edge port it is attached to' },
  },
  required: ['kind', 'dpid'],
} as const;

const hopSchema = {
  type: 'object',
  properties: {
    dpid: { type: 'string' },
    in_port: { type: 'integer', description: 'where the packet enters this switch (absent on the first hop when the path starts at a switch)' },
    out_port: { type: 'integer', description: 'where it leaves (absent on the last hop when the path ends at a switch)' },
  },
  required: ['dpid'],
} as const;

/** Shortest paths over the discovered links, between hosts and/or switches. */
export const pathRoutes: RouteModule = (app, ctx) => {
  const { core: ctl } = ctx;
  app.get<{ Querystring: { src: string; dst: string } }>('/paths', {
    schema: {
      tags: ['topology'],
      summary: 'Fewest-hop path between two hosts or switches',
      description:
        'src and dst are each a host (MAC or IP address) or a switch (dpid). The hops list every switch on the way with the ports ' +
        'the packet enters and leaves by; a host end contributes its edge port. 404 when an end is unknown, 409 when no path connects them.',
      querystring: {
        type: 'object',
        properties: {
          src: { type: 'string', minLength: 1, maxLength: 64, description: 'host MAC or IP, or switch dpid' },
          dst: { type: 'string', minLength: 1, maxLength: 64, description: 'host MAC or IP, or switch dpid' },
        },
        required: ['src', 'dst'],
        additionalProperties: false,
      },
      response: {
        200: { type: 'object', properties: { src: endSchema, dst: endSchema, hops: { type: 'array', items: hopSchema } }, required: ['src', 'dst', 'hops'] },
        ...errorResponses,
        409: errorSchema,
      },
    },
  }, async (req) => {
    const src = resolveEnd(ctx, 'src', req.query.src.trim());
    const dst = resolveEnd(ctx, 'dst', req.query.dst.trim());
    for (const e of [src, dst]) {
      if (e.kind === 'host' && ctl.switches.get(BigInt('0x' + e.dpid)) === undefined) {
        throw new ApiError(409, 'no_path', `host ${e.mac} is attached to switch ${e.dpid}, which is not connected`);
      }
    }
    const hops = ctl.topology.shortestPath(src.dpid, dst.dpid, {
      ...(src.kind === 'host' ? { inPort: src.port_no } : {}),
      ...(dst.kind === 'host' ? { outPort: dst.port_no } : {}),
    });
    if (hops === undefined) {
      throw new ApiError(409, 'no_path', `no path from switch ${src.dpid} to switch ${dst.dpid}: no chain of discovered links joins them (${ctl.topology.links().length} link directions known; see GET /api/v1/links)`);
    }
    return {
      src,
      dst,
      hops: hops.map((h) => ({ dpid: h.dpid, ...(h.inPort !== undefined ? { in_port: h.inPort } : {}), ...(h.outPort !== undefined ? { out_port: h.outPort } : {}) })),
    };
  });
};
