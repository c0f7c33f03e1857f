import { enumTable, enumName, type EnumTable } from '../enums.js';
import type { OfpErrorCode } from '../codec-error.js';

// ofp_error_type and the per-type ofp_*_code enums, OF 1.3.5 §7.4.4
// (openflow-1.3.h; values cross-checked with os-ken ofproto_v1_3.py and
// OVS lib/ofp-errors.h). Each code carries one sentence saying what went
// wrong and, where possible, what to fix: the REST API shows it to users.

type CodeSpec = Readonly<Record<string, readonly [value: number, text: string]>>;
interface TypeSpec {
  readonly value: number;
  readonly text: string;
  readonly codes: CodeSpec;
}

const EPERM = 'the switch refused the request for permission reasons; check its access configuration and the controller role.';

const SPEC = {
  hello_failed: {
    value: 0,
    text: 'the OpenFlow version negotiation in the hello exchange failed.',
    codes: {
      incompatible: [0, 'the switch shares no OpenFlow version with the controller; enable OpenFlow 1.3 on the switch (e.g. ovs-vsctl set bridge br0 protocols=OpenFlow13).'],
      eperm: [1, 'the switch refused the connection for permission reasons; check its controller and TLS configuration.'],
    },
  },
  bad_request: {
    value: 1,
    text: 'the switch did not understand the request.',
    codes: {
      bad_version: [0, 'the message header carries a version the switch does not accept on this connection; send version 0x04 (OpenFlow 1.3).'],
      bad_type: [1, 'the switch does not support this message type.'],
      bad_multipart: [2, 'the switch does not support this multipart (statistics) request type.'],
      bad_experimenter: [3, 'the experimenter id of the experimenter message or multipart request is not supported by the switch.'],
      bad_exp_type: [4, 'the experimenter type is not supported for that experimenter id.'],
      eperm: [5, EPERM],
      bad_len: [6, 'the request length is wrong for its type; the message is malformed.'],
      buffer_empty: [7, 'the buffer_id was already used (a buffered packet can be released only once); send no_buffer with the packet data instead.'],
      buffer_unknown: [8, 'the buffer_id does not exist on the switch (it may have expired); send no_buffer with the packet data instead.'],
      bad_table_id: [9, 'the table_id is invalid or does not exist on this switch; check its table features for the tables it has.'],
      is_slave: [10, 'the controller is a slave on this switch and may not change its state; request the master or equal role first.'],
      bad_port: [11, 'the port number is invalid or does not exist on this switch.'],
      bad_packet: [12, 'the packet data of the packet-out is invalid.'],
      multipart_buffer_overflow: [13, 'the multipart request overflowed the buffer the switch assigned to it; send fewer or smaller parts.'],
    },
  },
  bad_action: {
    value: 2,
    text: 'an action in the request is invalid.',
    codes: {
      bad_type: [0, 'an action type is unknown or not supported by the switch.'],
      bad_len: [1, 'an action has the wrong length (actions are multiples of 8 bytes and sized for their type).'],
      bad_experimenter: [2, 'an experimenter action uses an experimenter id the switch does not know.'],
      bad_exp_type: [3, 'an experimenter action uses an action type unknown for its experimenter id.'],
      bad_out_port: [4, 'an output action names a port that is invalid or does not exist on the switch.'],
      bad_argument: [5, 'an action argument is invalid, e.g. an ethertype push_vlan or push_mpls does not accept.'],
      eperm: [6, EPERM],
      too_many: [7, 'the switch cannot handle this many actions; use fewer.'],
      bad_queue: [8, 'a set_queue action names a queue that does not exist on the output port.'],
      bad_out_group: [9, 'a group action names a group that does not exist; add the group first.'],
      match_inconsistent: [10, 'an action does not fit the match or a set_field lacks its prerequisite, e.g. setting ipv4_src needs eth_type 0x0800 in the match.'],
      unsupported_order: [11, 'the switch does not support this order of actions in an apply_actions instruction; reorder them.'],
      bad_tag: [12, 'an action uses a tag or encapsulation the switch does not support.'],
      bad_set_type: [13, 'a set_field action names a field the switch cannot set.'],
      bad_set_len: [14, 'a set_field action has the wrong length (the value must match the field size, padded to 8 bytes).'],
      bad_set_argument: [15, 'a set_field action sets a field to an invalid value.'],
    },
  },
  bad_instruction: {
    value: 3,
    text: 'an instruction in the request is invalid.',
    codes: {
      unknown_inst: [0, 'an instruction type is unknown.'],
      unsup_inst: [1, 'the switch or this table does not support one of the instructions.'],
      bad_table_id: [2, 'a goto_table instruction names an invalid table; it must name an existing table after the current one.'],
      unsup_metadata: [3, 'the switch does not support the write_metadata value.'],
      unsup_metadata_mask: [4, "the switch does not support the write_metadata mask; stay within the table's metadata_write bits."],
      bad_experimenter: [5, 'an experimenter instruction uses an experimenter id the switch does not know.'],
      bad_exp_type: [6, 'an experimenter instruction uses a type unknown for its experimenter id.'],
      bad_len: [7, 'an instruction has the wrong length.'],
      eperm: [8, EPERM],
    },
  },
  bad_match: {
    value: 4,
    text: 'the match in the request is invalid.',
    codes: {
      bad_type: [0, 'the match type is not supported; OpenFlow 1.3 uses OXM matches (type 1).'],
      bad_len: [1, 'the match has the wrong length.'],
      bad_tag: [2, 'the match uses a tag or encapsulation the switch does not support.'],
      bad_dl_addr_mask: [3, 'the switch does not support this Ethernet address mask; use an exact address or a mask it accepts.'],
      bad_nw_addr_mask: [4, 'the switch does not support this IP address mask; use a prefix mask or an exact address.'],
      bad_wildcards: [5, 'the switch does not support this combination of masked or omitted match fields.'],
      bad_field: [6, 'the switch (or this table) does not support one of the match fields.'],
      bad_value: [7, 'a match field has a value the switch does not support, e.g. vlan_vid without the 0x1000 present bit.'],
      bad_mask: [8, 'a match mask is not supported, or the value has bits set outside its mask.'],
      bad_prereq: [9, 'a match field needs its prerequisite, e.g. ip_proto needs eth_type 0x0800 or 0x86dd.'],
      dup_field: [10, 'a match field appears more than once; give each field once.'],
      eperm: [11, EPERM],
    },
  },
  flow_mod_failed: {
    value: 5,
    text: 'the flow table modification failed.',
    codes: {
      unknown: [0, 'the flow mod failed for a reason the switch did not specify.'],
      table_full: [1, 'the flow table is full; remove flows or use another table.'],
      bad_table_id: [2, "the table does not exist, or 'all' was used with an add or modify command."],
      overlap: [3, 'check_overlap was set and the flow overlaps an existing one of the same priority.'],
      eperm: [4, EPERM],
      bad_timeout: [5, 'the switch does not support the idle_timeout or hard_timeout given.'],
      bad_command: [6, 'the flow mod command is unknown or not supported.'],
      bad_flags: [7, 'the flow mod flags are unknown or not supported.'],
    },
  },
  group_mod_failed: {
    value: 6,
    text: 'the group table modification failed.',
    codes: {
      group_exists: [0, 'a group with this id already exists; use modify instead of add.'],
      invalid_group: [1, 'the group id is invalid; use an id up to 0xffffff00.'],
      weight_unsupported: [2, 'the switch does not support unequal bucket weights in select groups.'],
      out_of_groups: [3, 'the group table is full; remove groups first.'],
      out_of_buckets: [4, 'the group has more buckets than the switch supports.'],
      chaining_unsupported: [5, 'the switch does not support groups that forward to other groups.'],
      watch_unsupported: [6, 'the group cannot watch the watch_port or watch_group given.'],
      loop: [7, 'the group would cause a forwarding loop between groups.'],
      unknown_group: [8, 'the group to modify does not exist; add it first.'],
      chained_group: [9, 'the group cannot be deleted because another group forwards to it.'],
      bad_type: [10, 'the group type is unknown or not supported.'],
      bad_command: [11, 'the group mod command is unknown or not supported.'],
      bad_bucket: [12, 'a bucket is invalid; check its weight, watch port or group, and actions.'],
      bad_watch: [13, 'a watch port or watch group is invalid (fast-failover buckets need a valid one).'],
      eperm: [14, EPERM],
    },
  },
  port_mod_failed: {
    value: 7,
    text: 'the port modification failed.',
    codes: {
      bad_port: [0, 'the port does not exist.'],
      bad_hw_addr: [1, "the hw_addr does not match the port's hardware address; copy it from the port description."],
      bad_config: [2, 'the port config is invalid.'],
      bad_advertise: [3, 'the advertised features are invalid for this port.'],
      eperm: [4, EPERM],
    },
  },
  table_mod_failed: {
    value: 8,
    text: 'the table modification failed.',
    codes: {
      bad_table: [0, 'the table does not exist.'],
      bad_config: [1, 'the table config is invalid.'],
      eperm: [2, EPERM],
    },
  },
  queue_op_failed: {
    value: 9,
    text: 'the queue operation failed.',
    codes: {
      bad_port: [0, 'the port is invalid or does not exist.'],
      bad_queue: [1, 'the queue does not exist on that port.'],
      eperm: [2, EPERM],
    },
  },
  switch_config_failed: {
    value: 10,
    text: 'the switch configuration request failed.',
    codes: {
      bad_flags: [0, 'the switch config flags are invalid.'],
      bad_len: [1, 'the miss_send_len is invalid.'],
      eperm: [2, EPERM],
    },
  },
  role_request_failed: {
    value: 11,
    text: 'the controller role request failed.',
    codes: {
      stale: [0, 'the generation_id is older than one the switch has seen; send a larger generation_id.'],
      unsup: [1, 'the switch does not support changing the controller role.'],
      bad_role: [2, 'the requested role is invalid.'],
    },
  },
  meter_mod_failed: {
    value: 12,
    text: 'the meter modification failed.',
    codes: {
      unknown: [0, 'the meter mod failed for a reason the switch did not specify.'],
      meter_exists: [1, 'a meter with this id already exists; use modify instead of add.'],
      invalid_meter: [2, 'the meter id is invalid; use an id from 1 up to the switch maximum.'],
      unknown_meter: [3, 'the meter to modify does not exist; add it first.'],
      bad_command: [4, 'the meter mod command is unknown or not supported.'],
      bad_flags: [5, 'the meter flags are not supported (e.g. kbps/pktps, burst or stats).'],
      bad_rate: [6, 'a band rate is not supported.'],
      bad_burst: [7, 'a band burst size is not supported.'],
      bad_band: [8, 'a band type is not supported.'],
      bad_band_value: [9, 'a band value (e.g. the dscp_remark prec_level) is not supported.'],
      out_of_meters: [10, 'the switch has no more meters; remove meters first.'],
      out_of_bands: [11, 'the meter has more bands than the switch supports.'],
    },
  },
  table_features_failed: {
    value: 13,
    text: 'setting the table features failed.',
    codes: {
      bad_table: [0, 'the table does not exist.'],
      bad_metadata: [1, 'the metadata mask is invalid.'],
      bad_type: [2, 'a table feature property type is unknown.'],
      bad_len: [3, 'a table feature property has the wrong length.'],
      bad_argument: [4, 'a table feature property value is not supported.'],
      eperm: [5, EPERM],
    },
  },
  experimenter: {
    value: 0xffff,
    text: 'an experimenter-defined error; its meaning depends on the experimenter id and exp_type.',
    codes: {},
  },
} as const satisfies Record<string, TypeSpec>;

