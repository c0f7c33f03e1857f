import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';

/** One resource's routes: registered on the /api/v1 scope (or the root for Ryu's paths). */
export type RouteModule = (app: FastifyInstance, ctx: ApiContext) => void;
