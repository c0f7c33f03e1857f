import { portNumber, type PortNo } from '../../openflow/common.js';
import { show } from '../../openflow/enums.js';
import type { Action } from '../../openflow/structs/action.js';
import type { Instruction } from '../../openflow/structs/instruction.js';
import { OXM_FIELD_BY_NAME, type OxmBasic } from '../../openflow/structs/oxm.js';
import { badRequest } from '../errors.js';
import {
  groupFromUser, groupToUser, maxLenFromUser, meterFromUser, meterToUser, portFromUser, portToUser, queueFromUser,
  queueToUser, tableFromUser, tableToUser, u64, uint,
} from './ryu-values.js';

// ofctl_v1_3.to_actions / to_action and actions_to_str: Ryu's action dicts
// (where instructions are "actions" too) ⇄ our instructions.

/** Action types ofctl_utils.to_action builds for OpenFlow 1.3. */
export const RYU_ACTION_TYPES = [
  'OUTPUT', 'COPY_TTL_OUT', 'COPY_TTL_IN', 'SET_MPLS_TTL', 'DEC_MPLS_TTL', 'PUSH_VLAN', 'POP_VLAN', 'PUSH_MPLS', 'POP_MPLS',
  'SET_QUEUE', 'GROUP', 'SET_NW_TTL', 'DEC_NW_TTL', 'SET_FIELD', 'PUSH_PBB', 'POP_PBB', 'EXPERIMENTER',
] as const;
/** What to_actions turns into instructions of their own. */
export const RYU_INSTRUCTION_TYPES = ['WRITE_ACTIONS', 'CLEAR_ACTIONS', 'GOTO_TABLE', 'WRITE_METADATA', 'METER'] as const;

export type RyuAction = Readonly<Record<string, unknown>>;

const SIMPLE = { COPY_TTL_OUT: 'copy_ttl_out', COPY_TTL_IN: 'copy_ttl_in', DEC_MPLS_TTL: 'dec_mpls_ttl', POP_VLAN: 'pop_vlan', DEC_NW_TTL: 'dec_nw_ttl', POP_PBB: 'pop_pbb' } as const;
const WITH_ETHERTYPE = { PUSH_VLAN: 'push_vlan', PUSH_MPLS: 'push_mpls', POP_MPLS: 'pop_mpls', PUSH_PBB: 'push_pbb' } as const;
const OLD_FIELD_NAMES: Readonly<Record<string, string>> = {
  dl_dst: 'eth_dst', dl_src: 'eth_src', dl_type: 'eth_type', dl_vlan: 'vlan_vid', nw_src: 'ipv4_src', nw_dst: 'ipv4_dst', nw_proto: 'ip_proto',
};

/** ofctl_utils.to_action; undefined for the types to_actions treats as instructions. */
export function actionFromRyu(a: RyuAction, what: string): Action | undefined {
  const type = a.type;
  const at = `${what} (${String(type)})`;
  if (typeof type !== 'string') throw badRequest(`${what} needs a "type" such as "OUTPUT", got ${show(type)}`);
  if (Object.hasOwn(SIMPLE, type)) return { type: SIMPLE[type as keyof typeof SIMPLE] };
  if (Object.hasOwn(WITH_ETHERTYPE, type)) {
    return { type: WITH_ETHERTYPE[type as keyof typeof WITH_ETHERTYPE], ethertype: uint(a.ethertype, `${at}.ethertype`, 16) };
  }
  switch (type) {
    case 'OUTPUT':
      return { type: 'output', port: portFromUser(a.port ?? 'ANY', `${at}.port`), max_len: maxLenFromUser(a.max_len ?? 'MAX', `${at}.max_len`) };
    case 'SET_MPLS_TTL':
      return { type: 'set_mpls_ttl', mpls_ttl: uint(a.mpls_ttl, `${at}.mpls_ttl`, 8) };
    case 'SET_QUEUE':
      return { type: 'set_queue', queue_id: queueFromUser(a.queue_id, `${at}.queue_id`) };
    case 'GROUP':
      return { type: 'group', group_id: groupFromUser(a.group_id, `${at}.group_id`) };
    case 'SET_NW_TTL':
      return { type: 'set_nw_ttl', nw_ttl: uint(a.nw_ttl, `${at}.nw_ttl`, 8) };
    case 'SET_FIELD':
      return { type: 'set_field', field: setFieldFromRyu(a.field, a.value, at) };
    case 'EXPERIMENTER':
      return experimenterFromRyu(a, at);
    case 'COPY_FIELD':
      throw badRequest(`${what}: COPY_FIELD is an OpenFlow 1.5 action; Switchyard speaks OpenFlow 1.3`);
    default:
      return undefined;
  }
}

