// A child process holding N emulated switches in a line (switch i's port 2
// is cabled to switch i+1's port 1; port 3 of each has one host), so the
// controller discovers N-1 cables by LLDP and N hosts. Its own process, so
// the switches do not share the controller's event loop.
//
//   fork(switch-farm.js, [ofPort, N]) → {ready}; {cmd:'hosts'} → {hosts};
//   {cmd:'counters'} → {counters}; {cmd:'stop'} → exit.
import { EmulatedSwitch } from './emulated-switch.js';
import { buildArp, buildEthernet, ARP_REQUEST, BROADCAST_MAC, ETHERTYPE_ARP } from '../../src/packet/index.js';
import type { PacketOut } from '../../src/openflow/messages/packet-out.js';

export type FarmRequest = { readonly cmd: 'hosts' } | { readonly cmd: 'counters' } | { readonly cmd: 'stop' };
export interface FarmCounters {
  readonly flows: number;
  readonly flowMods: number;
  readonly barriers: number;
  readonly packetOuts: number;
  readonly statsRequests: number;
}
export type FarmReply = { readonly ready: number } | { readonly hosts: number } | { readonly counters: FarmCounters } | { readonly error: string };

const PORTS = 3;
const HOST_PORT = 3;

function hostMac(i: number): string {
  return `02:00:00:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
}

function reply(m: FarmReply): void {
  process.send?.(m);
}

async function main(): Promise<void> {
  const ofPort = Number(process.argv[2]);
  const n = Number(process.argv[3]);
  const switches: EmulatedSwitch[] = [];
  // The cable plan: (switch index, port) → (switch index, port).
  const peer = (i: number, port: number): [number, number] | undefined => {
    if (port === 2 && i + 1 < n) return [i + 1, 1];
    if (port === 1 && i > 0) return [i - 1, 2];
    return undefined;
  };
  const onPacketOut = (sw: EmulatedSwitch, po: PacketOut): void => {
    const i = Number(sw.dpid) - 1;
    for (const a of po.actions) {
      if (a.type !== 'output' || typeof a.port !== 'number') continue;
      const p = peer(i, a.port);
      if (!p) continue;
      switches[p[0]]!.send({
        type: 'packet_in', xid: 0, buffer_id: 'no_buffer', total_len: po.data.length, reason: 'action', table_id: 0, cookie: 0n,
        match: [{ field: 'in_port', value: p[1] }], data: po.data,
      });
    }
  };
  for (let i = 0; i < n; i++) switches.push(new EmulatedSwitch({ dpid: BigInt(i + 1), ports: PORTS, onPacketOut }));
  for (const sw of switches) await sw.connect(ofPort);
  reply({ ready: n });

  process.on('message', (m: FarmRequest) => {
    if (m.cmd === 'hosts') {
      switches.forEach((sw, i) => {
        const mac = hostMac(i + 1);
        const arp = buildArp({ op: ARP_REQUEST, sha: mac, spa: `10.${(i >> 8) & 0xff}.${i & 0xff}.1`, tpa: `10.${(i >> 8) & 0xff}.${i & 0xff}.254` });
        const data = buildEthernet({ dst: BROADCAST_MAC, src: mac, ethertype: ETHERTYPE_ARP, payload: arp });
        sw.send({ type: 'packet_in', xid: 0, buffer_id: 'no_buffer', total_len: data.length, reason: 'no_match', table_id: 0, cookie: 0n, match: [{ field: 'in_port', value: HOST_PORT }], data });
      });
      reply({ hosts: n });
    } else if (m.cmd === 'counters') {
      const sum = (k: keyof EmulatedSwitch['counters']): number => switches.reduce((s, sw) => s + sw.counters[k], 0);
      reply({ counters: { flows: switches.reduce((s, sw) => s + sw.flowCount, 0), flowMods: sum('flowMods'), barriers: sum('barriers'), packetOuts: sum('packetOuts'), statsRequests: sum('statsRequests') } });
    } else if (m.cmd === 'stop') {
      for (const sw of switches) sw.close();
      process.disconnect?.();
      process.exit(0);
    }
  });
}

main().catch((e: unknown) => {
  reply({ error: (e as Error).stack ?? String(e) });
  process.exit(1);
});