export type ErrorTypeName = keyof typeof SPEC;
export const OFPET_EXPERIMENTER = 0xffff;

function typeEntries(): Record<ErrorTypeName, number> {
  const out = {} as Record<ErrorTypeName, number>;
  for (const [name, spec] of Object.entries(SPEC) as [ErrorTypeName, TypeSpec][]) out[name] = spec.value;
  return out;
}

/** ofp_error_type (16 bits). */
export const ErrorTypeNames: EnumTable<ErrorTypeName> = enumTable('error type', typeEntries());

interface CodeInfo {
  readonly table: EnumTable<string>;
  readonly texts: ReadonlyMap<number, string>;
  readonly typeText: string;
}

const byType = new Map<number, CodeInfo>();
for (const [name, spec] of Object.entries(SPEC) as [ErrorTypeName, TypeSpec][]) {
  const values: Record<string, number> = {};
  const texts = new Map<number, string>();
  for (const [code, [value, text]] of Object.entries(spec.codes)) {
    values[code] = value;
    texts.set(value, text);
  }
  byType.set(spec.value, { table: enumTable(`${name} code`, values), texts, typeText: spec.text });
}

const noCodes = enumTable<string>('error code', {});

/**
 * The code table of an error type (by wire value). Types the spec does not
 * define, and OFPET_EXPERIMENTER (whose layout has exp_type instead of a
 * code), get an empty table, so every code stays a number.
 */
