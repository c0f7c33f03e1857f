import { OXM_FIELD_NAMES } from '../openflow/structs/oxm.js';
import { ActionTypeCodes } from '../openflow/structs/action.js';
import { InstructionTypeCodes } from '../openflow/structs/instruction.js';
import { dpidSchema } from './schemas.js';
import { FLOW_FLAGS } from './json/flow.js';

// JSON Schemas of the flow routes. Values inside a match, an action or an
// instruction are checked by json/match.ts / json/action.ts, which can say
// which field is wrong and what it should look like; the schemas here fix
// the shape (known keys, types) and document it.

const MATCH_TEXT =
  'OXM fields by name (OpenFlow 1.3 Table 12): {"in_port": 1, "eth_type": 2048, "ipv4_dst": "10.0.0.0/24", "eth_dst": "aa:bb:cc:dd:ee:ff", ' +
  '"metadata": "0x1/0xff"}. Masks as "value/mask", "addr/prefixlen" for IP, or {"value": ..., "mask": ...}. vlan_vid: a VLAN id 0..4095 ' +
  '(tagged with it), "none" (untagged), "present" (any tag) or a raw 0x-hex OXM value. 64-bit values as decimal or 0x-hex strings. ' +
  'Fields of other OXM classes as hex TLVs under "raw". Also accepted: the codec\'s list form [{"field": "in_port", "value": 1}, ...]. ' +
  'Prerequisites are checked (ipv4_dst needs eth_type 2048, tcp_dst needs ip_proto 6, ...).';

/**
 * Untyped on purpose: json/match.ts checks both forms and names the field
 * that is wrong. A typed union would make ajv report once per branch, and its
 * array coercion would turn a stray scalar into a one-element list first.
 */
export const matchSchema = {
  description: `${MATCH_TEXT} Fields: ${OXM_FIELD_NAMES.join(', ')}.`,
} as const;

export const actionSchema = {
  type: 'object',
  description: 'An action in the codec\'s JSON: {"type": "output", "port": 2} (ports by number or as in_port, table, normal, flood, all, controller, local; ' +
    'max_len defaults to "no_buffer"), {"type": "set_field", "field": "eth_dst", "value": "aa:bb:cc:dd:ee:ff"}, {"type": "group", "group_id": 1}, ' +
    '{"type": "push_vlan"} (ethertype 0x8100 by default), {"type": "set_queue", "queue_id": 1}, ...',
  properties: { type: { type: 'string', enum: Object.keys(ActionTypeCodes) } },
  required: ['type'],
  additionalProperties: true,
} as const;

export const actionsSchema = { type: 'array', items: actionSchema, description: 'Shorthand for one apply_actions instruction; [] drops' } as const;

export const instructionsSchema = {
  type: 'array',
  description: 'Instructions in the codec\'s JSON: {"type": "goto_table", "table_id": 1}, {"type": "write_metadata", "metadata": "1", "metadata_mask": "255"}, ' +
    '{"type": "apply_actions" | "write_actions", "actions": [...]}, {"type": "clear_actions"}, {"type": "meter", "meter_id": 1}',
  items: {
    type: 'object',
    properties: { type: { type: 'string', enum: Object.keys(InstructionTypeCodes) } },
    required: ['type'],
    additionalProperties: true,
  },
} as const;

/** Text (numbers are coerced to it) checked by json/flow.ts, whose message says what a cookie looks like. */
const u64Schema = { type: 'string', description: '64-bit unsigned: decimal or 0x-hex string (a JSON number is accepted up to 2^53)' } as const;

const tableId = { type: 'integer', minimum: 0, maximum: 254, description: 'flow table, default 0' } as const;
const priority = { type: 'integer', minimum: 0, maximum: 65535, description: 'default 32768' } as const;
const timeout = { type: 'integer', minimum: 0, maximum: 65535, description: 'seconds, 0 = never' } as const;
const flags = { type: 'array', items: { type: 'string', enum: FLOW_FLAGS } } as const;
const strict = { type: 'boolean', description: 'select the one flow with exactly this priority and match (default false: every flow the match covers)' } as const;

export const flowAddBody = {
  type: 'object',
  properties: {
    table_id: tableId, priority, match: matchSchema, actions: actionsSchema, instructions: instructionsSchema,
    idle_timeout: timeout, hard_timeout: timeout, cookie: u64Schema, flags,
  },
  additionalProperties: false,
} as const;

