// Groups and meters for a FakeSwitch (its `reply` hook): group_mod and
// meter_mod with OpenFlow 1.3 add/modify/delete semantics and errors, and
// the group_desc, group, meter_config and meter multipart replies.
import { encodeMessage } from '../../src/openflow/codec.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import type { GroupDesc } from '../../src/openflow/multipart/group-desc.js';
import type { MeterConfig } from '../../src/openflow/multipart/meter-config.js';

export class FakeGroupMeterTable {
  readonly groups = new Map<number, GroupDesc>();
  readonly meters = new Map<number, MeterConfig>();

  /** For FakeSwitch's `reply`: answers what it knows, undefined for the rest. */
  reply(msg: OfpMessage): OfpMessage[] | undefined {
    const xid = msg.xid;
    const error = (err_type: string, code: string): OfpMessage[] => [{ type: 'error', xid, err_type, code, data: encodeMessage(msg).subarray(0, 64) }];
    if (msg.type === 'group_mod') {
      const id = msg.group_id as number;
      if (msg.command === 'add' || msg.command === 'modify') {
        if (msg.command === 'add' && this.groups.has(id)) return error('group_mod_failed', 'group_exists');
        if (msg.command === 'modify' && !this.groups.has(id)) return error('group_mod_failed', 'unknown_group');
        this.groups.set(id, { group_type: msg.group_type, group_id: id, buckets: msg.buckets });
      } else if (msg.group_id === 'all') this.groups.clear();
      else this.groups.delete(id);
      return [];
    }
    if (msg.type === 'meter_mod') {
      const id = msg.meter_id as number;
      if (msg.command === 'add' || msg.command === 'modify') {
        if (msg.command === 'add' && this.meters.has(id)) return error('meter_mod_failed', 'meter_exists');
        if (msg.command === 'modify' && !this.meters.has(id)) return error('meter_mod_failed', 'unknown_meter');
        this.meters.set(id, { flags: msg.flags, meter_id: id, bands: msg.bands });
      } else if (msg.meter_id === 'all') this.meters.clear();
      else this.meters.delete(id);
      return [];
    }
    if (msg.type !== 'multipart_request') return undefined;
    const reply = (body: Extract<OfpMessage, { type: 'multipart_reply' }>['body']): OfpMessage[] => [{ type: 'multipart_reply', xid, flags: [], body }];
    switch (msg.body.type) {
      case 'group_desc':
        return reply({ type: 'group_desc', groups: [...this.groups.values()] });
      case 'group':
        return reply({
          type: 'group',
          stats: [...this.groups.values()].map((g) => ({
            group_id: g.group_id, ref_count: 0, packet_count: 7n, byte_count: 700n, duration_sec: 1, duration_nsec: 0,
            bucket_stats: g.buckets.map(() => ({ packet_count: 0n, byte_count: 0n })),
          })),
        });
      case 'meter_config':
        return reply({ type: 'meter_config', configs: [...this.meters.values()] });
      case 'meter':
        return reply({
          type: 'meter',
          stats: [...this.meters.values()].map((m) => ({
            meter_id: m.meter_id, flow_count: 0, packet_in_count: 3n, byte_in_count: 300n, duration_sec: 1, duration_nsec: 0,
            band_stats: m.bands.map(() => ({ packet_band_count: 0n, byte_band_count: 0n })),
          })),
        });
      default:
        return undefined;
    }
  }
}