export function errorCodeTable(type: number): EnumTable<string> {
  return byType.get(type)?.table ?? noCodes;
}

/** Names and a one-sentence explanation of an error type/code pair, for logs and the REST API. */
export function describeError(type: number, code: number): { type: string | number; code: string | number; text: string } {
  const info = byType.get(type);
  const typeName = enumName(ErrorTypeNames, type);
  if (info === undefined) {
    return { type: typeName, code, text: `the switch reported error type ${type} (code ${code}), which OpenFlow 1.3.5 does not define.` };
  }
  if (type === OFPET_EXPERIMENTER) return { type: typeName, code, text: info.typeText };
  const codeName = enumName(info.table, code);
  const text = info.texts.get(code) ?? `${info.typeText.replace(/\.$/, '')} (code ${code}, which OpenFlow 1.3.5 does not define for ${String(typeName)}).`;
  return { type: typeName, code: codeName, text };
}

/** A code name of one error type, e.g. OfpCodeName<'bad_match'> is 'bad_len' | 'bad_field' | … */
export type OfpCodeName<T extends ErrorTypeName> = keyof (typeof SPEC)[T]['codes'] & string;

/** The error a switch would send for a rule the codec enforces (carried by CodecError.ofp). */
export function ofpError<T extends ErrorTypeName>(type: T, code: OfpCodeName<T>): OfpErrorCode {
  const spec = SPEC[type] as TypeSpec;
  return { type, code, typeValue: spec.value, codeValue: spec.codes[code]![0] };
}