function setFieldFromRyu(field: unknown, value: unknown, what: string): OxmBasic {
  const name = typeof field === 'string' ? OLD_FIELD_NAMES[field] ?? field : undefined;
  const info = name === undefined ? undefined : OXM_FIELD_BY_NAME.get(name);
  if (info === undefined) throw badRequest(`${what}.field must be an OpenFlow 1.3 match field name such as "vlan_vid" or "eth_dst", got ${show(field)}`);
  // OFPActionSetField(**{field: value}) takes the raw OXM value: vlan_vid includes OFPVID_PRESENT (4102 = VLAN 6).
  switch (info.kind) {
    case 'mac':
    case 'ipv4':
    case 'ipv6':
      if (typeof value !== 'string') throw badRequest(`${what}.value must be an address string for ${info.name}, got ${show(value)}`);
      return { field: info.name, value: info.kind === 'mac' ? value.toLowerCase() : value };
    case 'port':
      return { field: info.name, value: info.name === 'in_port' ? portFromUser(value, `${what}.value`) : uint(value, `${what}.value`, 32) };
    case 'u64':
      return { field: info.name, value: u64(value, `${what}.value`) };
    default:
      return { field: info.name, value: uint(value, `${what}.value`, Math.log2(info.max + 1)) };
  }
}

function experimenterFromRyu(a: RyuAction, what: string): Action {
  const experimenter = uint(a.experimenter, `${what}.experimenter`, 32);
  const dataType = a.data_type ?? 'ascii';
  const data = a.data ?? '';
  if (dataType !== 'ascii' && dataType !== 'base64') throw badRequest(`${what}.data_type must be "ascii" or "base64", got ${show(dataType)}`);
  if (typeof data !== 'string') throw badRequest(`${what}.data must be a string, got ${show(data)}`);
  const bytes = dataType === 'base64' ? Buffer.from(data, 'base64') : Buffer.from(data, 'latin1');
  // An action is a multiple of 8 bytes: header(4) + experimenter(4) + data, zero-padded as Ryu's serializer does.
  const padded = Buffer.alloc(Math.ceil(bytes.length / 8) * 8);
  bytes.copy(padded);
  return { type: 'experimenter', experimenter, data: padded };
}

/** ofctl_v1_3.to_actions: actions go into one APPLY_ACTIONS, last; the instruction types in the order given. */
export function instructionsFromRyu(acts: readonly RyuAction[], what = 'actions'): Instruction[] {
  const out: Instruction[] = [];
  const apply: Action[] = [];
  acts.forEach((a, i) => {
    const at = `${what}[${i}]`;
    const action = actionFromRyu(a, at);
    if (action !== undefined) {
      apply.push(action);
      return;
    }
    switch (a.type) {
      case 'WRITE_ACTIONS': {
        const list = a.actions ?? [];
        if (!Array.isArray(list)) throw badRequest(`${at}.actions must be a list of actions`);
        const write = list.map((x: RyuAction, j) => actionsOnly(x, `${at}.actions[${j}]`));
        if (write.length > 0) out.push({ type: 'write_actions', actions: write });
        return;
      }
      case 'CLEAR_ACTIONS':
        out.push({ type: 'clear_actions' });
        return;
      case 'GOTO_TABLE':
        out.push({ type: 'goto_table', table_id: gotoTable(a.table_id, `${at}.table_id`) });
        return;
      case 'WRITE_METADATA':
        out.push({
          type: 'write_metadata', metadata: u64(a.metadata, `${at}.metadata`),
          metadata_mask: a.metadata_mask === undefined ? 0xffff_ffff_ffff_ffffn : u64(a.metadata_mask, `${at}.metadata_mask`),
        });
        return;
      case 'METER':
        out.push({ type: 'meter', meter_id: meterFromUser(a.meter_id, `${at}.meter_id`) });
        return;
      default:
        throw badRequest(`${at} has an unknown type ${show(a.type)}; use one of ${[...RYU_ACTION_TYPES, ...RYU_INSTRUCTION_TYPES].join(', ')}`);
    }
  });
  if (apply.length > 0) out.push({ type: 'apply_actions', actions: apply });
  return out;
}

