import { DPID_PATTERN, MAC_PATTERN } from './ids.js';

/** Shared JSON Schema pieces; each route file keeps its own bodies next to its handlers. */
export const dpidSchema = { type: 'string', pattern: DPID_PATTERN, description: 'datapath id: 16 hex digits, 0x-hex or decimal' } as const;
export const macSchema = { type: 'string', pattern: MAC_PATTERN, description: 'MAC address, colon separated' } as const;
/** 64-bit values travel as strings so no JSON parser rounds them. */
export const u64Schema = { anyOf: [{ type: 'string', pattern: '^(?:0[xX][0-9A-Fa-f]{1,16}|[0-9]{1,20})$' }, { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }], description: '64-bit unsigned: decimal or 0x-hex string (or a safe integer)' } as const;

export const dpidParams = {
  type: 'object',
  properties: { dpid: dpidSchema },
  required: ['dpid'],
  additionalProperties: false,
} as const;

export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' }, details: {} },
  required: ['error', 'message'],
  additionalProperties: true,
} as const;

/** The error responses most routes can give, for the OpenAPI document. */
export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 503: errorSchema, 504: errorSchema } as const;
