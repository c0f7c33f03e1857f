import t from 'tap';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticStore, StaticInputError, type StaticFlowMod, type StaticGroupMod, type StaticMeterMod } from '../../../src/core/static/static-store.js';
import { OfpErrorReply } from '../../../src/openflow/channel/errors.js';
import { CodecError } from '../../../src/openflow/codec-error.js';
import type { OfpMessage } from '../../../src/openflow/message.js';
import type { FlowStats } from '../../../src/openflow/multipart/flow-stats.js';
import type { Match } from '../../../src/openflow/structs/match.js';
import { FlowService, FlowConflictError } from '../../../src/core/flows/flow-service.js';
import { LmdbStore } from '../../../src/core/store/lmdb-store.js';
import type { StateStore } from '../../../src/core/store/types.js';
import { PIPELINE } from '../../../src/apps/pipeline.js';
import { harness, type FakeLink } from '../flows/fake-link.js';

const silent = { info: () => {}, warn: () => {} };

/**
 * A real flow service on a fake switch (1n, connected unless `connect` is
 * false), the static store over an LMDB store in `dir`: what is sent, what
 * is desired and what is on disk are all real.
 */
async function open(dir = mkdtempSync(join(tmpdir(), 'switchyard-static-')), connect = true) {
  const h = harness();
  const flows = new FlowService({ switches: h.switches, events: h.events, clock: h.clock, tables: PIPELINE });
  const state: StateStore = new LmdbStore(join(dir, 'state'));
  await state.open();
  t.teardown(() => state.close());
  const store = new StaticStore({ flows, kv: state.namespace('api'), log: silent, legacyJournal: join(dir, 'static.jsonl') });
  await store.open();
  const link = connect ? h.up(1n) : undefined;
  if (link) await flows.reconciled(1n);
  link?.clear();
  const api = (): FakeLink => link!;
  return { store, flows, h, link: api, dir, kv: state.namespace('api') };
}

const refusal = (err_type: string, code: string) => ({ err_type, code });

const IP: Match = [{ field: 'eth_type', value: 0x0800 }];
function add(priority: number, match: Match, over: Partial<StaticFlowMod> = {}): StaticFlowMod {
  return {
    type: 'flow_mod', cookie: 0n, cookie_mask: 0n, table_id: 0, command: 'add', idle_timeout: 0, hard_timeout: 0, priority,
    buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: [], match, instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 1, max_len: 'no_buffer' }] }],
    ...over,
  };
}
function sel(command: StaticFlowMod['command'], match: Match, over: Partial<StaticFlowMod> = {}): StaticFlowMod {
  return add(over.priority ?? 0, match, { command, table_id: command === 'delete' || command === 'delete_strict' ? 'all' : 0, instructions: [], ...over });
}
const group = (id: number, command: 'add' | 'modify' | 'delete' = 'add'): StaticGroupMod => ({
  type: 'group_mod', command, group_type: 'all', group_id: id, buckets: command === 'delete' ? [] : [{ weight: 0, watch_port: 'any', watch_group: 'any', actions: [{ type: 'output', port: 1, max_len: 'no_buffer' }] }],
});
const meter = (id: number, command: 'add' | 'delete' = 'add'): StaticMeterMod => ({
  type: 'meter_mod', command, flags: ['kbps'], meter_id: id, bands: command === 'delete' ? [] : [{ type: 'drop', rate: 100, burst_size: 0 }],
});
const mods = (link: FakeLink): OfpMessage[] => link.sent.filter((m) => m.type === 'flow_mod' || m.type === 'group_mod' || m.type === 'meter_mod');

t.test('apply sends, confirms, then records; a refusal records nothing', async (t) => {
  const { store, link, kv } = await open();
  await store.apply(1n, add(10, [{ field: 'in_port', value: 1 }], { cookie: 7n }));
  t.equal(mods(link()).length, 1);
  t.equal(link().barriers, 1, 'confirmed by a barrier');
  t.equal(store.flows(1n).length, 1);
  t.equal(store.flows(1n)[0]!.cookie, 7n, 'kept as bigint');
  t.same(store.flows(2n), [], 'per switch');
  const stored = await kv.list('flow/');
  t.equal(stored.length, 1);
  t.equal((stored[0]!.value as { cookie: string }).cookie, '7', 'JSON-safe in the store');

  link().refuse = (m) => (m.type === 'flow_mod' && m.priority === 11 ? refusal('flow_mod_failed', 'bad_table_id') : undefined);
  await t.rejects(store.apply(1n, add(11, [])), OfpErrorReply);
  t.equal(store.flows(1n).length, 1, 'the refused flow is not stored');
  t.equal((await kv.list('flow/')).length, 1, 'nor recorded');
});

