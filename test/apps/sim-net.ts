// A small network for app tests: FakeSwitches on a real controller (over
// TCP), each keeping its flows in a FakeFlowTable, plus a tiny data plane
// that answers "where does this frame go?": flows by priority, matching on
// in_port, eth_type, eth_src, eth_dst (with or without a mask) and
// vlan_vid (OFPVID_NONE matches untagged); output actions; no match
// goes to the controller (what the core's table-miss flow does). Cables
// join switch ports; every other port is a host port whose deliveries are
// recorded. LLDP probes travel the same way, so links are discovered for
// real. settle() waits with echo round trips, never with sleeps.

import type { Test } from 'tap';
import { pino } from 'pino';
import { createController, type Controller } from '../../src/controller.js';
import { MemoryStore } from '../../src/core/store/memory-store.js';
import { ManualClock } from '../../src/core/clock.js';
import type { AppDefinition } from '../../src/core/apps/app-context.js';
import { buildEthernet, isPacketError, parseEthernet } from '../../src/packet/index.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import type { PortNo } from '../../src/openflow/common.js';
import type { Action } from '../../src/openflow/structs/action.js';
import type { OxmField } from '../../src/openflow/structs/oxm.js';
import type { FlowStats } from '../../src/openflow/multipart/flow-stats.js';
import { FakeFlowTable, FakeSwitch } from '../helpers/fake-switch.js';
import { pollUntil } from '../helpers/ovs.js';

export interface SimSpec {
  /** [dpid, number of ports] */
  readonly switches: readonly (readonly [bigint, number])[];
  /** [dpid a, port a, dpid b, port b] */
  readonly cables: readonly (readonly [bigint, number, bigint, number])[];
  readonly apps: readonly AppDefinition[];
  readonly enable: readonly string[];
  readonly appConfig?: Record<string, Record<string, unknown>>;
}

export interface Delivery {
  readonly dpid: bigint;
  readonly port: number;
  readonly frame: Buffer;
}

interface Node {
  readonly fake: FakeSwitch;
  readonly table: FakeFlowTable;
}

const MAX_HOPS = 32;
/** Probe interval on the manual clock; links expire after three of them. */
export const LLDP_INTERVAL_MS = 5000;
const at = (dpid: bigint, port: number): string => `${dpid}/${port}`;

export class SimNet {
  readonly nodes = new Map<bigint, Node>();
  readonly delivered: Delivery[] = [];
  /** Frames that crossed more than MAX_HOPS switches: a forwarding loop. */
  loops = 0;
  /** Bumped by everything that moves a frame or changes a table; settle() waits until it stops moving. */
  private activity = 0;
  private readonly cables = new Map<string, { dpid: bigint; port: number }>();
  private readonly down = new Set<string>();
  private echoXid = 0x7000_0000;

  private constructor(
    readonly c: Controller,
    /** The controller's clock: probes, link expiry and host ageing move only when a test advances it. */
    readonly clock: ManualClock,
  ) {}

  static async start(t: Test, spec: SimSpec): Promise<SimNet> {
    const clock = new ManualClock();
    const c = createController({
      config: { of: { port: 0, address: '127.0.0.1' }, http: { port: -1, address: '127.0.0.1' }, apps: spec.enable, lldpIntervalMs: LLDP_INTERVAL_MS, statsIntervalMs: 600_000, appConfig: spec.appConfig ?? {} },
      apps: spec.apps,
      clock,
      log: pino({ level: process.env.SY_LOG ?? 'silent' }),
      store: new MemoryStore(),
    });
    await c.start();
    t.teardown(() => c.stop());
    const net = new SimNet(c, clock);
    for (const [a, pa, b, pb] of spec.cables) {
      net.cables.set(at(a, pa), { dpid: b, port: pb });
      net.cables.set(at(b, pb), { dpid: a, port: pa });
    }
    for (const [dpid, ports] of spec.switches) {
      const table = new FakeFlowTable();
      const fake = new FakeSwitch({ dpid, ports, flowTable: table });
      fake.on('message', (m: OfpMessage) => net.fromController(dpid, m));
      net.nodes.set(dpid, { fake, table });
      await fake.connect(c.ofAddress!.port);
      t.teardown(() => fake.close());
    }
    await pollUntil('switches up', () => spec.switches.every(([d]) => c.switches.get(d)) || undefined, 5000, 5);
    // The probes sent as each switch came up may have met a peer not yet connected: probe again.
    c.topology.probeAll();
    await pollUntil('links discovered', () => c.topology.links().length === 2 * spec.cables.length || undefined, 5000, 5);
    await net.settle();
    return net;
  }

