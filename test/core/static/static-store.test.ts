import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticStore, StaticInputError, canonicalChange, type StaticFlowMod, type StaticGroupMod, type StaticMeterMod } from '../../../src/core/static/static-store.js';
import { OfpErrorReply } from '../../../src/openflow/channel/errors.js';
import { CodecError } from '../../../src/openflow/codec-error.js';
import type { OfpMessage } from '../../../src/openflow/message.js';
import type { FlowStats } from '../../../src/openflow/multipart/flow-stats.js';
import type { Match } from '../../../src/openflow/structs/match.js';
import type { SwitchRecord, SwitchRegistry } from '../../../src/core/switches.js';
import type { FlowService, UnsentMessage } from '../../../src/core/flows/flow-service.js';

/** The parts of SwitchRegistry the store uses, driven by the test. */
class Switches {
  readonly upHooks: ((sw: SwitchRecord) => void)[] = [];
  readonly msgHooks: ((sw: SwitchRecord, m: OfpMessage) => void)[] = [];
  readonly records = new Map<bigint, SwitchRecord>();
  onSwitchUp(fn: (sw: SwitchRecord) => void): void {
    this.upHooks.push(fn);
  }
  onMessage(fn: (sw: SwitchRecord, m: OfpMessage) => void): void {
    this.msgHooks.push(fn);
  }
  all(): SwitchRecord[] {
    return [...this.records.values()];
  }
  get(d: bigint): SwitchRecord | undefined {
    return this.records.get(d);
  }
}

/** FlowService.sendConfirmed: records every batch; `refuse` decides per message. */
class Flows {
  readonly batches: UnsentMessage[][] = [];
  refuse: (m: UnsentMessage) => OfpErrorReply | undefined = () => undefined;
  async sendConfirmed(_dpid: bigint, msgs: readonly UnsentMessage[]): Promise<void> {
    this.batches.push([...msgs]);
    for (const m of msgs) {
      const e = this.refuse(m);
      if (e) throw e;
    }
  }
  get sent(): UnsentMessage[] {
    return this.batches.flat();
  }
}

const silent = { info: () => {}, warn: () => {} };

async function open(dir = mkdtempSync(join(tmpdir(), 'switchyard-static-'))): Promise<{ store: StaticStore; switches: Switches; flows: Flows; dir: string }> {
  const switches = new Switches();
  const flows = new Flows();
  const store = new StaticStore({ switches: switches as unknown as SwitchRegistry, flows: flows as unknown as FlowService, log: silent }, dir);
  await store.open();
  return { store, switches, flows, dir };
}

