import t from 'tap';
import { ManualClock } from '../../src/core/clock.js';
import { EventBus, CORE_EVENT_TYPES, type HostEventData } from '../../src/core/events.js';
import { eventLine, logEvents } from '../../src/core/event-log.js';

function setup(o: { windowMs?: number; burst?: number } = {}) {
  const clock = new ManualClock();
  const events = new EventBus(clock);
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const push = (level: string) => (obj: object, msg: string): void => {
    lines.push({ level, obj: obj as Record<string, unknown>, msg });
  };
  const stop = logEvents(events, { clock, log: { warn: push('warn'), info: push('info'), debug: push('debug') }, ...o });
  return { clock, events, lines, stop };
}

const host = (n: number): HostEventData => ({ mac: `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`, vlan: null, ipv4: [`10.0.0.${n}`], ipv6: [], dpid: '0000000000000001', port_no: n });

t.test('every core event type has a line (the switch is exhaustive at compile time; this checks it at run time too)', async (t) => {
  const end = { dpid: '0000000000000001', port_no: 1 };
  const data = { ...host(1), ...end, src: end, dst: end, from: end, reason: 'r', owner: 'o', name: 'n', hint: 'h', change: 'detached', ports: [] };
  for (const type of CORE_EVENT_TYPES) {
    const line = eventLine({ seq: 1, time: 0, type, data } as never);
    t.ok(['warn', 'info', 'debug', 'off'].includes(line.level), type);
  }
  t.equal(eventLine({ seq: 1, time: 0, type: 'stats.ports', data: { dpid: 'x', ports: [] } }).level, 'off', 'stats every interval are not logged');
});

t.test('host.added is logged at info like host.moved, with what a person needs', async (t) => {
  const { events, lines } = setup();
  events.emit('host.added', host(1));
  events.emit('host.moved', { ...host(1), port_no: 7, from: { dpid: '0000000000000001', port_no: 1 } });
  t.same(lines.map((l) => [l.level, l.msg]), [
    ['info', 'host added 02:00:00:00:00:01 (10.0.0.1) at 0000000000000001/1'],
    ['info', 'host moved 02:00:00:00:00:01 (10.0.0.1) 0000000000000001/1 -> 0000000000000001/7'],
  ]);
  t.match(lines[0]!.obj, { event: 'host.added', seq: 1, mac: '02:00:00:00:00:01', ipv4: ['10.0.0.1'] }, 'the fields stay structured');
});

t.test('a reconnecting network: 52 host.moved in 2 s are 5 lines and one summary, not 52', async (t) => {
  const { clock, events, lines } = setup({ windowMs: 2000, burst: 5 });
  for (let i = 0; i < 52; i++) {
    events.emit('host.moved', { ...host(i + 1), from: { dpid: '0000000000000002', port_no: 1 } });
    clock.advance(35);
  }
  t.equal(lines.length, 5, 'five logged one by one so far');
  clock.advance(2000);
  t.equal(lines.length, 6);
  const summary = lines[5]!;
  t.equal(summary.level, 'info');
  t.match(summary.msg, /^host\.moved: 47 more in the last 2 s/);
  t.match(summary.obj, { event: 'host.moved', suppressed: 47, window_ms: 2000 });
  t.equal((summary.obj.examples as string[]).length, 3);

  // A new window starts afresh.
  events.emit('host.moved', { ...host(99), from: { dpid: '0000000000000002', port_no: 1 } });
  t.equal(lines.length, 7);
  t.match(lines[6]!.msg, /^host moved 02:00:00:00:00:63/);
});

t.test('each type has its own budget; a quiet window writes no summary; stopping flushes', async (t) => {
  const { clock, events, lines, stop } = setup({ windowMs: 1000, burst: 2 });
  for (let i = 0; i < 3; i++) events.emit('link.down', { src: { dpid: 'a', port_no: i }, dst: { dpid: 'b', port_no: i }, reason: 'port down' });
  events.emit('host.added', host(1));
  t.same(lines.map((l) => l.obj.event), ['link.down', 'link.down', 'host.added']);
  clock.advance(1000);
  t.match(lines.at(-1)!.msg, /^link\.down: 1 more/);
  t.equal(lines.filter((l) => /more in the last/.test(l.msg)).length, 1, 'host.added stayed within its budget: no summary');
  for (let i = 0; i < 4; i++) events.emit('host.removed', host(i));
  stop();
  t.match(lines.at(-1)!.msg, /^host\.removed: 2 more/);
  events.emit('host.removed', host(9));
  t.match(lines.at(-1)!.msg, /^host\.removed: 2 more/, 'nothing after stop');
});

t.test('levels: flow errors warn, topology info, ports and switches debug', async (t) => {
  const { events, lines } = setup();
  events.emit('flow.error', { dpid: '01', owner: 'l2-switch', err_type: 'bad_match', code: 'bad_field', hint: 'no such field' });
  events.emit('link.up', { src: { dpid: 'a', port_no: 1 }, dst: { dpid: 'b', port_no: 2 } });
  events.emit('port.modified', { dpid: 'a', port_no: 1, name: 'p1', hw_addr: '02:00:00:00:00:01', up: false, config: [], state: ['link_down'] });
  events.emit('switch.up', { dpid: 'a', ports: 1, hw_desc: '', sw_desc: '' });
  events.emit('stats.ports', { dpid: 'a', ports: [] });
  t.same(lines.map((l) => [l.obj.event, l.level]), [['flow.error', 'warn'], ['link.up', 'info'], ['port.modified', 'debug'], ['switch.up', 'debug']]);
  t.equal(lines[2]!.obj.event_name, 'p1', 'a field pino writes itself (name) is renamed, not shadowed');
  t.notOk('name' in lines[2]!.obj);
});
