import t from 'tap';
import { Ring, portRates, type PortSample } from '../../../src/core/stats/rates.js';
import type { PortStats } from '../../../src/openflow/multipart/port-stats.js';

const ALL_ONES = 0xffff_ffff_ffff_ffffn;

function sample(time: number, rxBytes: bigint, txBytes: bigint, rxPackets: bigint, txPackets: bigint, durationSec = time / 1000): PortSample {
  const stats: PortStats = {
    port_no: 1, rx_packets: rxPackets, tx_packets: txPackets, rx_bytes: rxBytes, tx_bytes: txBytes, rx_dropped: 0n, tx_dropped: 0n,
    rx_errors: 0n, tx_errors: 0n, rx_frame_err: 0n, rx_over_err: 0n, rx_crc_err: 0n, collisions: 0n, duration_sec: durationSec, duration_nsec: 0,
  };
  return { time, stats };
}

t.test('rates from two samples: bits and packets per second over our clock interval', async (t) => {
  const r = portRates(sample(10_000, 1_000n, 500n, 10n, 5n), sample(20_000, 126_000n, 1_750n, 110n, 15n));
  // 125000 bytes in 10 s = 100000 bit/s; 1250 bytes = 1000 bit/s; 100 packets = 10 pkt/s; 10 packets = 1 pkt/s
  t.same(r, { time: 20_000, rx_bps: 100_000, tx_bps: 1_000, rx_pps: 10, tx_pps: 1, reset: false });
  t.equal(portRates(sample(10_000, 0n, 0n, 0n, 0n), sample(10_000, 5n, 5n, 1n, 1n)), undefined, 'no time passed: no rate');
});

t.test('a counter reset gives a bounded rate from the new value, never a negative or huge one', async (t) => {
  // rx went backwards (counters cleared); tx kept growing.
  const r = portRates(sample(10_000, 9_000_000n, 1_000n, 9_000n, 10n), sample(20_000, 2_500n, 2_250n, 20n, 20n))!;
  t.equal(r.reset, true);
  t.equal(r.rx_bps, 2_000, 'the 2500 bytes counted since the reset, over 10 s');
  t.equal(r.rx_pps, 2);
  t.equal(r.tx_bps, 1_000, 'a counter that kept growing is a plain difference');
  t.ok(r.rx_bps >= 0 && r.tx_bps >= 0);
});

t.test('a restarted port (its age went backwards) resets every counter, even ones that look larger', async (t) => {
  const r = portRates(sample(10_000, 1_000n, 1_000n, 10n, 10n, 500), sample(20_000, 5_000n, 5_000n, 50n, 50n, 3))!;
  t.equal(r.reset, true);
  t.equal(r.rx_bps, 4_000, 'all 5000 bytes are since the restart');
  t.equal(r.tx_pps, 5);
});

t.test('counters a switch does not keep (all ones) give 0, not garbage', async (t) => {
  const r = portRates(sample(0, ALL_ONES, 0n, ALL_ONES, 0n), sample(1_000, ALL_ONES, 100n, ALL_ONES, 1n))!;
  t.equal(r.rx_bps, 0);
  t.equal(r.rx_pps, 0);
  t.equal(r.tx_bps, 800);
});

t.test('the history ring keeps the newest entries in order', async (t) => {
  const ring = new Ring<number>(3);
  t.same(ring.toArray(), []);
  for (let i = 1; i <= 5; i++) ring.push(i);
  t.same(ring.toArray(), [3, 4, 5]);
  t.equal(ring.size, 3);
  ring.push(6);
  t.same(ring.toArray(), [4, 5, 6]);
  t.throws(() => new Ring(0), RangeError);
});
