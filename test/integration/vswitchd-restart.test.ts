// ovs-vswitchd killed and restarted: switches come back, and the flows the
// controller owns are back exactly once (no duplicates, nothing stale).
import t from 'tap';
import { mininetAvailable, startMininet } from '../helpers/mininet.js';
import { pollUntil, restartVswitchd, missingTool } from '../helpers/ovs.js';
import { ofPort, startController, switchesUp } from '../helpers/controller.js';

const avail = await mininetAvailable();
const skip = missingTool(avail);

/** Flow lines without counters, sorted: what must be identical before and after. */
function flowShape(lines: readonly string[]): string[] {
  return lines
    .filter((l) => l.includes('cookie='))
    .map((l) => l.replace(/duration=[^,]*,\s*|n_packets=[^,]*,\s*|n_bytes=[^,]*,\s*|idle_age=[^,]*,\s*|hard_age=[^,]*,\s*/g, '').trim())
    .sort();
}

t.test('vswitchd restart: switches and the controller flows come back, no duplicates', { skip }, async (t) => {
  const c = await startController();
  t.teardown(() => c.stop());
  const net = await startMininet('linear,3', { controllerPort: ofPort(c) });
  t.teardown(() => net.stop());
  const dpids = net.ready.switches.map((s) => s.dpid);
  await switchesUp(c, dpids);
  await pollUntil('links', () => c.topology.links().length === 4 || undefined, 10_000);
  const pa = await net.pingAll({ timeout: 1 });
  t.equal(pa.dropped_pct, 0, 'pingall before the restart');
  // Only flows that should survive anything: LLDP to controller and table-miss (learned ones expire).
  const before = new Map<string, string[]>();
  for (const s of net.ready.switches) before.set(s.name, flowShape(await net.dumpFlows(s.name)).filter((l) => !l.includes('priority=10,')));
  for (const [name, flows] of before) t.equal(flows.length, 2, `${name}: LLDP and table-miss flows (${flows.join(' | ')})`);

  const downs = new Set<string>();
  const off = c.events.on('switch.down', (e) => downs.add(e.data.dpid));
  t.teardown(off);
  await restartVswitchd();
  await pollUntil('every switch to go down and come back', () => (dpids.every((d) => downs.has(d)) && dpids.every((d) => c.switches.get(BigInt('0x' + d)))) || undefined, 30_000);
  for (const s of net.ready.switches) {
    const want = before.get(s.name)!;
    const after = await pollUntil(`${s.name} flows re-installed`, async () => {
      const f = flowShape(await net.dumpFlows(s.name));
      return want.every((w) => f.includes(w)) ? f : undefined;
    }, 10_000);
    const dupes = after.filter((l, i) => after.indexOf(l) !== i);
    t.same(dupes, [], `${s.name}: no duplicate flows`);
    t.same(after.filter((l) => !l.includes('priority=10,')), want, `${s.name}: the same controller flows as before`);
  }
  const again = await net.pingAll({ timeout: 1 });
  t.equal(again.dropped_pct, 0, 'pingall after the restart');
});
