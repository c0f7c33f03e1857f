import type { DesiredFlow, FlowSpec } from './flow-spec.js';
import type { GroupMod } from '../../openflow/messages/group-mod.js';
import type { MeterMod } from '../../openflow/messages/meter-mod.js';
import type { PacketOut } from '../../openflow/messages/packet-out.js';

/** Everything one owner sends to one switch in one go; sent as deletes, groups, meters, adds, packet-outs, then one barrier. */
export interface FlowBatch {
  readonly remove?: readonly string[];
  readonly install?: readonly FlowSpec[];
  /** Passed through (not cached): groups and meters must exist before the flows that use them. */
  readonly groupMods?: readonly Omit<GroupMod, 'xid'>[];
  readonly meterMods?: readonly Omit<MeterMod, 'xid'>[];
  /** Sent last, so the packet meets the flows just installed (the packet-in hot path). */
  readonly packetOuts?: readonly Omit<PacketOut, 'xid'>[];
}

/** One owner's view of the flow service: it can only see and touch its own flows. */
export interface FlowOwner {
  readonly name: string;
  readonly id: number;
  install(dpid: bigint, specs: readonly FlowSpec[]): Promise<void>;
  remove(dpid: bigint, keys: readonly string[]): Promise<void>;
  /** One masked flow_mod delete per switch (every generation of this owner's cookies) and a cleared cache. */
  removeAll(dpid?: bigint): Promise<void>;
  apply(dpid: bigint, batch: FlowBatch): Promise<void>;
  /** Desired flows of this owner, on one switch or on all. */
  list(dpid?: bigint): DesiredFlow[];
  /** The key a spec without `key` gets (for remove). */
  keyOf(spec: FlowSpec): string;
  /** Whether this owner's flow `key` is desired on the switch (sent and not refused, expired or removed): a cheap check before rebuilding a spec that would be deduplicated anyway. */
  has(dpid: bigint, key: string): boolean;
}

/** What an OwnerHandle needs of the service (kept narrow so the handle stays a thin forwarding class). */
export interface OwnerHost {
  apply(h: OwnerHandle, dpid: bigint, b: FlowBatch): Promise<void>;
  removeAll(h: OwnerHandle, dpid: bigint | undefined): Promise<void>;
  list(h: OwnerHandle, dpid: bigint | undefined): DesiredFlow[];
  keyOf(spec: FlowSpec): string;
  has(h: OwnerHandle, dpid: bigint, key: string): boolean;
}

/** FlowOwner as a class, not closures: one object per owner, methods on the prototype. */
export class OwnerHandle implements FlowOwner {
  constructor(
    private readonly svc: OwnerHost,
    readonly name: string,
    readonly id: number,
    readonly cookieBits: bigint,
  ) {}
  install(dpid: bigint, specs: readonly FlowSpec[]): Promise<void> {
    return this.svc.apply(this, dpid, { install: specs });
  }
  remove(dpid: bigint, keys: readonly string[]): Promise<void> {
    return this.svc.apply(this, dpid, { remove: keys });
  }
  removeAll(dpid?: bigint): Promise<void> {
    return this.svc.removeAll(this, dpid);
  }
  apply(dpid: bigint, batch: FlowBatch): Promise<void> {
    return this.svc.apply(this, dpid, batch);
  }
  list(dpid?: bigint): DesiredFlow[] {
    return this.svc.list(this, dpid);
  }
  keyOf(spec: FlowSpec): string {
    return this.svc.keyOf(spec);
  }
  has(dpid: bigint, key: string): boolean {
    return this.svc.has(this, dpid, key);
  }
}