export const flowModifyBody = {
  type: 'object',
  description: 'New actions or instructions for the flows selected by table_id, match, priority (strict) and cookie/cookie_mask.',
  properties: {
    table_id: tableId, priority, match: matchSchema, strict, cookie: u64Schema,
    cookie_mask: { ...u64Schema, description: 'bits of cookie that must equal; 0 (default) ignores cookies' },
    actions: actionsSchema, instructions: instructionsSchema, flags,
  },
  additionalProperties: false,
} as const;

// Numbers or names, as text (JSON numbers are coerced to it); json/flow.ts parses them.
const tableOrAll = { type: 'string', description: 'a table 0..254, or "all" (default)' } as const;
const portText = { type: 'string', description: 'only flows that output to this port (number or reserved name)' } as const;
const groupText = { type: 'string', description: 'only flows that forward to this group' } as const;

const ownerText = {
  type: 'string',
  description: 'only flows of this owner: an app name (as GET /apps lists them, or "core"/"topology"), "api" for flows added through this API, "none" for the rest',
} as const;

export const flowDeleteBody = {
  // null: no body, the selectors are in the query.
  type: ['object', 'null'],
  properties: {
    match: matchSchema, table_id: tableOrAll, priority, strict, cookie: u64Schema,
    cookie_mask: { ...u64Schema, description: 'bits of cookie that must equal; 0 (default) ignores cookies' },
    out_port: portText, out_group: groupText, owner: ownerText,
  },
  additionalProperties: false,
} as const;

const queryText = (description: string): { type: 'string'; description: string } => ({ type: 'string', description });
const fieldParams = Object.fromEntries(OXM_FIELD_NAMES.map((n) => [n, queryText(`match field ${n}, written as in a JSON match ("10.0.0.0/24", "0x1/0xff")`)]));

const filterParams = {
  table_id: queryText('a table number or "all" (default)'),
  cookie: queryText('cookie to select on (with cookie_mask), decimal or 0x-hex'),
  cookie_mask: queryText('bits of cookie that must equal; default 0'),
  out_port: queryText('only flows that output to this port (number or reserved name)'),
  out_group: queryText('only flows that forward to this group'),
  match: queryText('the whole match as JSON text, e.g. {"eth_type":2048}; individual field parameters (in_port=1, ipv4_dst=10.0.0.0/24) add to it'),
  ...fieldParams,
};

export const flowListQuery = {
  type: 'object',
  properties: {
    ...filterParams,
    owner: ownerText,
  },
  additionalProperties: false,
} as const;

export const flowDeleteQuery = {
  type: 'object',
  properties: {
    ...filterParams,
    priority: { type: 'integer', minimum: 0, maximum: 65535, description: 'with strict=true' },
    strict: { type: 'boolean' },
    owner: ownerText,
  },
  additionalProperties: false,
} as const;

export const flowSchema = {
  type: 'object',
  properties: {
    dpid: dpidSchema,
    table_id: { type: 'integer' },
    priority: { type: 'integer' },
    match: { type: 'object', additionalProperties: true, description: MATCH_TEXT },
    instructions: { type: 'array', items: { type: 'object', additionalProperties: true } },
    cookie: { type: 'string', description: 'decimal' },
    cookie_hex: { type: 'string', description: '0x and 16 hex digits' },
    idle_timeout: { type: 'integer' },
    hard_timeout: { type: 'integer' },
    duration_sec: { type: 'integer' },
    packet_count: { type: 'string' },
    byte_count: { type: 'string' },
    flags: { type: 'array', items: { type: 'string' } },
    owner: { type: 'string', nullable: true, description: 'the app whose cookie the flow carries, "api" for a flow stored through this API, null otherwise' },
    warnings: { type: 'array', items: { type: 'string' }, description: 'on add: what looks wrong though the switch accepted it (an output port the switch does not have)' },
  },
  required: ['dpid', 'table_id', 'priority', 'match', 'instructions', 'cookie', 'cookie_hex', 'packet_count', 'byte_count', 'owner'],
  additionalProperties: true,
} as const;

export const flowListSchema = {
  type: 'object',
  properties: { dpid: dpidSchema, flows: { type: 'array', items: flowSchema } },
  required: ['dpid', 'flows'],
} as const;

export const flowDeleteResult = {
  type: 'object',
  properties: {
    dpid: dpidSchema,
    stored_flows_removed: { type: 'integer', description: 'flows added through this API that the delete removed from the store (they will not come back on restart)' },
    controller_flows_restored: { type: 'integer', description: 'controller flows (table-miss, LLDP, app flows) the delete took and the reconcile put back' },
    flows_deleted: { type: 'integer', description: 'with owner: how many flows of that owner the selectors chose and the switch deleted' },
  },
  required: ['dpid', 'stored_flows_removed', 'controller_flows_restored'],
} as const;
