// A fuzzing peer against the controller as it runs (a child process): many
// connections, each a switch that finished its handshake and then sends
// mutated and random frames (test/helpers/fuzz-peer.ts). No crash; every
// frame the codec rejects answered with OFPT_ERROR; a fatal frame closes
// only its own connection; a real switch connected all along stays up;
// memory bounded (heap after a full GC and resident size, before and after).
//
//   npx tap test/openflow/fuzz-peer.test.ts                      (100,000 frames)
//   bash scripts/soak/fuzz-peer.sh                               (1,000,000 frames)
//   SY_FUZZ_PEER_FRAMES=N SY_FUZZ_PEER_SEED=S npx tap ...         (replay)
import t from 'tap';
import { readFileSync } from 'node:fs';
import { childHeapAfterGc } from '../helpers/child-heap.js';
import { spawnController, type ControllerProcess } from '../helpers/controller-process.js';
import { FakeSwitch } from '../helpers/fake-switch.js';
import { runFuzzPeer } from '../helpers/fuzz-peer.js';
import { pollUntil } from '../helpers/ovs.js';

const FRAMES = Number(process.env.SY_FUZZ_PEER_FRAMES ?? 100_000);
const SEED = Number(process.env.SY_FUZZ_PEER_SEED ?? Date.now() % 1_000_000);
const PARALLEL = Number(process.env.SY_FUZZ_PEER_PARALLEL ?? 16);
const PER_CONNECTION = Number(process.env.SY_FUZZ_PEER_PER_CONNECTION ?? 1_000);

/** The controller's heap after a full GC and its resident size (through its inspector); peak resident from /proc. */
async function memory(ctl: ControllerProcess): Promise<{ rss: number; heap: number; peakRss: number }> {
  const { heapUsed, rss } = await childHeapAfterGc(ctl.inspectorUrl!);
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${ctl.child.pid!}/status`, 'utf8'))?.[1];
  return { rss, heap: heapUsed, peakRss: Number(hwm ?? NaN) * 1024 };
}
const mb = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MB`;

t.test(`a fuzzing peer: ${FRAMES} frames over ${PARALLEL} connections at a time (seed ${SEED})`, async (t) => {
  const ctl = await spawnController(['--apps', 'l2-switch'], undefined, { inspect: true });
  t.teardown(() => ctl.kill9());
  const real = new FakeSwitch({ dpid: 0x1n, ports: 2 });
  let realClosed = false;
  real.once('close', () => (realClosed = true));
  await real.connect(ctl.ofPort);
  t.teardown(() => real.close());
  await pollUntil('the real switch', async () => (await fetch(`${ctl.rest}/switches/0000000000000001`)).status === 200, 20_000);
  const before = await memory(ctl);
  const started = process.hrtime.bigint();
  let reported = 0;
  const res = await runFuzzPeer({
    port: ctl.ofPort, frames: FRAMES, parallel: PARALLEL, perConnection: PER_CONNECTION, seed: SEED,
    onConnection: (r) => {
      if (r.framesSent - reported >= 100_000) {
        reported = r.framesSent;
        t.comment(`${r.framesSent} frames, ${r.connections} connections`);
      }
    },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  t.equal(ctl.child.exitCode, null, 'the controller is still running');
  t.equal(res.framesSent, FRAMES);
  t.equal(res.handshakeFailures, 0, 'every connection finished its handshake');
  t.equal(res.unanswered, 0, `every undecodable frame (${res.undecodable}) was answered with OFPT_ERROR`);
  t.ok(res.undecodable > FRAMES / 10, 'and many were undecodable');
  t.equal(res.closedUnexpectedly, 0, 'no connection was closed for a frame that can be answered');
  t.equal(res.closedAfterFatal, res.fatalSent, `each of the ${res.fatalSent} connections sent a header length below 8 was closed`);
  // The real switch answers an echo after all of it, and was never dropped.
  real.send({ type: 'echo_request', xid: 77, data: Buffer.from('after') });
  await real.waitFor((m) => m.type === 'echo_reply' && m.xid === 77, 10_000);
  t.notOk(realClosed, 'the real switch was never disconnected');
  // Our last closes may still be on their way to the controller: wait for them, and fail if some connection stays.
  const listed = async (): Promise<string[]> => ((await (await fetch(`${ctl.rest}/switches`)).json()) as { dpid: string }[]).map((s) => s.dpid);
  const left = await pollUntil('the fuzzing connections gone', async () => {
    const l = await listed();
    return l.length === 1 ? l : undefined;
  }, 10_000, 100).catch(listed);
  t.same(left, ['0000000000000001'], 'and is the only switch left: every fuzzing connection is gone');
  const after = await memory(ctl);
  t.comment(`fuzz-peer: seed ${SEED}, ${res.framesSent} frames, ${res.connections} connections (${PARALLEL} at a time), ${res.undecodable} undecodable, ` +
    `${res.errorsAnswered} answered with OFPT_ERROR, ${res.errorsForDecodable} errors for decodable frames, ${res.fatalSent} fatal frames -> ${res.closedAfterFatal} closed, ` +
    `${seconds.toFixed(1)} s; controller rss ${mb(before.rss)} -> ${mb(after.rss)} (peak ${mb(after.peakRss)}), heap ${mb(before.heap)} -> ${mb(after.heap)}`);
  t.ok(after.rss < before.rss + 200 * 2 ** 20, `resident memory bounded (${mb(before.rss)} -> ${mb(after.rss)})`);
  // What may grow: the event replay ring (10,000 events) and hosts learned from mutated packet-ins (capped by the host tracker).
  t.ok(after.heap < before.heap + 64 * 2 ** 20, `heap after a full GC bounded (${mb(before.heap)} -> ${mb(after.heap)})`);
});
