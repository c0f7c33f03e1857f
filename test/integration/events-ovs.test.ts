// The event stream against real Open vSwitch: two bridges joined by a veth
// pair; a port set down gives link.down on the WebSocket within 3 s, and a
// client resuming with since=<seq> gets exactly the events after that seq.
import t from 'tap';
import { startApi } from '../helpers/api.js';
import { openEvents, type StreamMessage } from '../helpers/event-client.js';
import { cleanup, createBridge, must, ovsAvailable, setPortState, missingTool } from '../helpers/ovs.js';

const avail = await ovsAvailable();
const skip = missingTool(avail);

const key = (m: StreamMessage): string => `${m.seq} ${m.type} ${m.data.src.dpid}:${m.data.src.port_no}>${m.data.dst.dpid}:${m.data.dst.port_no}`;

t.test('link.down within 3 s of a port going down; resume by seq replays what came after', { skip }, async (t) => {
  const api = await startApi(t);
  t.teardown(cleanup);
  const live = await openEvents(api.url, '?types=link.*');
  t.teardown(() => live.close());

  const port = api.c.ofAddress!.port;
  const a = await createBridge('ea', { controllerPort: port, ports: 1, dpid: 0xea01n });
  const b = await createBridge('eb', { controllerPort: port, dpid: 0xeb01n });
  // The free end of a's veth becomes port 1 of b: one cable between the bridges.
  const cable = a.ports[0]!;
  await must('ovs-vsctl', ['add-port', b.name, cable.peer, '--', 'set', 'Interface', cable.peer, 'ofport_request=1']);
  const between = (m: StreamMessage, type: string) => m.type === type && [m.data.src.dpid, m.data.dst.dpid].sort().join() === [a.dpid, b.dpid].sort().join();
  await live.next((m) => between(m, 'link.up') && m.data.src.dpid === a.dpid, 'link.up a→b', 20_000);
  await live.next((m) => between(m, 'link.up') && m.data.src.dpid === b.dpid, 'link.up b→a', 20_000);
  const resumeFrom = Math.max(...live.messages.map((m) => m.seq));
  t.comment(`link up both ways; last seq ${resumeFrom}`);

  const t0 = Date.now();
  await setPortState(a.name, cable.ofport, 'down');
  const down = await live.next((m) => between(m, 'link.down') && m.seq > resumeFrom, 'link.down', 3000);
  const took = Date.now() - t0;
  t.ok(took <= 3000, `link.down arrived ${took} ms after ovs-ofctl mod-port ${a.name} ${cable.ofport} down`);
  t.match(down.data, { reason: String }, 'it says why');

  // Bring the cable back; the first client sees link.up again, then a second client resumes after resumeFrom.
  await setPortState(a.name, cable.ofport, 'up');
  const back = await live.next((m) => between(m, 'link.up') && m.seq > down.seq, 'link.up after the port came back', 20_000);
  const resumed = await openEvents(api.url, `?types=link.*&since=${resumeFrom}`);
  t.teardown(() => resumed.close());
  const expected = live.messages.filter((m) => m.seq > resumeFrom && m.seq <= back.seq);
  const replayed = await resumed.count(expected.length);
  t.same(replayed.map(key), expected.map(key), `the ${expected.length} events after seq ${resumeFrom}, in order`);
  t.notOk(resumed.messages.some((m) => m.type === 'stream.gap'), 'no gap');
  const seqs = replayed.map((m) => m.seq);
  t.same(seqs, [...seqs].sort((x, y) => x - y), 'ascending seq');

  // And the resumed client continues live: a second flap reaches both.
  await setPortState(a.name, cable.ofport, 'down');
  const again = await live.next((m) => between(m, 'link.down') && m.seq > back.seq, 'second link.down', 3000);
  const same = await resumed.next((m) => m.seq === again.seq, 'the same link.down on the resumed client', 3000);
  t.equal(key(same), key(again), 'the resumed stream is live');
});
