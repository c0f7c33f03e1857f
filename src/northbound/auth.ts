import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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

function isRead(req: FastifyRequest): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return !req.url.startsWith('/api/v1/events');
  return (req.routeOptions.config as RouteAuthConfig | undefined)?.read === true;
}

export function installAuth(app: FastifyInstance, opts: AuthOptions): void {
  if (opts.tokens.length === 0) return;
  const tokens = opts.tokens.map((t) => Buffer.from(t));
  app.addHook('onRequest', async (req) => {
    if (req.url === '/api/v1/health' || req.url.startsWith('/api/v1/docs') || req.url === '/api/v1/openapi.json') return;
    if (opts.openReads && isRead(req)) return;
    const h = req.headers.authorization;
    const m = typeof h === 'string' ? /^Bearer\s+(\S+)$/i.exec(h) : null;
    if (!m) throw new ApiError(401, 'unauthorized', 'this call needs "Authorization: Bearer <token>" (tokens are set with --api-token-file or SWITCHYARD_API_TOKENS)');
    if (!tokenMatches(m[1]!, tokens)) throw new ApiError(403, 'forbidden', 'the bearer token is not one of the configured API tokens');
  });
}
