import t from 'tap';
import { FlowConflictError, FlowService } from '../../../src/core/flows/flow-service.js';
import type { FlowSpec } from '../../../src/core/flows/flow-spec.js';
import { OWNER_MASK, cookieFor, hash16, ownerCookie } from '../../../src/core/flows/cookie.js';
import { OfpErrorReply } from '../../../src/openflow/channel/errors.js';
import type { FlowStats } from '../../../src/openflow/multipart/flow-stats.js';
import { harness, settle, type FakeLink } from './fake-link.js';

const GEN = 7;
const out = (port: number) => [{ type: 'output' as const, port, max_len: 0 }];
const toMac = (n: number): FlowSpec => ({ priority: 100, match: [{ field: 'eth_dst', value: `00:00:00:00:00:0${n}` }], actions: out(n) });

/** A registry + flow service with one switch up and its initial table-miss + reconcile done, link log cleared. */
async function setup() {
  const h = harness();
  const flows = new FlowService({ switches: h.switches, events: h.events, clock: h.clock, generation: GEN });
  const link = h.up(1n);
  await flows.reconciled(1n);
  link.clear();
  return { ...h, flows, link };
}

const summary = (link: FakeLink) => link.sent.map((m) => (m.type === 'flow_mod' ? `${m.command}:${m.priority}` : m.type));

t.test('a switch coming up gets the table-miss flow of owner core at priority 0', async (t) => {
  const h = harness();
  const flows = new FlowService({ switches: h.switches, events: h.events, clock: h.clock, generation: GEN });
  const link = h.up(1n);
  const [miss] = link.flowMods();
  t.match(miss, { command: 'add', priority: 0, table_id: 0, match: [], instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 'controller' }] }] });
  t.equal(flows.owners.nameOf(miss!.cookie), 'core');
  t.equal(link.barriers, 1, 'confirmed with a barrier');
  await flows.reconciled(1n);
  t.match(link.requests, [{ type: 'flow', cookie: 0x5359n << 48n, cookie_mask: 0xffffn << 48n, table_id: 'all' }], 'reconcile dumps only flows with our magic');
});

t.test('a batch is ordered (deletes, groups, meters, adds, packet-outs), deduplicated, and confirmed by a barrier', async (t) => {
  const { flows, link } = await setup();
  const app = flows.forOwner('l2');
  await app.install(1n, [toMac(1)]);
  link.clear();
  const p = app.apply(1n, {
    packetOuts: [{ type: 'packet_out', buffer_id: 'no_buffer', in_port: 'controller', actions: out(2), data: Buffer.from('x') }],
    install: [
      { ...toMac(2), actions: out(9) },
      toMac(3),
      toMac(2), // the same key again: the last one wins
    ],
    groupMods: [{ type: 'group_mod', command: 'add', group_type: 'all', group_id: 1, buckets: [] }],
    meterMods: [{ type: 'meter_mod', command: 'add', flags: ['kbps'], meter_id: 1, bands: [] }],
    remove: [app.keyOf(toMac(1))],
  });
  t.same(summary(link), ['delete_strict:100', 'group_mod', 'meter_mod', 'add:100', 'add:100', 'packet_out']);
  const adds = link.flowMods().filter((m) => m.command === 'add');
  t.same(adds.map((m) => m.match), [toMac(2).match, toMac(3).match], 'one add per key, in first-seen order');
  t.same(adds[0]!.instructions, [{ type: 'apply_actions', actions: out(2) }], 'the later spec for a key replaced the earlier one');
  t.equal(link.barriers, 2, 'one barrier between the adds and the packet-out (a switch may reorder across none), one to confirm');
  await p;
  t.equal(new Set(link.sent.map((m) => m.xid)).size, link.sent.length, 'every message has its own xid');

  link.clear();
  await app.install(1n, [toMac(2), toMac(3)]);
  t.equal(link.sent.length, 0, 'identical to what is installed: nothing re-sent');
  t.equal(link.barriers, 0, 'and no barrier');
  t.same(app.list(1n).map((f) => f.match), [toMac(2).match, toMac(3).match]);

  link.clear();
  await app.apply(1n, { install: [toMac(2)], packetOuts: [{ type: 'packet_out', buffer_id: 'no_buffer', in_port: 'controller', actions: out(2), data: Buffer.from('y') }] });
  t.same(summary(link), ['packet_out'], 'flows unchanged: only the packet-out goes');
  t.equal(link.barriers, 0, 'and a batch of packet-outs alone costs no barrier (the packet-in hot path)');
});

