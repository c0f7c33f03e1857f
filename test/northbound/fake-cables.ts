// Cables between FakeSwitches for REST topology tests: a PACKET_OUT the
// controller sends out of a cabled port arrives at the peer switch as a
// PACKET_IN, so LLDP discovery runs for real over TCP. Also hosts: a frame
// "sent by a host" on a port is a PACKET_IN from that switch.
import type { OfpMessage } from '../../src/openflow/message.js';
import { buildArp, buildEthernet, ARP_REQUEST, ETHERTYPE_ARP } from '../../src/packet/index.js';
import type { ApiHarness } from '../helpers/api.js';
import type { FakeSwitch, FakeSwitchOptions } from '../helpers/fake-switch.js';

export class FakeCables {
  private readonly peers = new Map<string, { dpid: bigint; port: number }>();
  private readonly switches = new Map<bigint, FakeSwitch>();
  /** Frames for a switch still connecting: delivered once it is up, as a real cable would have held them (LLDP waits for nobody). */
  private readonly pending = new Map<bigint, OfpMessage[]>();
  private readonly adding = new Set<bigint>();

  constructor(private readonly api: ApiHarness) {}

  cable(a: bigint, pa: number, b: bigint, pb: number): void {
    this.peers.set(`${a}/${pa}`, { dpid: b, port: pb });
    this.peers.set(`${b}/${pb}`, { dpid: a, port: pa });
  }

  /** Connects a fake switch whose packet-outs travel over the cables; `reply` still customises other answers. */
  async add(opts: FakeSwitchOptions): Promise<FakeSwitch> {
    this.adding.add(opts.dpid);
    const reply = (msg: OfpMessage): OfpMessage[] | undefined => {
      if (msg.type === 'packet_out') this.carry(opts.dpid, msg.actions, msg.data);
      return opts.reply?.(msg);
    };
    const sw = await this.api.addSwitch({ ...opts, reply });
    this.switches.set(opts.dpid, sw);
    for (const m of this.pending.get(opts.dpid) ?? []) sw.send(m);
    this.pending.delete(opts.dpid);
    return sw;
  }

  /** A host on (dpid, port) broadcasts an ARP request: the switch sends it to the controller. */
  hostArp(dpid: bigint, port: number, mac: string, ip: string): void {
    const frame = buildEthernet({ dst: 'ff:ff:ff:ff:ff:ff', src: mac, ethertype: ETHERTYPE_ARP, payload: buildArp({ op: ARP_REQUEST, sha: mac, spa: ip, tpa: '10.255.255.254' }) });
    this.packetIn(dpid, port, frame);
  }

  packetIn(dpid: bigint, port: number, data: Buffer): void {
    this.switches.get(dpid)?.send({ type: 'packet_in', xid: 0, buffer_id: 'no_buffer', total_len: data.length, reason: 'no_match', table_id: 0, cookie: 0n, match: [{ field: 'in_port', value: port }], data });
  }

  private carry(from: bigint, actions: readonly { type: string; port?: unknown }[], data: Buffer): void {
    for (const a of actions) {
      if (a.type !== 'output' || typeof a.port !== 'number') continue;
      const peer = this.peers.get(`${from}/${a.port}`);
      if (!peer) continue;
      const pi: OfpMessage = { type: 'packet_in', xid: 0, buffer_id: 'no_buffer', total_len: data.length, reason: 'action', table_id: 0, cookie: 0n, match: [{ field: 'in_port', value: peer.port }], data };
      const sw = this.switches.get(peer.dpid);
      if (sw) sw.send(pi);
      else if (this.adding.has(peer.dpid)) this.pending.set(peer.dpid, [...(this.pending.get(peer.dpid) ?? []), pi]);
    }
  }
}