t.test('apply answers with the message as sent and the stored entry as recorded', async (t) => {
  const { store, link, kv } = await open();
  const a = await store.apply(1n, add(10, [{ field: 'in_port', value: 1 }], { hard_timeout: 9, cookie: 3n }));
  t.same((a.msg as StaticFlowMod).flags, ['send_flow_rem'], 'what the store added is in the answer');
  const { xid: _x, ...sent } = mods(link())[0] as OfpMessage & StaticFlowMod;
  t.same(a.msg, sent, 'the message as sent');
  t.same(a.stored, (await kv.list('flow/'))[0]!.value, 'stored is the recorded JSON');
  t.equal((a.stored as { cookie: string }).cookie, '3');
  t.same((await store.apply(1n, sel('delete', []))).stored, undefined, 'a delete stores nothing');
  t.same(await kv.list(), [], 'and the delete removed the entry');
});

t.test('a switch that is not connected: nothing is recorded (the API answers 503)', async (t) => {
  const { store, kv } = await open(undefined, false);
  await t.rejects(store.apply(1n, add(1, [])), /not connected/);
  t.same(store.flows(1n), []);
  t.same(await kv.list(), []);
});

t.test('an add into a slot an app holds is refused before anything is sent', async (t) => {
  const { store, flows, link } = await open();
  await flows.forOwner('l2-switch').install(1n, [{ priority: 10, match: [{ field: 'in_port', value: 1 }], actions: [] }]);
  link().clear();
  await t.rejects(store.apply(1n, add(10, [{ field: 'in_port', value: 1 }])), FlowConflictError);
  t.equal(mods(link()).length, 0);
  t.same(store.flows(1n), []);
});

t.test('what the store refuses is never sent', async (t) => {
  const { store, link } = await open();
  await t.rejects(store.apply(1n, add(1, [], { cookie: 0x5359_0001_0000_0001n })), StaticInputError, 'the controller\'s cookie magic');
  await t.rejects(store.apply(1n, add(1, [], { table_id: 'all' })), StaticInputError, 'an add to "all" tables');
  await t.rejects(store.apply(1n, add(70000, [])), StaticInputError, 'a priority out of range');
  await t.rejects(store.apply(1n, add(1, [], { instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 'nowhere' as never, max_len: 0 }] }] })), CodecError, 'a value that does not encode');
  t.equal(mods(link()).length, 0);
  t.equal(store.flows(1n).length, 0);
});

t.test('a timed flow is sent with send_flow_rem so its expiry is heard', async (t) => {
  const { store, link } = await open();
  await store.apply(1n, add(1, [], { idle_timeout: 30 }));
  t.same((mods(link())[0] as StaticFlowMod).flags, ['send_flow_rem']);
  t.same(store.flows(1n)[0]!.flags, ['send_flow_rem']);
});

