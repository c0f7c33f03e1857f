import { dpidSchema, errorResponses } from '../schemas.js';
import { RYU_ACTION_TYPES, RYU_INSTRUCTION_TYPES } from './ryu-actions.js';
import { RYU_MATCH_FIELDS } from './ryu-match.js';

// JSON Schemas for Ryu's request and response bodies. Ryu reads every
// integer with int(str(v), 0), so integers may also come as decimal or
// 0x strings; the converters check the values, these check the shape.

// String first: with ajv's type coercion a number then becomes its decimal
// string (which the converters read), while a 64-bit value sent as a string
// is never turned into a rounded double.
export const intOrString = { anyOf: [{ type: 'string' }, { type: 'integer' }], description: 'integer, or a decimal / 0x-hex string' } as const;
const str = { type: 'string' } as const;

export const ryuDpidParams = {
  type: 'object',
  properties: { dpid: { ...dpidSchema, description: 'datapath id in decimal as Ryu prints it (1), 0x-hex, or 16 hex digits' } },
  required: ['dpid'],
  additionalProperties: false,
} as const;

/** A number or ALL, as ofctl_rest's optional path ids. */
export const ryuIdSchema = { type: 'string', pattern: '^(?:ALL|[0-9]{1,10}|0[xX][0-9A-Fa-f]{1,8})$', description: 'a number (decimal or 0x-hex) or ALL' } as const;

export const noQuery = { type: 'object', properties: {}, additionalProperties: false } as const;

export const ryuMatchSchema = {
  type: 'object',
  description: 'ofctl match: OpenFlow 1.0 names (dl_*, nw_*, tp_*) or OpenFlow 1.3 names; masks as "value/mask", IP prefixes as "10.0.0.0/24"',
  properties: Object.fromEntries(RYU_MATCH_FIELDS.map((f) => [f, intOrString])),
  additionalProperties: false,
} as const;

const actionProperties = {
  type: { type: 'string', enum: [...RYU_ACTION_TYPES, ...RYU_INSTRUCTION_TYPES] },
  port: intOrString, max_len: intOrString, ethertype: intOrString, mpls_ttl: intOrString, queue_id: intOrString,
  group_id: intOrString, nw_ttl: intOrString, field: str, value: intOrString, experimenter: intOrString,
  data_type: { type: 'string', enum: ['ascii', 'base64'] }, data: str,
  table_id: intOrString, metadata: intOrString, metadata_mask: intOrString, meter_id: intOrString,
} as const;

/** One action as a group bucket or WRITE_ACTIONS holds it. */
const plainActionSchema = {
  type: 'object',
  properties: { ...actionProperties, type: { type: 'string', enum: [...RYU_ACTION_TYPES] } },
  required: ['type'],
  additionalProperties: false,
} as const;

/** An entry of a flow's "actions": an action, or an instruction written as one (GOTO_TABLE, WRITE_ACTIONS, ...). */
const actionSchema = {
  type: 'object',
  properties: { ...actionProperties, actions: { type: 'array', items: plainActionSchema } },
  required: ['type'],
  additionalProperties: false,
} as const;

const body = (properties: Record<string, unknown>, required: readonly string[], description: string): Record<string, unknown> => ({
  type: 'object', description, properties, required, additionalProperties: false,
});

const dpidBody = { ...intOrString, description: 'datapath id, as /stats/switches lists it' } as const;

export const flowEntryBody = body({
  dpid: dpidBody, cookie: intOrString, cookie_mask: intOrString, table_id: intOrString, idle_timeout: intOrString,
  hard_timeout: intOrString, priority: intOrString, buffer_id: intOrString, out_port: intOrString, out_group: intOrString,
  flags: intOrString, match: ryuMatchSchema, actions: { type: 'array', items: actionSchema },
}, ['dpid'], 'ofctl_rest flow entry (OpenFlow 1.3 form: instructions are written in "actions")');

export const flowFilterBody = body({
  dpid: dpidBody, table_id: intOrString, flags: intOrString, out_port: intOrString, out_group: intOrString,
  cookie: intOrString, cookie_mask: intOrString, match: ryuMatchSchema, priority: intOrString,
}, [], 'ofctl_rest flow filter; "priority" filters the reply (not an OpenFlow field)');

export const groupEntryBody = body({
  dpid: dpidBody,
  type: { type: 'string', enum: ['ALL', 'SELECT', 'INDIRECT', 'FF'] },
  group_id: intOrString,
  buckets: {
    type: 'array',
    items: {
      type: 'object',
      properties: { weight: intOrString, watch_port: intOrString, watch_group: intOrString, actions: { type: 'array', items: plainActionSchema } },
      additionalProperties: false,
    },
  },
}, ['dpid'], 'ofctl_rest group entry');

const meterFlag = { type: 'string', enum: ['KBPS', 'PKTPS', 'BURST', 'STATS'] } as const;
export const meterEntryBody = body({
  dpid: dpidBody,
  flags: { anyOf: [meterFlag, { type: 'array', items: meterFlag }] },
  meter_id: intOrString,
  bands: {
    type: 'array',
    items: {
      type: 'object',
      properties: { type: { type: 'string', enum: ['DROP', 'DSCP_REMARK', 'EXPERIMENTER'] }, rate: intOrString, burst_size: intOrString, prec_level: intOrString, experimenter: intOrString },
      required: ['type'],
      additionalProperties: false,
    },
  },
}, ['dpid'], 'ofctl_rest meter entry');

export const portModBody = body({
  dpid: dpidBody, port_no: intOrString, config: intOrString, mask: intOrString, hw_addr: str, advertise: intOrString,
}, ['dpid', 'port_no'], 'ofctl_rest port behaviour: OFPPC_* bits in config, the bits to change in mask');

/** `{"<dpid>": [...]}`: Ryu keys every stats answer by the decimal dpid. */
export const byDpidList = {
  type: 'object',
  description: 'keyed by the decimal datapath id',
  additionalProperties: { type: 'array', items: { type: 'object', additionalProperties: true } },
} as const;
export const byDpidObject = {
  type: 'object',
  description: 'keyed by the decimal datapath id',
  additionalProperties: { type: 'object', additionalProperties: true },
} as const;

/** Ryu answers a change with 200 and an empty body; ours says text/plain so the empty body has a type, and the document says so. */
export const emptyOk = {
  description: 'confirmed by the switch (barrier); the body is empty, as Ryu answers',
  content: { 'text/plain': { schema: { type: 'string', maxLength: 0 } } },
} as const;

export { errorResponses };
