// Through a real OpenFlowServer and FakeSwitch over TCP: the channel's error routing, flow dumps and barriers.
import t, { type Test } from 'tap';
import { once } from 'node:events';
import { OpenFlowServer } from '../../../src/openflow/channel/server.js';
import { OfpErrorReply } from '../../../src/openflow/channel/errors.js';
import type { OfpMessage } from '../../../src/openflow/message.js';
import type { FlowMod } from '../../../src/openflow/messages/flow-mod.js';
import { EventBus, type AnyCoreEvent } from '../../../src/core/events.js';
import { ManualClock } from '../../../src/core/clock.js';
import { SwitchRegistry } from '../../../src/core/switches.js';
import { FlowService } from '../../../src/core/flows/flow-service.js';
import type { FlowSpec } from '../../../src/core/flows/flow-spec.js';
import { cookieFor, parseCookie } from '../../../src/core/flows/cookie.js';
import { FakeFlowTable, FakeSwitch } from '../../helpers/fake-switch.js';
import { memoryLog } from '../../helpers/quiet-log.js';

const DPID = 0x42n;
const A: FlowSpec = { priority: 100, match: [{ field: 'eth_dst', value: '00:00:00:00:00:01' }, { field: 'in_port', value: 2 }], actions: [{ type: 'output', port: 1, max_len: 0 }] };
const B: FlowSpec = { priority: 100, match: [{ field: 'eth_dst', value: '00:00:00:00:00:02' }], actions: [{ type: 'output', port: 2, max_len: 0 }] };

/** A controller (server, registry, flow service) with an app that installs A and B whenever a switch comes up. */
async function controller(t: Test, generation: number, reply?: (m: OfpMessage) => OfpMessage[] | undefined) {
  const srv = new OpenFlowServer({ port: 0, host: '127.0.0.1', log: memoryLog() });
  const { port } = await srv.listen();
  t.teardown(() => srv.close());
  const clock = new ManualClock();
  const events = new EventBus(clock);
  const seen: AnyCoreEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const switches = new SwitchRegistry(srv, events, clock);
  const flows = new FlowService({ switches, events, clock, generation });
  const app = flows.forOwner('l2');
  switches.onSwitchUp((sw) => void app.install(sw.dpid, [A, B]).catch(() => {}));
  /** Connect a fake switch and wait until the flow service has reconciled it. */
  const connect = async (table: FakeFlowTable): Promise<FakeSwitch> => {
    const up = once(srv, 'switch-up');
    const sw = new FakeSwitch({ dpid: DPID, flowTable: table, ...(reply ? { reply } : {}) });
    await sw.connect(port);
    t.teardown(() => sw.close());
    await up;
    await flows.reconciled(DPID);
    return sw;
  };
  return { srv, flows, app, seen, connect };
}

const flowMods = (sw: FakeSwitch): FlowMod[] => sw.received.filter((m): m is FlowMod => m.type === 'flow_mod');

t.test('reconnect: missing flows re-added, stale deleted, identical and foreign untouched, no duplicates', async (t) => {
  const c = await controller(t, 1);
  const table = new FakeFlowTable();
  const first = await c.connect(table);
  t.equal(table.flows.length, 3, 'table-miss, A and B');
  t.same(flowMods(first).map((m) => m.command), ['add', 'add', 'add'], 'reconcile found them all and sent nothing more');

  const down = once(c.srv, 'switch-down');
  first.close();
  await down;
  // While disconnected the switch lost B, gained a stale flow of ours and a flow of someone else.
  const bIndex = table.flows.findIndex((f) => f.match.length === 1);
  table.flows.splice(bIndex, 1);
  const stale = { ...table.flows[1]!, priority: 300, cookie: cookieFor(c.app.id, 0, 5) };
  const foreign = { ...table.flows[1]!, priority: 400, cookie: 0xfeedn };
  table.flows.push(stale, foreign);

  const second = await c.connect(table);
  const mods = flowMods(second);
  t.same(mods.map((m) => `${m.command}:${m.priority}`), ['delete_strict:300', 'add:100'], 'only the stale delete and the missing add');
  t.same(mods[1]!.match, B.match);
  t.same(table.flows.map((f) => f.priority).sort(), [0, 100, 100, 400], 'desired flows plus the foreign one, nothing twice');
  t.ok(table.flows.some((f) => f.cookie === 0xfeedn), 'the foreign flow is still there');
});

t.test('controller restart: flows of the old generation are replaced or removed', async (t) => {
  const table = new FakeFlowTable();
  const old = await controller(t, 1);
  await old.connect(table);
  const oldOnly = { ...table.flows[1]!, priority: 250 }; // a flow the new run no longer wants
  table.flows.push(oldOnly);
  await old.srv.close();

  const fresh = await controller(t, 2);
  await fresh.connect(table);
  t.same(table.flows.map((f) => parseCookie(f.cookie)?.generation), [2, 2, 2], 'every flow left is of the new generation');
  t.same(table.flows.map((f) => f.priority).sort(), [0, 100, 100]);
});

t.test('an error for one flow_mod reaches its owner through the real channel, before the barrier reply', async (t) => {
  const c = await controller(t, 1, (m) =>
    m.type === 'flow_mod' && m.priority === 77 ? [{ type: 'error', xid: m.xid, err_type: 'bad_action', code: 'bad_out_port', data: Buffer.alloc(0) }] : undefined,
  );
  const table = new FakeFlowTable();
  await c.connect(table);
  const bad: FlowSpec = { priority: 77, match: [], actions: [{ type: 'output', port: 99, max_len: 0 }] };
  const good: FlowSpec = { ...B, priority: 78 };
  const err = await c.app.install(DPID, [bad, good]).catch((e: unknown) => e);
  t.type(err, OfpErrorReply);
  t.match(err, { errType: 'bad_action', code: 'bad_out_port' });
  t.match(c.seen.filter((e) => e.type === 'flow.error').map((e) => e.data), [{ owner: 'l2', err_type: 'bad_action', code: 'bad_out_port' }]);
  t.same(c.app.list(DPID).map((f) => f.priority).sort(), [100, 100, 78], 'the refused flow is not desired any more');
  t.ok(table.flows.some((f) => f.priority === 78), 'the accepted flow of the same batch is installed');
});