t.test('add replaces its slot; modify and delete follow OpenFlow selection', async (t) => {
  const { store } = await open();
  await store.apply(1n, add(10, [{ field: 'in_port', value: 1 }]));
  await store.apply(1n, add(10, [{ field: 'in_port', value: 1 }], { cookie: 5n }));
  t.equal(store.flows(1n).length, 1, 'same table, priority and match: replaced');
  t.equal(store.flows(1n)[0]!.cookie, 5n);
  await store.apply(1n, add(20, [{ field: 'in_port', value: 1 }, ...IP]));
  await store.apply(1n, add(30, [{ field: 'in_port', value: 2 }], { table_id: 1 }));

  const drop: StaticFlowMod['instructions'] = [{ type: 'apply_actions', actions: [] }];
  await store.apply(1n, sel('modify_strict', [{ field: 'in_port', value: 1 }], { priority: 10, instructions: drop }));
  const byPrio = (p: number): StaticFlowMod => store.flows(1n).find((f) => f.priority === p)!;
  t.same(byPrio(10).instructions, drop, 'strict modify: the one flow');
  t.not(byPrio(20).instructions, drop, 'not the more specific one');
  t.equal(byPrio(10).cookie, 5n, 'a modify keeps the cookie');

  await store.apply(1n, sel('modify', [{ field: 'in_port', value: 1 }], { instructions: drop }));
  t.same(byPrio(20).instructions, drop, 'non-strict modify: every flow the match covers in its table');
  t.not(byPrio(30).instructions, drop, 'other tables untouched');
  await store.apply(1n, sel('modify', [{ field: 'in_port', value: 9 }], { instructions: [] }));
  t.equal(store.flows(1n).length, 3, 'a modify that selects nothing adds nothing (OF 1.3)');

  await store.apply(1n, sel('delete', [{ field: 'in_port', value: 1 }], { cookie: 5n, cookie_mask: 0xffn }));
  t.same(store.flows(1n).map((f) => f.priority).sort(), [20, 30], 'cookie mask narrows a delete');
  await store.apply(1n, sel('delete_strict', [{ field: 'in_port', value: 1 }], { priority: 21 }));
  t.equal(store.flows(1n).length, 2, 'strict delete with another priority: nothing');
  await store.apply(1n, sel('delete', []));
  t.same(store.flows(1n), [], 'empty match, all tables: everything');
});

t.test('a strict delete in the form the switch reports removes a flow added with a sloppy mask', async (t) => {
  const { store, dir } = await open();
  await store.apply(1n, add(10, [...IP, { field: 'ipv4_dst', value: '10.0.0.5', mask: '255.255.255.0' }]));
  const reported = { table_id: 0, priority: 10, match: [...IP, { field: 'ipv4_dst', value: '10.0.0.0', mask: '255.255.255.0' }] as Match };
  t.ok(store.hasFlow(1n, reported), 'the reported flow is recognised as stored');
  await store.apply(1n, sel('delete_strict', reported.match, { priority: 10, table_id: 0 }));
  t.same(store.flows(1n), [], 'and deleting it forgets it (it used to come back at the next restart)');
  t.same((await open(dir, false)).store.flows(1n), []);
});

t.test('deleting a group or meter forgets the flows that use it', async (t) => {
  const { store } = await open();
  await store.apply(1n, group(1));
  await store.apply(1n, group(2));
  await store.apply(1n, meter(3));
  await store.apply(1n, add(1, [{ field: 'in_port', value: 1 }], { instructions: [{ type: 'apply_actions', actions: [{ type: 'group', group_id: 1 }] }] }));
  await store.apply(1n, add(2, [{ field: 'in_port', value: 2 }], { instructions: [{ type: 'write_actions', actions: [{ type: 'group', group_id: 2 }] }] }));
  await store.apply(1n, add(3, [{ field: 'in_port', value: 3 }], { instructions: [{ type: 'meter', meter_id: 3 }] }));
  await store.apply(1n, add(4, [{ field: 'in_port', value: 4 }]));
  await store.apply(1n, group(1, 'modify'));
  t.equal(store.groups(1n).length, 2, 'a modify replaces, it does not add');
  await store.apply(1n, group(1, 'delete'));
  t.same(store.flows(1n).map((f) => f.priority).sort(), [2, 3, 4]);
  await store.apply(1n, meter(3, 'delete'));
  t.same(store.flows(1n).map((f) => f.priority).sort(), [2, 4]);
  t.same(store.meters(1n), []);
  await store.apply(1n, { ...group(0, 'delete'), group_id: 'all' });
  t.same(store.groups(1n), []);
  t.same(store.flows(1n).map((f) => f.priority), [4]);
});

