// In-memory SwitchLink and a harness around SwitchRegistry for flow and stats tests (no sockets, ManualClock).
import { EventEmitter } from 'node:events';
import { ManualClock } from '../../../src/core/clock.js';
import { EventBus, type AnyCoreEvent, type CoreEvent, type CoreEventType } from '../../../src/core/events.js';
import type { SwitchLink } from '../../../src/core/southbound.js';
import { SwitchRegistry } from '../../../src/core/switches.js';
import type { SwitchInfo } from '../../../src/openflow/channel/connection.js';
import { ChannelClosedError } from '../../../src/openflow/channel/errors.js';
import { dpidToString } from '../../../src/openflow/common.js';
import type { OfpMessage } from '../../../src/openflow/message.js';
import type { ErrorMsg } from '../../../src/openflow/messages/error.js';
import type { FlowMod } from '../../../src/openflow/messages/flow-mod.js';
import type { MultipartReplyBody, MultipartRequestBody } from '../../../src/openflow/messages/multipart.js';
import { fakePort } from '../../helpers/fake-switch.js';

export function fakeInfo(dpid: bigint): SwitchInfo {
  return {
    dpid, id: dpidToString(dpid),
    features: { type: 'features_reply', xid: 0, datapath_id: dpid, n_buffers: 0, n_tables: 254, auxiliary_id: 0, capabilities: [], reserved: 0 },
    desc: { mfr_desc: 'test', hw_desc: 'fake link', sw_desc: '1', serial_num: '1', dp_desc: 'fake' },
    ports: [fakePort(1, dpid), fakePort(2, dpid)],
  };
}

type Reply = MultipartReplyBody[] | Promise<MultipartReplyBody[]>;

/**
 * Records what is sent; answers multipart requests from a script; refuses
 * chosen messages with an OFPT_ERROR carrying their xid, delivered as an
 * asynchronous message before the barrier reply (as a switch does).
 */
export class FakeLink implements SwitchLink {
  readonly sent: OfpMessage[] = [];
  readonly requests: MultipartRequestBody[] = [];
  barriers = 0;
  holdBarriers = false;
  refuse: ((m: OfpMessage) => { err_type: string; code: string } | undefined) | undefined;
  replies: (body: MultipartRequestBody) => Reply = (b) => (b.type === 'flow' ? [{ type: 'flow', flows: [] }] : []);
  deliver: (m: OfpMessage) => void = () => {};
  closed = false;
  private nextXid = 100;
  private readonly errors: ErrorMsg[] = [];
  private readonly held: (() => void)[] = [];

  constructor(readonly info: SwitchInfo) {}

  xid(): number {
    return this.nextXid++;
  }
  send(msg: OfpMessage): boolean {
    if (this.closed) return false;
    this.sent.push(msg);
    const r = this.refuse?.(msg);
    if (r) this.errors.push({ type: 'error', xid: msg.xid, err_type: r.err_type, code: r.code, data: Buffer.alloc(0) });
    return true;
  }
  request(): Promise<OfpMessage> {
    return Promise.reject(new Error('FakeLink: request not scripted'));
  }
  requestAll(): Promise<OfpMessage[]> {
    return Promise.reject(new Error('FakeLink: requestAll not scripted'));
  }
  async multipart(body: MultipartRequestBody): Promise<MultipartReplyBody[]> {
    this.requests.push(body);
    return this.replies(body);
  }
  async barrier(): Promise<void> {
    this.barriers++;
    if (this.holdBarriers) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.closed) throw new ChannelClosedError('test closed the link');
    for (const e of this.errors.splice(0)) this.deliver(e);
  }
  /** Answer the barriers held so far. */
  releaseBarriers(): void {
    for (const r of this.held.splice(0)) r();
  }
  flowMods(): FlowMod[] {
    return this.sent.filter((m): m is FlowMod => m.type === 'flow_mod');
  }
  clear(): void {
    this.sent.length = 0;
    this.requests.length = 0;
    this.barriers = 0;
  }
}

class FakeSouthbound extends EventEmitter {}

export function harness() {
  const clock = new ManualClock();
  const events = new EventBus(clock);
  const sb = new FakeSouthbound();
  const switches = new SwitchRegistry(sb, events, clock);
  const seen: AnyCoreEvent[] = [];
  events.subscribe((e) => seen.push(e));
  return {
    clock, events, switches,
    /** Bring a switch up through the registry, as the OpenFlow server would. */
    up(dpid: bigint, prepare?: (link: FakeLink) => void): FakeLink {
      const link = new FakeLink(fakeInfo(dpid));
      link.deliver = (m) => sb.emit('message', link, m);
      prepare?.(link);
      sb.emit('switch-up', link, link.info);
      return link;
    },
    down(link: FakeLink): void {
      link.closed = true;
      sb.emit('switch-down', link, 'test');
    },
    /** An asynchronous message from the switch (flow_removed, error...). */
    fromSwitch(link: FakeLink, m: OfpMessage): void {
      sb.emit('message', link, m);
    },
    eventsOf<K extends CoreEventType>(type: K): CoreEvent<K>[] {
      return seen.filter((e) => e.type === type) as CoreEvent<K>[];
    },
  };
}

/** Let promise callbacks that are already due run (no timers, no sleeping). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
