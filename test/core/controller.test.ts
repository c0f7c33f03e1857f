import t, { type Test } from 'tap';
import { pino } from 'pino';
import { createController } from '../../src/controller.js';
import { MemoryStore } from '../../src/core/store/memory-store.js';
import { BUILTIN_APPS } from '../../src/apps/index.js';
import { AppError } from '../../src/core/apps/app-manager.js';
import { FakeSwitch } from '../helpers/fake-switch.js';
import { pollUntil } from '../helpers/ovs.js';
import { ARP_FRAME } from '../helpers/samples.js';
import type { OfpMessage } from '../../src/openflow/message.js';

async function setup(t: Test) {
  const c = createController({
    config: { of: { port: 0, address: '127.0.0.1' }, http: { port: -1, address: '127.0.0.1' }, apps: ['l2-switch'] },
    apps: BUILTIN_APPS,
    log: pino({ level: 'silent' }),
    store: new MemoryStore(),
  });
  await c.start();
  t.teardown(() => c.stop());
  const sw = new FakeSwitch({ dpid: 0x10n, ports: 3 });
  await sw.connect(c.ofAddress!.port);
  t.teardown(() => sw.close());
  await pollUntil('switch up', () => c.switches.get(0x10n), 5000);
  return { c, sw };
}

const flowMods = (sw: FakeSwitch): Extract<OfpMessage, { type: 'flow_mod' }>[] =>
  sw.received.filter((m): m is Extract<OfpMessage, { type: 'flow_mod' }> => m.type === 'flow_mod');

t.test('a switch that comes up gets the table-miss flows of the pipeline and the LLDP flow', async (t) => {
  const { sw } = await setup(t);
  await pollUntil('two flow_mods', () => flowMods(sw).length >= 2 || undefined, 5000);
  const prios = flowMods(sw).map((f) => `${String(f.table_id)}:${f.priority}`).sort();
  t.same(prios.filter((p) => p !== '0:9'), ['0:0', '0:65000'], 'the table-miss of main (cnet drops on a miss without a flow: OpenFlow 1.3 does) and LLDP');
  t.ok(flowMods(sw).every((f) => f.cookie >> 48n === 0x5359n), 'cookies carry the Switchyard magic');
});

t.test('packet-ins reach the l2-switch app; disabling it removes its processor and its flows', async (t) => {
  const { c, sw } = await setup(t);
  const pin = (inPort: number): OfpMessage => ({ type: 'packet_in', xid: 0, buffer_id: 'no_buffer', total_len: ARP_FRAME.length, reason: 'no_match', table_id: 0, cookie: 0n, match: [{ field: 'in_port', value: inPort }], data: ARP_FRAME });
  sw.send(pin(1));
  const isArpOut = (m: OfpMessage): boolean => m.type === 'packet_out' && m.data.equals(ARP_FRAME);
  const out = await sw.waitFor(isArpOut);
  t.same(out.type === 'packet_out' && out.actions.map((a) => (a.type === 'output' ? a.port : -1)).sort(), [2, 3], 'a broadcast is flooded to the other edge ports');
  t.equal(c.packets.counters.handledBy.get('l2-switch'), 1);
  t.same(c.hosts.byMac('00:00:00:00:00:01')?.port_no, 1, 'the host tracker saw the sender');

  await c.apps.disable('l2-switch');
  const del = flowMods(sw).find((f) => f.command === 'delete' && f.cookie_mask !== 0n);
  t.ok(del, 'one masked delete for the app');
  t.equal(c.apps.isEnabled('l2-switch'), false);
  const before = sw.received.filter(isArpOut).length;
  sw.send(pin(2));
  await c.switches.get(0x10n)!.link.barrier();
  t.equal(sw.received.filter(isArpOut).length, before, 'no packet-out of the packet once disabled');
  t.same(c.apps.list().map((a) => [a.name, a.enabled]).sort(), [['blocklist', false], ['container-net', false], ['forwarding', false], ['l2-switch', false]]);
  await c.apps.enable('l2-switch');
  t.equal(c.apps.isEnabled('l2-switch'), true);
  await t.rejects(c.apps.enable('no-such-app'), AppError);
});
