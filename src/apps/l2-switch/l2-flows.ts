// The l2-switch's flows, as pure data. Two kinds, both keyed per (VLAN, MAC)
// on a switch so that learning the MAC again replaces its flow in place:
//
//   dst:   vlan_vid + eth_dst = MAC → output:port      (priority P)
//   catch: vlan_vid + eth_src = MAC → output:controller (priority P+1)
//
// One dst flow per MAC, not one per (in_port, src, dst) pair: a pingall on
// a tree of 13 switches and 27 hosts needs about 350 flows instead of about
// 3,000, and Open vSwitch's userspace datapath spends its time on flow-mods.
// The price is that a host's own packets no longer come to the controller
// once their destinations are known, so a host that never sends to an
// unknown or broadcast destination would never be learned (and traffic to
// it flooded forever). The catch flow closes that gap: when a switch floods
// a unicast because it does not know the destination, it asks to see that
// MAC's next packet, learns it from that, and drops the catch.

import type { FlowSpec } from '../../core/flows/flow-spec.js';
import type { OxmField } from '../../openflow/structs/oxm.js';

const OFPVID_PRESENT = 0x1000;
/** The I/G bit of a MAC: as a mask with a zero value it matches unicast only. */
const GROUP_BIT = '01:00:00:00:00:00';
/** vlan_vid value matching frames without an 802.1Q tag (OF 1.3.5 §7.2.3.8). */
const OFPVID_NONE = 0x0000;

export interface L2FlowOptions {
  readonly priority: number;
  /** Seconds; 0 = never. Both kinds use it: a catch nobody answers goes away too. */
  readonly idleTimeout: number;
}

export const dstKey = (vlan: number | null, mac: string): string => `dst/${vlan ?? '-'}/${mac}`;
export const catchKey = (vlan: number | null, mac: string): string => `catch/${vlan ?? '-'}/${mac}`;

/**
 * Untagged is matched explicitly: without it an untagged MAC's flow would
 * also take that MAC's tagged frames, on every VLAN.
 */
function vlanField(vlan: number | null): OxmField {
  return { field: 'vlan_vid', value: vlan === null ? OFPVID_NONE : OFPVID_PRESENT | vlan };
}

export function dstFlow(vlan: number | null, mac: string, port: number, o: L2FlowOptions): FlowSpec {
  return {
    key: dstKey(vlan, mac),
    priority: o.priority,
    match: [vlanField(vlan), { field: 'eth_dst', value: mac }],
    actions: [{ type: 'output', port, max_len: 0 }],
    idleTimeout: o.idleTimeout,
  };
}

export function catchFlow(vlan: number | null, mac: string, o: L2FlowOptions): FlowSpec {
  return {
    key: catchKey(vlan, mac),
    // Above the dst flows: the MAC's packets must reach us whatever their destination.
    priority: o.priority + 1,
    // Unicast only: the MAC's broadcasts are flooded by the switch (in-switch-flood.ts), which
    // also copies them to us, so they teach us the MAC without being held up.
    match: [vlanField(vlan), { field: 'eth_src', value: mac }, { field: 'eth_dst', value: '00:00:00:00:00:00', mask: GROUP_BIT }],
    // no_buffer: the whole frame, since we send it on ourselves.
    actions: [{ type: 'output', port: 'controller', max_len: 'no_buffer' }],
    idleTimeout: o.idleTimeout,
  };
}

/** Which dst or catch flow a flow.removed match (JSON: [{field, value, mask?}]) names, or undefined. */
export function flowOfMatch(match: unknown): { kind: 'dst' | 'catch'; vlan: number | null; mac: string } | undefined {
  if (!Array.isArray(match)) return undefined;
  let vlan: number | null = null;
  let dst: string | undefined;
  let src: string | undefined;
  for (const f of match as { field?: unknown; value?: unknown; mask?: unknown }[]) {
    if (f?.field === 'in_port') return undefined; // a flood flow
    if (f?.field === 'vlan_vid' && typeof f.value === 'number') vlan = f.value & OFPVID_PRESENT ? f.value & 0xfff : null;
    else if (f?.field === 'eth_dst' && typeof f.value === 'string' && f.mask === undefined) dst = f.value;
    else if (f?.field === 'eth_src' && typeof f.value === 'string') src = f.value;
  }
  if (src !== undefined) return { kind: 'catch', vlan, mac: src };
  if (dst !== undefined) return { kind: 'dst', vlan, mac: dst };
  return undefined;
}