t.test('install resolves only when the barrier is answered', async (t) => {
  const { flows, link } = await setup();
  link.holdBarriers = true;
  let done = false;
  const p = flows.forOwner('l2').install(1n, [toMac(1)]).then(() => (done = true));
  await settle();
  t.equal(done, false, 'not before the barrier reply');
  t.equal(link.flowMods().length, 1, 'the flow_mod went out at once');
  link.releaseBarriers();
  await p;
  t.equal(done, true);
});

t.test('a refused flow_mod rejects the batch with the decoded error, names the owner, and leaves the cache', async (t) => {
  const h = await setup();
  const { flows, link } = h;
  const app = flows.forOwner('l2');
  link.refuse = (m) => (m.type === 'flow_mod' && m.priority === 50 ? { err_type: 'bad_match', code: 'bad_prereq' } : undefined);
  const bad: FlowSpec = { priority: 50, match: [{ field: 'tcp_dst', value: 80 }], actions: out(1) };
  const err = await app.install(1n, [toMac(1), bad]).catch((e: unknown) => e);
  t.type(err, OfpErrorReply);
  t.match(err, { errType: 'bad_match', code: 'bad_prereq', hint: /prerequisite/i, message: /flow_mod/ });
  t.same(h.eventsOf('flow.error').map((e) => e.data), [{ dpid: '0000000000000001', owner: 'l2', err_type: 'bad_match', code: 'bad_prereq', hint: (err as OfpErrorReply).hint }]);
  t.same(app.list(1n).map((f) => f.priority), [100], 'the refused flow left the desired cache; the accepted one stayed');
  link.clear();
  link.refuse = undefined;
  await app.install(1n, [bad]);
  t.equal(link.flowMods().length, 1, 'a retry is sent, not deduplicated away');
});

t.test('removeAll is one masked delete on magic+owner; other owners keep their flows', async (t) => {
  const { flows, link } = await setup();
  const a = flows.forOwner('app-a');
  const b = flows.forOwner('app-b');
  await a.install(1n, [toMac(1), toMac(2)]);
  await b.install(1n, [{ ...toMac(3), priority: 200 }]);
  link.clear();
  await a.removeAll(1n);
  t.equal(link.flowMods().length, 1, 'one flow_mod');
  t.match(link.flowMods()[0], { command: 'delete', table_id: 'all', cookie: ownerCookie(a.id), cookie_mask: OWNER_MASK, match: [] });
  t.equal(link.barriers, 1);
  t.same(a.list(1n), []);
  t.equal(b.list(1n).length, 1);
});

t.test('owners cannot take each other\'s slot; a moved key deletes its old slot', async (t) => {
  const { flows, link } = await setup();
  const a = flows.forOwner('app-a');
  await a.install(1n, [{ ...toMac(1), key: 'host' }]);
  link.clear();
  const err = await flows.forOwner('app-b').install(1n, [toMac(1)]).catch((e: unknown) => e);
  t.type(err, FlowConflictError);
  t.equal(link.sent.length, 0, 'nothing sent for a refused batch');
  const core = await flows.forOwner('app-b').install(1n, [{ priority: 0, match: [] }]).catch((e: unknown) => e);
  t.type(core, FlowConflictError, 'the table-miss slot belongs to core');

  await a.install(1n, [{ ...toMac(2), key: 'host' }]);
  t.same(summary(link), ['delete_strict:100', 'add:100']);
  const [del, add] = link.flowMods();
  t.same(del!.match, toMac(1).match, 'the old slot is deleted');
  t.equal(del!.cookie_mask, 2n ** 64n - 1n, 'exactly that cookie');
  t.same(add!.match, toMac(2).match);
  t.equal(add!.cookie, cookieFor(a.id, GEN, hash16('host')));
});

t.test('flow_removed: expiry drops the flow from the cache and emits flow.removed with the owner', async (t) => {
  const h = await setup();
  const { flows, link } = h;
  const app = flows.forOwner('l2');
  await app.install(1n, [{ ...toMac(1), idleTimeout: 10 }, toMac(2)]);
  const timed = link.flowMods().find((m) => m.idle_timeout === 10)!;
  t.same(timed.flags, ['send_flow_rem'], 'timed flows ask to be told');
  const removed = (reason: 'idle_timeout' | 'delete', m: typeof timed) => ({
    type: 'flow_removed' as const, xid: 0, cookie: m.cookie, priority: m.priority, reason, table_id: 0, duration_sec: 10, duration_nsec: 0,
    idle_timeout: 10, hard_timeout: 0, packet_count: 3n, byte_count: 180n,
    match: [...m.match].reverse(), // switches may report fields in another order
  });
  h.fromSwitch(link, removed('idle_timeout', timed));
  t.same(app.list(1n).map((f) => f.match), [toMac(2).match]);
  t.match(h.eventsOf('flow.removed').map((e) => e.data), [{ dpid: '0000000000000001', owner: 'l2', reason: 'idle_timeout', packet_count: '3', cookie: /^0x5359/ }]);
  link.clear();
  await app.install(1n, [{ ...toMac(1), idleTimeout: 10 }]);
  t.equal(link.flowMods().length, 1, 'after expiry the same flow is sent again');

  const perm = link.flowMods()[0]!;
  h.fromSwitch(link, { ...removed('delete', perm), cookie: 0x1234n });
  t.equal(h.eventsOf('flow.removed').length, 1, 'flows without our magic are ignored');
});