  /** A frame from a host on (dpid, port). */
  hostSends(dpid: bigint, port: number, frame: Buffer): void {
    this.ingress(dpid, port, frame, 0);
  }

  /** Frames that left host ports carrying `tag` (see frame()). */
  deliveriesOf(tag: string): Delivery[] {
    return this.delivered.filter((d) => d.frame.includes(tag));
  }

  flows(dpid: bigint): FlowStats[] {
    return this.nodes.get(dpid)!.table.flows;
  }

  /** Pull a cable: both ports lose link and both switches say so, as OVS would. */
  unplug(a: bigint, pa: number): void {
    const peer = this.cables.get(at(a, pa))!;
    for (const [d, p] of [[a, pa], [peer.dpid, peer.port]] as const) {
      this.down.add(at(d, p));
      const fake = this.nodes.get(d)!.fake;
      const port = fake.ports[p - 1]!;
      fake.send({ type: 'port_status', xid: 0, reason: 'modify', desc: { ...port, state: ['link_down'] } });
    }
  }

  /** Cut a cable silently (no PORT_STATUS): only the missing probes can tell. */
  cut(a: bigint, pa: number): void {
    const peer = this.cables.get(at(a, pa))!;
    this.down.add(at(a, pa));
    this.down.add(at(peer.dpid, peer.port));
  }

  /** Plug it back: both ports get link again and say so (the topology then probes them). */
  plug(a: bigint, pa: number): void {
    const peer = this.cables.get(at(a, pa))!;
    const ends = [[a, pa], [peer.dpid, peer.port]] as const;
    for (const [d, p] of ends) this.down.delete(at(d, p));
    for (const [d, p] of ends) {
      const fake = this.nodes.get(d)!.fake;
      fake.send({ type: 'port_status', xid: 0, reason: 'modify', desc: { ...fake.ports[p - 1]!, state: ['live'] } });
    }
  }

  /** The switch drops these flows as idle and says so with FLOW_REMOVED, as it would after their idle timeout. */
  expire(dpid: bigint, pred: (f: FlowStats) => boolean): number {
    const { fake, table } = this.nodes.get(dpid)!;
    const gone = table.flows.filter(pred);
    for (const f of gone) {
      table.flows.splice(table.flows.indexOf(f), 1);
      fake.send({
        type: 'flow_removed', xid: 0, cookie: f.cookie, priority: f.priority, reason: 'idle_timeout', table_id: f.table_id, duration_sec: 60,
        duration_nsec: 0, idle_timeout: f.idle_timeout, hard_timeout: f.hard_timeout, packet_count: 1n, byte_count: 60n, match: f.match,
      });
    }
    return gone.length;
  }

  /**
   * Waits until the network is quiet: an echo round trip on every switch
   * proves the controller has handled everything that switch sent before
   * (one connection is in order), and two rounds in a row with no frame or
   * flow moving means nothing is still in flight on another connection.
   */
  async settle(): Promise<void> {
    let quiet = 0;
    for (let round = 0; quiet < 2; round++) {
      if (round > 200) throw new Error('the network never went quiet');
      const before = this.activity;
      await Promise.all([...this.nodes.values()].map((n) => this.echo(n.fake)));
      quiet = this.activity === before ? quiet + 1 : 0;
    }
  }

  private async echo(fake: FakeSwitch): Promise<void> {
    const xid = this.echoXid++;
    fake.send({ type: 'echo_request', xid, data: Buffer.alloc(0) });
    await fake.waitFor((m) => m.type === 'echo_reply' && m.xid === xid);
  }

  private fromController(dpid: bigint, m: OfpMessage): void {
    if (m.type === 'flow_mod') this.activity++;
    if (m.type !== 'packet_out') return;
    this.activity++;
    const inPort = typeof m.in_port === 'number' ? m.in_port : undefined;
    for (const a of m.actions) {
      // A switch does not send a frame back out of the port it came in on unless told IN_PORT.
      if (a.type === 'output' && typeof a.port === 'number' && a.port !== inPort) this.egress(dpid, a.port, m.data, 0);
    }
  }

