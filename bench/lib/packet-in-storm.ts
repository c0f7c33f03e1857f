// A packet-in storm from one emulated switch port: ARP requests from many
// source MACs, pre-encoded once and written as fast as the socket drains, so
// the generator spends its CPU on write(2), not on encoding. Used by the
// storm test (test/integration/packet-in-storm.test.ts) and the soak script (bench/storm.bench.ts).
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { encodeMessage } from '../../src/openflow/codec.js';
import { buildArp } from '../../src/packet/arp.js';
import { buildEthernet } from '../../src/packet/ethernet.js';

export interface StormOptions {
  /** Distinct source MACs, cycled (65,536 in the worst case). */
  readonly macs: number;
  /** The switch port the packets "arrive" on. */
  readonly inPort: number;
  /** Packet-ins per write (one TCP write carries this many). */
  readonly perWrite?: number;
  /** Offered load in packet-ins/s (the issue measured 109k and 174k); absent: as fast as the socket drains. */
  readonly rate?: number;
}

/** The MAC of storm sender i: locally administered, unicast. */
export function stormMac(i: number): string {
  const b = [0x02, 0x5e, (i >>> 24) & 0xff, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Every storm frame, encoded: packet_in (no_match, table 0, in_port) carrying an ARP request from MAC i. */
export function stormFrames(o: StormOptions): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < o.macs; i++) {
    const src = stormMac(i);
    const spa = `10.${(i >>> 16) & 0xff}.${(i >>> 8) & 0xff}.${i & 0xff}`;
    const data = buildEthernet({ dst: 'ff:ff:ff:ff:ff:ff', src, ethertype: 0x0806, payload: buildArp({ op: 1, sha: src, spa, tpa: '10.255.255.254' }) });
    out.push(encodeMessage({ type: 'packet_in', xid: 0, buffer_id: 'no_buffer', total_len: data.length, reason: 'no_match', table_id: 0, cookie: 0n, match: [{ field: 'in_port', value: o.inPort }], data }));
  }
  return out;
}

export interface Storm {
  /** Packet-ins written so far. */
  readonly sent: () => number;
  /** Stop writing; resolves when the last write was handed to the socket. */
  stop(): Promise<void>;
}

/** Write the frames in a loop on `sock` until stopped, waiting for 'drain' whenever the socket buffers. */
export function startStorm(sock: net.Socket, o: StormOptions): Storm {
  const frames = stormFrames(o);
  const per = o.perWrite ?? 256;
  // Pre-join the frames in chunks of `per`: one Buffer per write.
  const chunks: Buffer[] = [];
  for (let i = 0; i < frames.length; i += per) chunks.push(Buffer.concat(frames.slice(i, i + per)));
  const counts = chunks.map((_, i) => Math.min(per, frames.length - i * per));
  let sent = 0;
  let running = true;
  let next = 0;
  let finish = (): void => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const t0 = performance.now();
  const pump = (): void => {
    while (running && !sock.destroyed) {
      // Paced: ahead of the offered load, wait a millisecond (timers, so the worker never spins).
      if (o.rate !== undefined && sent >= ((performance.now() - t0) / 1000) * o.rate) {
        setTimeout(pump, 1);
        return;
      }
      const i = next;
      next = (next + 1) % chunks.length;
      sent += counts[i]!;
      if (!sock.write(chunks[i]!)) {
        sock.once('drain', pump);
        return;
      }
    }
    finish();
  };
  sock.once('close', () => {
    running = false;
    finish();
  });
  setImmediate(pump);
  return {
    sent: () => sent,
    async stop() {
      running = false;
      sock.off('drain', pump);
      finish();
      await done;
    },
  };
}
