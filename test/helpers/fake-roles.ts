// OpenFlow 1.3 controller roles (OF 1.3.5 §6.3.7) for fake switches: one
// model shared by the FakeSwitch connections of one "switch" to several
// controllers, as Open vSwitch keeps them: the largest generation id seen,
// one master at a time (a new master makes the old one a slave), stale
// requests refused, and a slave's state-changing messages refused with
// bad_request/is_slave.
import type { OfpMessage } from '../../src/openflow/message.js';

const MODIFYING = new Set(['flow_mod', 'group_mod', 'meter_mod', 'port_mod', 'packet_out', 'table_mod', 'set_config']);

export class FakeRoles {
  maxGeneration: bigint | undefined;
  /** Role of each connection (by name), as the switch holds it. */
  readonly roles = new Map<string, 'equal' | 'master' | 'slave'>();
  /** Messages refused because the sender was a slave. */
  readonly refused: { conn: string; type: string }[] = [];

  /** A FakeSwitch `reply` hook for the connection named `conn`. */
  reply(conn: string): (msg: OfpMessage) => OfpMessage[] | undefined {
    return (msg) => {
      // A new connection starts equal (the old one's role went with it).
      if (msg.type === 'hello') this.roles.delete(conn);
      if (msg.type === 'role_request') {
        const role = msg.role;
        if (role === 'master' || role === 'slave') {
          // OVS: stale when (int64)(generation - largest seen) < 0.
          if (this.maxGeneration !== undefined && BigInt.asIntN(64, msg.generation_id - this.maxGeneration) < 0n) {
            return [{ type: 'error', xid: msg.xid, err_type: 'role_request_failed', code: 'stale', data: Buffer.alloc(0) }];
          }
          this.maxGeneration = msg.generation_id;
          if (role === 'master') for (const [c, r] of this.roles) if (r === 'master') this.roles.set(c, 'slave');
          this.roles.set(conn, role);
        } else if (role === 'equal') this.roles.set(conn, 'equal');
        return [{ type: 'role_reply', xid: msg.xid, role: this.roles.get(conn) ?? 'equal', generation_id: this.maxGeneration ?? 0n }];
      }
      if (MODIFYING.has(msg.type) && this.roles.get(conn) === 'slave') {
        this.refused.push({ conn, type: msg.type });
        return [{ type: 'error', xid: msg.xid, err_type: 'bad_request', code: 'is_slave', data: Buffer.alloc(0) }];
      }
      return undefined;
    };
  }
}