  private ingress(dpid: bigint, inPort: number, frame: Buffer, hops: number): void {
    if (hops > MAX_HOPS) {
      this.loops++;
      return;
    }
    const node = this.nodes.get(dpid);
    if (!node || this.down.has(at(dpid, inPort))) return;
    this.activity++;
    const flow = lookup(node.table.flows, inPort, frame);
    const actions: readonly Action[] = flow ? applyActions(flow) : [{ type: 'output', port: 'controller', max_len: 'no_buffer' }];
    for (const a of actions) {
      if (a.type !== 'output') continue;
      if (a.port === 'controller') node.fake.send(packetIn(inPort, frame, flow));
      else if (typeof a.port === 'number' && a.port !== inPort) this.egress(dpid, a.port, frame, hops);
    }
  }

  private egress(dpid: bigint, port: number, frame: Buffer, hops: number): void {
    if (this.down.has(at(dpid, port))) return;
    const peer = this.cables.get(at(dpid, port));
    if (peer) this.ingress(peer.dpid, peer.port, frame, hops + 1);
    else this.delivered.push({ dpid, port, frame });
  }
}

/** The highest-priority flow of table 0 whose every match field the frame has. */
function lookup(flows: readonly FlowStats[], inPort: number, frame: Buffer): FlowStats | undefined {
  const eth = parseEthernet(frame);
  if (isPacketError(eth)) return undefined;
  const vlan = eth.vlans[0];
  const have: Record<string, unknown> = { in_port: inPort, eth_type: eth.ethertype, eth_src: eth.src, eth_dst: eth.dst, vlan_vid: vlan ? 0x1000 | vlan.vid : 0 };
  const fits = (f: OxmField): boolean => {
    if (!('field' in f)) return false;
    if (f.mask === undefined) return have[f.field] === f.value;
    return (f.field === 'eth_src' || f.field === 'eth_dst') && maskedMacEqual(String(have[f.field]), String(f.value), String(f.mask));
  };
  return flows.filter((f) => f.table_id === 0 && f.match.every(fits)).sort((a, b) => b.priority - a.priority)[0];
}

function maskedMacEqual(mac: string, value: string, mask: string): boolean {
  const bytes = (m: string): number[] => m.split(':').map((x) => parseInt(x, 16));
  const [a, v, k] = [bytes(mac), bytes(value), bytes(mask)];
  return k.every((byte, i) => (a[i]! & byte) === (v[i]! & byte));
}

function applyActions(f: FlowStats): readonly Action[] {
  return f.instructions.flatMap((i) => (i.type === 'apply_actions' ? i.actions : []));
}

/** As Open vSwitch does (OF 1.3.5 §7.4.1): the table-miss flow (priority 0, empty match) sends no_match, any other flow action. */
function packetIn(port: number, data: Buffer, flow: FlowStats | undefined): OfpMessage {
  const miss = !flow || (flow.priority === 0 && flow.match.length === 0);
  return {
    type: 'packet_in', xid: 0, buffer_id: 'no_buffer', total_len: data.length, reason: miss ? 'no_match' : 'action', table_id: 0,
    cookie: flow?.cookie ?? 0xffffffffffffffffn, match: [{ field: 'in_port', value: port }], data,
  };
}

/** A frame of an experimental ethertype carrying `tag`, so a test can count where copies of it went. */
export function frame(src: string, dst: string, tag: string, vid?: number): Buffer {
  return buildEthernet({ src, dst, ethertype: 0x88b5, payload: Buffer.from(tag), ...(vid !== undefined && { vlans: [{ vid }] }) });
}

/** Output ports of a flow's apply_actions. */
export function outPorts(f: FlowStats): PortNo[] {
  return applyActions(f).flatMap((a) => (a.type === 'output' ? [a.port] : []));
}

/** The value of one match field of a flow. */
export function matchValue(f: FlowStats, field: string): unknown {
  for (const m of f.match) if ('field' in m && m.field === field) return m.value;
  return undefined;
}