t.test('a new store on the same directory has the same state', async (t) => {
  const first = await open();
  await first.store.apply(1n, group(1));
  await first.store.apply(1n, meter(2));
  await first.store.apply(1n, add(1, [{ field: 'metadata', value: 0xffff_ffff_ffff_fff0n, mask: 0xffff_ffff_ffff_ff00n }], { cookie: 0xffff_0000_0000_0001n }));
  await first.store.apply(1n, add(2, []));
  await first.store.apply(1n, sel('delete_strict', [], { priority: 2 }));
  t.equal((await first.kv.list()).length, 3, 'the group, the meter and the flow of priority 1');
  const second = await open(first.dir, false);
  t.same(second.store.flows(1n), first.store.flows(1n), 'flows, 64-bit values included');
  t.same(second.store.groups(1n), first.store.groups(1n));
  t.same(second.store.meters(1n), first.store.meters(1n));
});

t.test('the old JSON-lines journal is imported once, re-keyed, a torn last line skipped, and renamed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-static-'));
  const msg = { type: 'flow_mod', cookie: '0', cookie_mask: '0', table_id: 0, command: 'add', idle_timeout: 0, hard_timeout: 0, priority: 5, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: [], match: [{ field: 'in_port', value: 1 }], instructions: [] };
  writeFileSync(join(dir, 'static.jsonl'), JSON.stringify({ op: 'put', kind: 'flow', dpid: '0000000000000001', key: 'an old key format', msg }) + '\n' + '{"op":"put","kind":"flow","dpid":"zz"}\n{"op":"put","ki');
  const { store } = await open(dir);
  t.ok(store.hasFlow(1n, { table_id: 0, priority: 5, match: [{ field: 'in_port', value: 1 }] }));
  t.notOk(existsSync(join(dir, 'static.jsonl')), 'the journal is not read again');
  t.ok(existsSync(join(dir, 'static.jsonl.imported')), 'but kept');
  await store.apply(1n, sel('delete_strict', [{ field: 'in_port', value: 1 }], { priority: 5 }));
  t.same(store.flows(1n), [], 'so a delete finds it');
  t.same((await open(dir, false)).store.flows(1n), [], 'and it stays deleted after a restart');
});

t.test('a torn journal record is reported, and the acknowledged record the old journal appended onto it is kept', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-static-'));
  const flow = (priority: number, port: number) => ({ type: 'flow_mod', cookie: '0', cookie_mask: '0', table_id: 0, command: 'add', idle_timeout: 0, hard_timeout: 0, priority, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: [], match: [{ field: 'in_port', value: port }], instructions: [] });
  const rec = (key: string, msg: object) => JSON.stringify({ op: 'put', kind: 'flow', dpid: '0000000000000001', key, msg });
  const whole = rec('a', flow(5, 1));
  // What the old journal did: a crash cut a record (no newline), then the next acknowledged add was appended onto that line.
  writeFileSync(join(dir, 'static.jsonl'), whole + '\n' + rec('b', flow(6, 2)).slice(0, 40) + rec('c', flow(7, 3)) + '\n' + rec('d', flow(8, 4)).slice(0, 25));
  const warned: { obj: Record<string, unknown>; msg: string }[] = [];
  const h = harness();
  const flows = new FlowService({ switches: h.switches, events: h.events, clock: h.clock, tables: PIPELINE });
  const state: StateStore = new LmdbStore(join(dir, 'state'));
  await state.open();
  t.teardown(() => state.close());
  const store = new StaticStore({ flows, kv: state.namespace('api'), log: { info: () => {}, warn: (obj, msg) => warned.push({ obj: obj as Record<string, unknown>, msg }) }, legacyJournal: join(dir, 'static.jsonl') });
  await store.open();
  t.same(store.flows(1n).map((f) => f.priority).sort(), [5, 7], 'the whole record and the one written after the torn fragment; the torn ones are not invented');
  t.same(warned.map((w) => [w.obj.line, w.obj.kept]), [[2, true], [3, false]], 'both torn records are reported with their line');
  t.match(warned[1]!.msg, /ends in a torn record/);
});

const stats = (f: StaticFlowMod): FlowStats => ({
  table_id: f.table_id as number, duration_sec: 5, duration_nsec: 0, priority: f.priority, idle_timeout: f.idle_timeout, hard_timeout: f.hard_timeout,
  flags: f.flags, cookie: f.cookie, packet_count: 9n, byte_count: 99n, match: f.match, instructions: f.instructions,
});

