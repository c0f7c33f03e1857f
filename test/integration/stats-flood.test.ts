// Under a ping flood, the statistics service's port counters and rates match
// the traffic's order of magnitude.
import t from 'tap';
import { mininetAvailable, startMininet } from '../helpers/mininet.js';
import { pollUntil, missingTool } from '../helpers/ovs.js';
import { ofPort, startController, switchesUp } from '../helpers/controller.js';

const avail = await mininetAvailable();
const skip = missingTool(avail);

t.test('ping flood: port counters and rates', { skip }, async (t) => {
  const c = await startController({ statsIntervalMs: 500 });
  t.teardown(() => c.stop());
  const net = await startMininet('linear,2', { controllerPort: ofPort(c) });
  t.teardown(() => net.stop());
  await switchesUp(c, net.ready.switches.map((s) => s.dpid));
  const [h1, h2] = net.ready.hosts;
  const dpid = BigInt('0x' + h1!.dpid!);
  const port = h1!.port!;
  const warm = await net.ping(h1!.name, h2!.ip, { count: 2, timeout: 2 });
  t.equal(warm.received, 2, 'h1 reaches h2 (flows learned)');

  await c.stats.pollNow(dpid);
  const before = c.stats.port(dpid, port)!;
  t.ok(before, 'h1 port has counters');
  const COUNT = 3000;
  const flood = net.cmd(h1!.name, ['ping', '-f', '-q', '-c', String(COUNT), '-W', '1', h2!.ip], { timeout: 60 });
  // Sample the rates while the flood runs (the service polls every 500 ms).
  let maxPps = 0;
  let done = false;
  void flood.finally(() => (done = true));
  while (!done) {
    await c.stats.pollNow(dpid);
    maxPps = Math.max(maxPps, c.stats.port(dpid, port)?.rates?.rx_pps ?? 0);
    await new Promise((r) => setTimeout(r, 200)); // sampling period of the measurement, not a synchronisation
  }
  const result = await flood;
  t.match(result.output, new RegExp(`${COUNT} packets transmitted`), 'the flood ran');
  await c.stats.pollNow(dpid);
  const after = c.stats.port(dpid, port)!;
  const rx = Number(after.counters.rx_packets - before.counters.rx_packets);
  const tx = Number(after.counters.tx_packets - before.counters.tx_packets);
  t.ok(rx >= COUNT && rx < COUNT * 3, `switch received ${rx} packets from h1 (sent ${COUNT} echo requests)`);
  t.ok(tx >= COUNT * 0.9 && tx < COUNT * 3, `switch sent ${tx} packets to h1 (echo replies)`);
  t.ok(maxPps > 100, `a poll during the flood saw ${Math.round(maxPps)} packets/s`);
  const history = c.stats.history(dpid, port);
  t.ok(history.length >= 2, `bounded history kept (${history.length} samples)`);
  await pollUntil('rates computed', () => after.rates !== undefined || undefined, 1000);
});