/** An action where only actions fit (a group bucket, WRITE_ACTIONS). */
export function actionsOnly(a: RyuAction, what: string): Action {
  const action = actionFromRyu(a, what);
  if (action === undefined) throw badRequest(`${what}: ${show(a.type)} is not an action here; use one of ${RYU_ACTION_TYPES.join(', ')}`);
  return action;
}

function gotoTable(v: unknown, what: string): number {
  const t = tableFromUser(v, what);
  if (t === 'all') throw badRequest(`${what} must be a table number (OFPTT_ALL is not a table to go to)`);
  return t;
}

/** ofctl_v1_3.action_to_str. */
export function actionToRyu(a: Action): string {
  switch (a.type) {
    case 'output':
      return `OUTPUT:${portToUser(a.port)}`;
    case 'copy_ttl_out':
    case 'copy_ttl_in':
    case 'dec_mpls_ttl':
    case 'pop_vlan':
    case 'dec_nw_ttl':
    case 'pop_pbb':
      return a.type.toUpperCase();
    case 'set_mpls_ttl':
      return `SET_MPLS_TTL:${a.mpls_ttl}`;
    case 'set_nw_ttl':
      return `SET_NW_TTL:${a.nw_ttl}`;
    case 'push_vlan':
    case 'push_mpls':
    case 'pop_mpls':
    case 'push_pbb':
      return `${a.type.toUpperCase()}:${a.ethertype}`;
    case 'set_queue':
      return `SET_QUEUE:${queueToUser(a.queue_id)}`;
    case 'group':
      return `GROUP:${groupToUser(a.group_id)}`;
    case 'set_field': {
      const f = a.field;
      if (!('field' in f)) return 'SET_FIELD: {unknown}';
      const v = f.field === 'in_port' || f.field === 'in_phy_port' ? portNumber(f.value as PortNo) : f.value;
      return `SET_FIELD: {${f.field}:${String(v)}}`;
    }
    case 'experimenter':
      return `EXPERIMENTER: {experimenter:${a.experimenter}, data:${a.data.toString('base64')}}`;
    default:
      return 'UNKNOWN';
  }
}

/** ofctl_v1_3.actions_to_str: apply-actions flattened, write-actions as {"WRITE_ACTIONS": [...]}, the rest as "NAME:value". */
export function instructionsToRyu(list: readonly Instruction[]): (string | { WRITE_ACTIONS: string[] })[] {
  const out: (string | { WRITE_ACTIONS: string[] })[] = [];
  for (const ins of list) {
    switch (ins.type) {
      case 'apply_actions':
        for (const a of ins.actions) out.push(actionToRyu(a));
        break;
      case 'write_actions':
        if (ins.actions.length > 0) out.push({ WRITE_ACTIONS: ins.actions.map(actionToRyu) });
        break;
      case 'clear_actions':
        out.push('CLEAR_ACTIONS');
        break;
      case 'goto_table':
        out.push(`GOTO_TABLE:${tableToUser(ins.table_id)}`);
        break;
      case 'write_metadata':
        out.push(ins.metadata_mask !== 0n ? `WRITE_METADATA:0x${ins.metadata.toString(16)}/0x${ins.metadata_mask.toString(16)}` : `WRITE_METADATA:0x${ins.metadata.toString(16)}`);
        break;
      case 'meter':
        out.push(`METER:${meterToUser(ins.meter_id)}`);
        break;
      default:
        break; // experimenter instructions: actions_to_str skips them
    }
  }
  return out;
}