t.test('a switch that comes up gets groups, meters, then the flows it is missing, in one reconcile', async (t) => {
  const { store, h, dir } = await open();
  await store.apply(1n, group(1));
  await store.apply(1n, group(5));
  await store.apply(1n, meter(2));
  const kept = add(1, [{ field: 'in_port', value: 1 }]);
  const changed = add(2, [{ field: 'in_port', value: 2 }]);
  const missing = add(3, [{ field: 'in_port', value: 3 }]);
  const expired = add(4, [{ field: 'in_port', value: 4 }], { idle_timeout: 10 });
  for (const f of [kept, changed, missing, expired]) await store.apply(1n, f);
  const asStored = (f: StaticFlowMod) => store.flows(1n).find((x) => x.priority === f.priority)!;

  // The controller restarts: a new store on the same directory, and the switch connects with some of it.
  const again = await open(dir, false);
  const link = again.h.up(1n, (l) => {
    l.replies = (b) => {
      if (b.type === 'flow') return [{ type: 'flow', flows: [stats(asStored(kept)), { ...stats(asStored(changed)), instructions: [] }] }];
      if (b.type === 'group_desc') return [{ type: 'group_desc', groups: [{ group_type: 'all', group_id: 1, buckets: group(1).buckets }, { group_type: 'select', group_id: 5, buckets: [] }] }];
      if (b.type === 'meter_config') return [{ type: 'meter_config', configs: [] }];
      return [];
    };
  });
  void h;
  await again.flows.reconciled(1n);
  const sent = mods(link).map((m) => (m.type === 'flow_mod' ? `flow ${m.command} ${m.priority}` : `${m.type} ${String((m as StaticGroupMod | StaticMeterMod).command)} ${String((m as StaticGroupMod).group_id ?? (m as StaticMeterMod).meter_id)}`));
  const apiSent = sent.filter((x) => !/flow add (0|65000)$/.test(x));
  t.same(apiSent, ['group_mod modify 5', 'meter_mod add 2', 'flow add 2', 'flow add 3'],
    'the group the switch holds unchanged is left, the changed one modified, the meter added; only changed and missing flows are sent, after them');
  t.same(again.store.flows(1n).map((f) => f.priority).sort(), [1, 2, 3], 'the timed flow the switch lost had expired: forgotten');
  await again.store.flushed();
  t.notOk((await again.kv.list('flow/')).some((e) => (e.value as { priority: number }).priority === 4), 'and that is recorded');
});

t.test('a flow_removed for an expiry forgets the stored flow; a delete by someone else does not', async (t) => {
  const { store, h, link, kv } = await open();
  const timed = add(1, [{ field: 'in_port', value: 1 }], { idle_timeout: 10, cookie: 3n });
  await store.apply(1n, timed);
  await store.apply(1n, add(2, [{ field: 'in_port', value: 2 }], { hard_timeout: 10 }));
  const removed = (f: StaticFlowMod, reason: string, cookie = f.cookie): OfpMessage => ({
    type: 'flow_removed', xid: 0, cookie, priority: f.priority, reason, table_id: f.table_id as number, duration_sec: 1, duration_nsec: 0,
    idle_timeout: f.idle_timeout, hard_timeout: f.hard_timeout, packet_count: 0n, byte_count: 0n, match: f.match,
  }) as OfpMessage;
  h.fromSwitch(link(), removed(timed, 'delete'));
  h.fromSwitch(link(), removed(timed, 'idle_timeout', 4n));
  t.equal(store.flows(1n).length, 2, 'a delete, and an expiry of another flow in the slot (other cookie), keep it');
  h.fromSwitch(link(), removed(timed, 'idle_timeout'));
  h.fromSwitch(link(), removed(store.flows(1n).find((f) => f.priority === 2)!, 'hard_timeout'));
  t.same(store.flows(1n), [], 'expired flows are forgotten');
  t.same(h.eventsOf('flow.removed').map((e) => e.data.owner), ['api', 'api', 'api'], 'a flow_removed of an API flow is an event with owner "api"');
  await store.flushed();
  t.same(await kv.list('flow/'), [], 'and recorded');
});
