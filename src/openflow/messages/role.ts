import { enumTable, readEnum32, writeEnum32 } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

export const ControllerRoles = enumTable('controller role', { nochange: 0, equal: 1, master: 2, slave: 3 });
export type ControllerRole = 'nochange' | 'equal' | 'master' | 'slave';

export interface RoleMsg<T extends 'role_request' | 'role_reply' = 'role_request' | 'role_reply'> {
  readonly type: T;
  readonly xid: number;
  readonly role: ControllerRole | number;
  readonly generation_id: bigint;
}

/** ofp_role_request, OF 1.3.5 §7.3.9: role(4) pad(4) generation_id(8). */
export function decodeRole<T extends 'role_request' | 'role_reply'>(r: Reader, xid: number, type: T): RoleMsg<T> {
  const role = readEnum32(r, ControllerRoles) as RoleMsg['role'];
  r.pad(4);
  return { type, xid, role, generation_id: r.u64('generation_id') };
}

export function encodeRole(w: Writer, m: RoleMsg): void {
  writeEnum32(w, ControllerRoles, m.role);
  w.pad(4);
  w.u64(m.generation_id ?? 0n);
}