t.test('a switch that is down keeps desired state; reconcile installs it when the switch comes up', async (t) => {
  const h = await setup();
  const { flows } = h;
  h.down(h.link);
  const app = flows.forOwner('l2');
  await app.install(1n, [toMac(1)]);
  t.equal(app.list(1n).length, 1);
  const link = h.up(1n);
  await flows.reconciled(1n);
  // The table-miss was deduplicated (still cached), so only reconcile re-adds it and l2's flow.
  t.same(link.flowMods().map((m) => `${m.command}:${flows.owners.nameOf(m.cookie)}`).sort(), ['add:core', 'add:l2']);
});

t.test('reconcile: missing added, stale deleted, identical untouched', async (t) => {
  const h = await setup();
  const { flows } = h;
  const app = flows.forOwner('l2');
  await app.install(1n, [toMac(1), toMac(2), toMac(3)]);
  const sent = h.link.flowMods();
  const asStats = (m: (typeof sent)[number], cookie = m.cookie): FlowStats => ({
    table_id: 0, duration_sec: 1, duration_nsec: 0, priority: m.priority, idle_timeout: 0, hard_timeout: 0, flags: [], cookie,
    packet_count: 0n, byte_count: 0n, match: m.match, instructions: m.instructions,
  });
  const missOnSwitch = { table_id: 0, duration_sec: 1, duration_nsec: 0, priority: 0, idle_timeout: 0, hard_timeout: 0, flags: [], cookie: cookieFor(flows.owners.id('core')!, GEN, hash16('miss:main')), packet_count: 0n, byte_count: 0n, match: [], instructions: flows.tables.missInstructions(flows.tables.get('main')) };
  const stale = { ...asStats(sent[0]!), priority: 300, cookie: cookieFor(app.id, GEN - 1, 1) };
  const foreign = { ...asStats(sent[0]!), priority: 400, cookie: 0xabcn };
  h.down(h.link);
  const link = h.up(1n, (l) => {
    // The switch kept mac 1, lost mac 3, has mac 2 from an older generation, plus a stale and a foreign flow.
    l.replies = () => [{ type: 'flow', flows: [missOnSwitch, asStats(sent[0]!), asStats(sent[1]!, cookieFor(app.id, GEN - 1, 9)), stale, foreign] }];
  });
  const report = await flows.reconciled(1n);
  t.same(report, { added: 2, removed: 1, kept: 2, forgotten: 0, groups: 0, meters: 0 });
  t.same(summary(link), ['delete_strict:300', 'add:100', 'add:100']);
  const [del, ...adds] = link.flowMods();
  t.equal(del!.cookie, stale.cookie, 'the stale flow, by its exact cookie');
  t.same(adds.map((m) => m.match).sort(), [toMac(2).match, toMac(3).match].sort(), 'the missing and the outdated flow');
  t.notOk(link.flowMods().some((m) => m.priority === 400), 'a flow without our magic is left alone');
  t.equal(link.barriers, 1);
});

t.test('reconcile forgets timed flows the switch no longer has instead of resurrecting them', async (t) => {
  const h = await setup();
  const app = h.flows.forOwner('l2');
  await app.install(1n, [{ ...toMac(1), idleTimeout: 5 }]);
  h.down(h.link);
  const link = h.up(1n);
  const report = await h.flows.reconciled(1n);
  t.match(report, { forgotten: 1 });
  t.notOk(link.flowMods().some((m) => m.priority === 100));
  t.same(app.list(1n), []);
});

t.test('a batch in flight when the switch goes down rejects', async (t) => {
  const { flows, link, ...h } = await setup();
  link.holdBarriers = true;
  const p = flows.forOwner('l2').install(1n, [toMac(1)]);
  h.down(link);
  link.releaseBarriers();
  await t.rejects(p, /closed/);
});
