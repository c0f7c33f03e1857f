import type { JsonValue } from '../store/types.js';

/** A JSON Schema (draft-07, as fastify/ajv read it) given as a plain object. */
export type JsonSchema = { readonly [k: string]: unknown };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route handler gets: already validated against the route's schemas. */
export interface AppRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

/** What a handler answers: a status (default 200) and a JSON body (absent for 204). */
export interface AppReply {
  readonly status?: number;
  readonly body?: JsonValue;
}

/**
 * One REST route of an app, mounted by the northbound under /api/v1 (so
 * `url: '/networks/:name'` answers at /api/v1/networks/:name). Data, not a
 * fastify plugin: apps never import the web framework, and the northbound
 * puts every schema in the OpenAPI document. Routes exist whether or not
 * the app is enabled; while it is disabled they answer 503 saying so.
 */
export interface AppRoute<A = unknown> {
  readonly method: HttpMethod;
  readonly url: string;
  readonly summary: string;
  readonly description?: string;
  readonly schema: {
    readonly params?: JsonSchema;
    readonly querystring?: JsonSchema;
    readonly body?: JsonSchema;
    /** By status code; every status the handler can answer with, errors included. */
    readonly response: Readonly<Record<number, JsonSchema>>;
  };
  /** Whether the route changes state (needs a token when the API has tokens); default: every method but GET. */
  readonly mutates?: boolean;
  handler(app: A, req: AppRequest): AppReply | Promise<AppReply>;
}

/**
 * An error a handler throws to answer with a 4xx (or 503): a stable code
 * and a sentence a person can act on. Anything else thrown is a 500 whose
 * details stay in the log.
 */
export class AppHttpError extends Error {
  override readonly name = 'AppHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: JsonValue,
  ) {
    super(message);
  }
}
