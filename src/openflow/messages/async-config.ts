import { readBits32, writeBits32, type BitTable } from '../enums.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { bitTable } from '../enums.js';

// Each mask bit is (1 << reason) of the matching asynchronous message.
const PacketInBits = bitTable('packet_in reason mask', { no_match: 1, action: 2, invalid_ttl: 4 });
const PortStatusBits = bitTable('port_status reason mask', { add: 1, delete: 2, modify: 4 });
const FlowRemovedBits = bitTable('flow_removed reason mask', { idle_timeout: 1, hard_timeout: 2, delete: 4, group_delete: 8 });

/** [0] applies when the controller is master or equal, [1] when it is slave. */
export type MaskPair = readonly [readonly string[], readonly string[]];

export interface AsyncConfig<T extends 'get_async_reply' | 'set_async' = 'get_async_reply' | 'set_async'> {
  readonly type: T;
  readonly xid: number;
  readonly packet_in_mask: MaskPair;
  readonly port_status_mask: MaskPair;
  readonly flow_removed_mask: MaskPair;
}

function readPair(r: Reader, t: BitTable<string>): MaskPair {
  return [readBits32(r, t), readBits32(r, t)];
}
function writePair(w: Writer, t: BitTable<string>, p: MaskPair | undefined, what: string): void {
  if (!Array.isArray(p) || p.length !== 2) w.fail(`${what} must be a pair [master_or_equal, slave] of flag lists`);
  writeBits32(w, t, p[0]);
  writeBits32(w, t, p[1]);
}

/** ofp_async_config, OF 1.3.5 §7.3.10: packet_in_mask(4x2) port_status_mask(4x2) flow_removed_mask(4x2). */
export function decodeAsyncConfig<T extends 'get_async_reply' | 'set_async'>(r: Reader, xid: number, type: T): AsyncConfig<T> {
  return {
    type,
    xid,
    packet_in_mask: readPair(r, PacketInBits),
    port_status_mask: readPair(r, PortStatusBits),
    flow_removed_mask: readPair(r, FlowRemovedBits),
  };
}

export function encodeAsyncConfig(w: Writer, m: AsyncConfig): void {
  writePair(w, PacketInBits, m.packet_in_mask, 'packet_in_mask');
  writePair(w, PortStatusBits, m.port_status_mask, 'port_status_mask');
  writePair(w, FlowRemovedBits, m.flow_removed_mask, 'flow_removed_mask');
}
