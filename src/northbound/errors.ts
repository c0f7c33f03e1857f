import type { FastifyError, FastifyInstance } from 'fastify';
import { OfpErrorReply, RequestTimeoutError, ChannelClosedError } from '../openflow/channel/errors.js';
import { CodecError } from '../openflow/codec-error.js';
import { StaticInputError } from '../core/static/static-store.js';
import { AppHttpError } from '../core/apps/app-routes.js';
import { FlowConflictError, NotMasterError, SwitchNotConnectedError } from '../core/flows/flow-service.js';
import { StoreUnavailableError } from '../core/store/types.js';

/** Every error body the API sends: a stable code, a sentence a person can act on, and details when there are any. */
export interface ApiErrorBody {
  readonly error: string;
  readonly message: string;
  readonly details?: unknown;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown): ApiError => new ApiError(400, 'bad_request', message, details);
export const notFound = (what: string, message: string): ApiError => new ApiError(404, `${what}_not_found`, message);

/** The switch said no: its OFPT_ERROR, decoded (type and code names and what to fix). */
export function openflowErrorBody(e: OfpErrorReply): ApiErrorBody {
  return {
    error: 'openflow_error',
    message: e.message,
    details: { type: e.errType, code: e.code, hint: e.hint, request: e.requestType },
  };
}

/** Map anything a handler threw to a status and body; never a 500 for a client's mistake. */
export function toErrorReply(err: unknown): { status: number; body: ApiErrorBody } {
  if (err instanceof ApiError) return { status: err.status, body: { error: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
  if (err instanceof OfpErrorReply) return { status: err.errType === 'flow_mod_failed' && err.code === 'overlap' ? 409 : 400, body: openflowErrorBody(err) };
  if (err instanceof AppHttpError) return { status: err.status, body: { error: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
  if (err instanceof FlowConflictError) return { status: 409, body: { error: 'conflict', message: err.message } };
  if (err instanceof SwitchNotConnectedError) return { status: 503, body: { error: 'switch_disconnected', message: err.message } };
  if (err instanceof NotMasterError) return { status: 503, body: { error: 'not_master', message: err.message } };
  if (err instanceof StoreUnavailableError) return { status: 503, body: { error: 'store_unavailable', message: err.message } };
  if (err instanceof StaticInputError) return { status: 400, body: { error: 'bad_request', message: err.message } };
  // The codec's own words (which field, which value), without its offset and hex excerpt.
  if (err instanceof CodecError) return { status: 400, body: { error: 'bad_request', message: `${err.msgType ? err.msgType + ': ' : ''}${err.reason}` } };
  if (err instanceof RequestTimeoutError) return { status: 504, body: { error: 'switch_timeout', message: err.message } };
  if (err instanceof ChannelClosedError) return { status: 503, body: { error: 'switch_disconnected', message: err.message } };
  const fe = err as Partial<FastifyError> & { validation?: { instancePath: string; message?: string; params?: Record<string, unknown> }[]; validationContext?: string };
  if (fe.validation) {
    const where = fe.validationContext ?? 'body';
    const parts = fe.validation.map((v) => describeValidation(where, v));
    return { status: 400, body: { error: 'bad_request', message: parts.join('; ') } };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: fe.code?.toLowerCase() ?? 'bad_request', message: fe.message ?? 'bad request' } };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error; see the controller log' } };
}

function describeValidation(where: string, v: { instancePath: string; message?: string; keyword?: string; params?: Record<string, unknown> }): string {
  const path = where + v.instancePath.replaceAll('/', '.');
  if (v.keyword === 'additionalProperties') return `${path} has an unknown field "${String(v.params?.additionalProperty)}"`;
  if (v.keyword === 'enum') return `${path} must be one of ${(v.params?.allowedValues as unknown[] | undefined)?.map((x) => JSON.stringify(x)).join(', ')}`;
  if (v.keyword === 'required') return `${path} is missing "${String(v.params?.missingProperty)}"`;
  if (v.keyword === 'pattern' && /dpid/i.test(path)) return `${path} must be a datapath id: 16 hex digits, 0x-hex or decimal`;
  return `${path} ${v.message ?? 'is invalid'}`;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toErrorReply(err);
    if (status >= 500 && status !== 503 && status !== 504) req.log.error({ err }, 'request failed');
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: 'route_not_found', message: `no route ${req.method} ${req.url.split('?')[0]}; see /api/v1/openapi.json` });
  });
}
