// Two instances' static stores over one shared state store (a MemoryStore's
// watchers stand in for etcd's watch between instances): what one records,
// the other's flow service gets and sends; a write the store refuses is
// undone on the switch.
import t from 'tap';
import { StaticStore, type StaticFlowMod, type StaticGroupMod } from '../../../src/core/static/static-store.js';
import { FlowService } from '../../../src/core/flows/flow-service.js';
import { MemoryStore } from '../../../src/core/store/memory-store.js';
import { StoreUnavailableError, type KvStore } from '../../../src/core/store/types.js';
import type { FlowMod } from '../../../src/openflow/messages/flow-mod.js';
import type { Match } from '../../../src/openflow/structs/match.js';
import { PIPELINE } from '../../../src/apps/pipeline.js';
import { harness } from '../flows/fake-link.js';
import { pollUntil } from '../../helpers/ovs.js';

const silent = { info: () => {}, warn: () => {} };

async function instance(kv: KvStore) {
  const h = harness();
  const flows = new FlowService({ switches: h.switches, events: h.events, clock: h.clock, tables: PIPELINE });
  const store = new StaticStore({ flows, kv, log: silent });
  await store.open();
  const link = h.up(1n);
  await flows.reconciled(1n);
  link.clear();
  t.teardown(() => store.close());
  return { store, flows, link };
}

const IP: Match = [{ field: 'eth_type', value: 0x0800 }];
const add = (priority: number, port = 1): StaticFlowMod => ({
  type: 'flow_mod', cookie: 0n, cookie_mask: 0n, table_id: 0, command: 'add', idle_timeout: 0, hard_timeout: 0, priority,
  buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: [], match: IP, instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port, max_len: 'no_buffer' }] }],
});
const flowMods = (m: { type: string }[]): FlowMod[] => m.filter((x): x is FlowMod => x.type === 'flow_mod');

t.test('a flow added through A is installed by B; a delete through A removes it on B; nothing is echoed back to A', async (t) => {
  const shared = new MemoryStore();
  const a = await instance(shared.namespace('api'));
  const b = await instance(shared.namespace('api'));
  await a.store.apply(1n, add(100));
  t.equal(flowMods(a.link.sent).length, 1, 'A sent its add once');
  await pollUntil('B to send the add', () => flowMods(b.link.sent).some((m) => m.command === 'add' && m.priority === 100), 5000, 5);
  t.equal(b.store.flows(1n).length, 1, "B's REST shows the flow");
  await a.store.apply(1n, add(100, 2));
  await pollUntil('B to send the replacement', () => flowMods(b.link.sent).filter((m) => m.command === 'add').length === 2, 5000, 5);
  t.same(b.store.flows(1n)[0]!.instructions, add(100, 2).instructions);
  await a.store.apply(1n, { ...add(100), command: 'delete', table_id: 'all', instructions: [] });
  await pollUntil('B to delete it', () => flowMods(b.link.sent).some((m) => m.command === 'delete_strict'), 5000, 5);
  t.same(b.store.flows(1n), []);
  await a.store.flushed();
  t.equal(flowMods(a.link.sent).length, 3, 'A sent its own three changes and nothing more (its own writes coming back do nothing)');
});

t.test('groups follow too (add, then modify, then delete)', async (t) => {
  const shared = new MemoryStore();
  const a = await instance(shared.namespace('api'));
  const b = await instance(shared.namespace('api'));
  const g = (command: 'add' | 'modify' | 'delete', port = 1): StaticGroupMod => ({
    type: 'group_mod', command, group_type: 'all', group_id: 7, buckets: command === 'delete' ? [] : [{ weight: 0, watch_port: 'any', watch_group: 'any', actions: [{ type: 'output', port, max_len: 'no_buffer' }] }],
  });
  await a.store.apply(1n, g('add'));
  await a.store.apply(1n, g('modify', 3));
  await a.store.apply(1n, g('delete'));
  await pollUntil('B to see the delete', () => b.link.sent.some((m) => m.type === 'group_mod' && m.command === 'delete'), 5000, 5);
  t.same(b.link.sent.filter((m) => m.type === 'group_mod').map((m) => (m as { command: string }).command).slice(-1), ['delete']);
  t.same(b.store.groups(1n), []);
});

t.test('the store refuses the write (etcd away): the switch is brought back, the caller gets StoreUnavailableError', async (t) => {
  const shared = new MemoryStore();
  const kv = shared.namespace('api');
  let down = false;
  const flaky: KvStore = { ...kv, batch: (ops, g) => (down ? Promise.reject(new StoreUnavailableError('etcd is away')) : kv.batch(ops, g)) };
  const a = await instance(flaky);
  await a.store.apply(1n, add(10));
  down = true;
  await t.rejects(a.store.apply(1n, add(20)), StoreUnavailableError);
  const sent = flowMods(a.link.sent);
  t.same(sent.map((m) => `${m.command}:${m.priority}`), ['add:10', 'add:20', 'delete_strict:20'], 'the unrecorded add was taken back');
  t.same(a.store.flows(1n).map((f) => f.priority), [10], 'desired state = what the store holds');
  await t.rejects(a.store.apply(1n, add(10, 5)), StoreUnavailableError);
  t.same(a.store.flows(1n)[0]!.instructions, add(10).instructions, 'a refused replacement puts the stored flow back');
});

t.test('changes of one switch in quick succession are not undone by their own echoes', async (t) => {
  const shared = new MemoryStore();
  const a = await instance(shared.namespace('api'));
  await Promise.all([a.store.apply(1n, add(100, 1)), a.store.apply(1n, add(100, 2)), a.store.apply(1n, add(100, 3))]);
  await a.store.flushed();
  await new Promise((r) => setImmediate(r));
  t.same(flowMods(a.link.sent).map((m) => (m.instructions[0] as unknown as { actions: { port: number }[] }).actions[0]!.port), [1, 2, 3], 'three adds, no flow sent back in between');
  t.same((a.store.flows(1n)[0]!.instructions[0] as unknown as { actions: { port: number }[] }).actions[0]!.port, 3);
});