const refusal = (err_type: string, code: string, req: string): OfpErrorReply => new OfpErrorReply({ type: 'error', xid: 0, err_type, code, data: Buffer.alloc(0) }, req);

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
const lines = (dir: string): unknown[] => readFileSync(join(dir, 'static.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

t.test('apply sends, then records and journals; a refusal records nothing', async (t) => {
  const { store, flows, dir } = await open();
  await store.apply(1n, add(10, [{ field: 'in_port', value: 1 }], { cookie: 7n }));
  t.equal(flows.sent.length, 1);
  t.equal(store.flows(1n).length, 1);
  t.equal(store.flows(1n)[0]!.cookie, 7n, 'kept as bigint');
  t.same(store.flows(2n), [], 'per switch');
  const journal = lines(dir) as { op: string; kind: string; dpid: string; msg: { cookie: string } }[];
  t.equal(journal.length, 1);
  t.same([journal[0]!.op, journal[0]!.kind, journal[0]!.dpid, journal[0]!.msg.cookie], ['put', 'flow', '0000000000000001', '7'], 'JSON-safe on disk');

  flows.refuse = (m) => (m.type === 'flow_mod' && m.priority === 11 ? refusal('flow_mod_failed', 'bad_table_id', 'flow_mod') : undefined);
  await t.rejects(store.apply(1n, add(11, [])), OfpErrorReply);
  t.equal(store.flows(1n).length, 1, 'the refused flow is not stored');
  t.equal(lines(dir).length, 1, 'nor journaled');
});

t.test('apply answers with the message as sent and the stored entry as journaled; applyCanonical takes an encoded-once message', async (t) => {
  const { store, flows, dir } = await open();
  const a = await store.apply(1n, add(10, [{ field: 'in_port', value: 1 }], { hard_timeout: 9, cookie: 3n }));
  t.same((a.msg as StaticFlowMod).flags, ['send_flow_rem'], 'what the store added is in the answer');
  t.same(a.msg, flows.sent[0], 'the message as sent');
  const journal = lines(dir) as { msg: unknown }[];
  t.same(a.stored, journal[0]!.msg, 'stored is the journaled JSON');
  t.equal((a.stored as { cookie: string }).cookie, '3');
  const c = canonicalChange(add(20, [{ field: 'in_port', value: 2 }]));
  t.throws(() => canonicalChange(add(70000, [])), CodecError, 'canonicalChange runs the codec checks');
  const b = await store.applyCanonical(1n, c);
  t.same(b.msg, c);
  t.same(store.flows(1n).map((f) => f.priority).sort(), [10, 20]);
  t.same((await store.apply(1n, sel('delete', []))).stored, undefined, 'a delete stores nothing');
  await store.close();
  t.equal(lines(dir).length, 4, 'two puts and two dels on disk after close');
});

t.test('what the store refuses is never sent', async (t) => {
  const { store, flows } = await open();
  await t.rejects(store.apply(1n, add(1, [], { cookie: 0x5359_0001_0000_0001n })), StaticInputError, 'the controller\'s cookie magic');
  await t.rejects(store.apply(1n, add(1, [], { table_id: 'all' })), StaticInputError, 'an add to "all" tables');
  await t.rejects(store.apply(1n, add(70000, [])), CodecError, 'a value that does not encode');
  t.equal(flows.sent.length, 0);
  t.equal(store.flows(1n).length, 0);
});

t.test('a timed flow is sent with send_flow_rem so its expiry is heard', async (t) => {
  const { store, flows } = await open();
  await store.apply(1n, add(1, [], { idle_timeout: 30 }));
  t.same((flows.sent[0] as StaticFlowMod).flags, ['send_flow_rem']);
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
  t.same((await open(dir)).store.flows(1n), []);
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

t.test('a new store on the same directory has the same state, and the journal is compacted', async (t) => {
  const first = await open();
  await first.store.apply(1n, group(1));
  await first.store.apply(1n, meter(2));
  await first.store.apply(1n, add(1, [{ field: 'metadata', value: 0xffff_ffff_ffff_fff0n, mask: 0xffff_ffff_ffff_ff00n }], { cookie: 0xffff_0000_0000_0001n }));
  await first.store.apply(1n, add(2, []));
  await first.store.apply(1n, sel('delete_strict', [], { priority: 2 }));
  t.equal(lines(first.dir).length, 5, 'four puts and a delete');
  const second = await open(first.dir);
  t.same(second.store.flows(1n), first.store.flows(1n), 'flows, 64-bit values included');
  t.same(second.store.groups(1n), first.store.groups(1n));
  t.same(second.store.meters(1n), first.store.meters(1n));
  t.equal(lines(first.dir).length, 3, 'compacted to one line per entry');
});

t.test('entries are re-keyed from their message on load, whatever key the file had', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-static-'));
  const msg = { type: 'flow_mod', cookie: '0', cookie_mask: '0', table_id: 0, command: 'add', idle_timeout: 0, hard_timeout: 0, priority: 5, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: [], match: [{ field: 'in_port', value: 1 }], instructions: [] };
  writeFileSync(join(dir, 'static.jsonl'), JSON.stringify({ op: 'put', kind: 'flow', dpid: '0000000000000001', key: 'an old key format', msg }) + '\n' + '{"op":"put","kind":"flow","dpid":"zz"}\n');
  const { store } = await open(dir);
  t.ok(store.hasFlow(1n, { table_id: 0, priority: 5, match: [{ field: 'in_port', value: 1 }] }));
  await store.apply(1n, sel('delete_strict', [{ field: 'in_port', value: 1 }], { priority: 5 }));
  t.same(store.flows(1n), [], 'so a delete finds it');
});

function record(dpid: bigint, present: FlowStats[] | Error): SwitchRecord & { dumps: number } {
  const r = {
    dpid, id: dpid.toString(16).padStart(16, '0'), dumps: 0,
    link: {
      multipart: async () => {
        r.dumps++;
        if (present instanceof Error) throw present;
        return [{ type: 'flow', flows: present }];
      },
    },
  };
  return r as unknown as SwitchRecord & { dumps: number };
}
const stats = (f: StaticFlowMod): FlowStats => ({
  table_id: f.table_id as number, duration_sec: 5, duration_nsec: 0, priority: f.priority, idle_timeout: f.idle_timeout, hard_timeout: f.hard_timeout,
  flags: f.flags, cookie: f.cookie, packet_count: 9n, byte_count: 99n, match: f.match, instructions: f.instructions,
});

t.test('a switch that comes up gets groups, meters, then the flows it is missing', async (t) => {
  const { store, switches, flows, dir } = await open();
  await store.apply(1n, group(1));
  await store.apply(1n, meter(2));
  const kept = add(1, [{ field: 'in_port', value: 1 }]);
  const changed = add(2, [{ field: 'in_port', value: 2 }]);
  const missing = add(3, [{ field: 'in_port', value: 3 }]);
  const expired = add(4, [{ field: 'in_port', value: 4 }], { idle_timeout: 10 });
  for (const f of [kept, changed, missing, expired]) await store.apply(1n, f);
  flows.batches.length = 0;
  flows.refuse = (m) => (m.type === 'group_mod' && m.command === 'add' ? refusal('group_mod_failed', 'group_exists', 'group_mod') : undefined);

  const sw = record(1n, [stats(kept), { ...stats(changed), instructions: [] }]);
  for (const h of switches.upHooks) h(sw);
  await t.resolves(new Promise<void>((resolve) => {
    const poll = (): void => void (flows.sent.some((m) => m.type === 'flow_mod') ? resolve() : setTimeout(poll, 5));
    poll();
  }));
  const sent = flows.sent.map((m) => (m.type === 'flow_mod' ? `flow ${m.priority}` : `${m.type} ${String((m as StaticGroupMod | StaticMeterMod).command)}`));
  t.same(sent, ['group_mod add', 'group_mod modify', 'meter_mod add', 'flow 2', 'flow 3'],
    'a group the switch kept is modified; only changed and missing flows are sent');
  t.same(store.flows(1n).map((f) => f.priority).sort(), [1, 2, 3], 'the timed flow the switch lost had expired: forgotten');
  t.ok((lines(dir) as { op: string }[]).some((l) => l.op === 'del'), 'and that is journaled');
});

t.test('if the switch will not dump its flows, every stored flow is re-added', async (t) => {
  const { store, switches, flows } = await open();
  await store.apply(1n, add(1, []));
  await store.apply(1n, add(2, [], { hard_timeout: 5 }));
  flows.batches.length = 0;
  const sw = record(1n, new Error('no reply'));
  for (const h of switches.upHooks) h(sw);
  await new Promise<void>((resolve) => {
    const poll = (): void => void (flows.sent.length >= 2 ? resolve() : setTimeout(poll, 5));
    poll();
  });
  t.same(flows.sent.map((m) => (m as StaticFlowMod).priority).sort(), [1, 2]);
  t.equal(store.flows(1n).length, 2, 'nothing forgotten on a guess');
});

t.test('a flow_removed for an expiry forgets the stored flow; a delete by someone else does not', async (t) => {
  const { store, switches } = await open();
  const timed = add(1, [{ field: 'in_port', value: 1 }], { idle_timeout: 10, cookie: 3n });
  await store.apply(1n, timed);
  await store.apply(1n, add(2, [{ field: 'in_port', value: 2 }], { hard_timeout: 10 }));
  const sw = record(1n, []);
  const removed = (f: StaticFlowMod, reason: string, cookie = f.cookie): OfpMessage => ({
    type: 'flow_removed', xid: 0, cookie, priority: f.priority, reason, table_id: f.table_id as number, duration_sec: 1, duration_nsec: 0,
    idle_timeout: f.idle_timeout, hard_timeout: f.hard_timeout, packet_count: 0n, byte_count: 0n, match: f.match,
  }) as OfpMessage;
  const emit = (m: OfpMessage): void => {
    for (const h of switches.msgHooks) h(sw, m);
  };
  emit(removed(timed, 'delete'));
  emit(removed(timed, 'idle_timeout', 4n));
  t.equal(store.flows(1n).length, 2, 'a delete, and an expiry of another flow in the slot (other cookie), keep it');
  emit(removed(timed, 'idle_timeout'));
  emit(removed(store.flows(1n).find((f) => f.priority === 2)!, 'hard_timeout'));
  t.same(store.flows(1n), [], 'expired flows are forgotten');
});
