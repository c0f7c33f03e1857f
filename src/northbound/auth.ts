import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

export interface AuthOptions {
  /** Bearer tokens; none means the API is open (it listens on localhost by default). */
  readonly tokens: readonly string[];
  /** With tokens set, let reads through without one. */
  readonly openReads: boolean;
}

/** Routes mark themselves with `config: { read: true }` when they change nothing (Ryu has reads that are POSTs). */
export interface RouteAuthConfig {
  readonly read?: boolean;
}

function tokenMatches(given: string, tokens: readonly Buffer[]): boolean {
  const g = Buffer.from(given);
  let ok = false;
  // Compare against every token in constant time per token so timing says nothing about which one is close.
  for (const t of tokens) if (t.length === g.length && timingSafeEqual(t, g)) ok = true;
  return ok;
}

const isEventStream = (req: FastifyRequest): boolean => req.url === '/api/v1/events' || req.url.startsWith('/api/v1/events?');

function isRead(req: FastifyRequest): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return !isEventStream(req);
  return (req.routeOptions.config as RouteAuthConfig | undefined)?.read === true;
}

/**
 * The token from "Authorization: Bearer", or for the event stream from
 * ?access_token= (a browser's WebSocket cannot set headers). Request
 * logging is off in api.ts, so a token in the query never reaches the log.
 */
function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  if (m) return m[1]!;
  if (h === undefined && isEventStream(req)) {
    const q = (req.query as Record<string, unknown> | undefined)?.access_token;
    if (typeof q === 'string' && q !== '') return q;
  }
  return undefined;
}

/**
 * This hook runs before @fastify/websocket's, so the plugin does not know a
 * refused upgrade was one and would leave its socket open (and app.close()
 * waiting on it): end it once the error reply is out.
 */
function closeRefusedUpgrade(req: FastifyRequest, reply: FastifyReply): void {
  if (req.headers.upgrade === undefined) return;
  reply.raw.once('finish', () => req.raw.socket.destroy());
}

export function installAuth(app: FastifyInstance, opts: AuthOptions): void {
  if (opts.tokens.length === 0) return;
  const tokens = opts.tokens.map((t) => Buffer.from(t));
  app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/api/v1/health' || req.url.startsWith('/api/v1/docs') || req.url === '/api/v1/openapi.json') return;
    // The web view's page and files hold no data (the page then calls the API with a token).
    if (req.method === 'GET' && (req.url === '/' || req.url.startsWith('/?') || req.url.startsWith('/ui/'))) return;
    if (opts.openReads && isRead(req)) return;
    const given = bearerToken(req);
    if (given === undefined || !tokenMatches(given, tokens)) closeRefusedUpgrade(req, reply);
    if (given === undefined) {
      const alt = isEventStream(req) ? ' or ?access_token=<token>' : '';
      throw new ApiError(401, 'unauthorized', `this call needs "Authorization: Bearer <token>"${alt} (tokens are set with --api-token-file or SWITCHYARD_API_TOKENS)`);
    }
    if (!tokenMatches(given, tokens)) throw new ApiError(403, 'forbidden', 'the bearer token is not one of the configured API tokens');
  });
}
