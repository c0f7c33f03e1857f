// kill -9 at random points while REST writes are in flight (issue 15 item 1):
// static flows and container networks are added and deleted by several
// concurrent clients, and the controller is killed at a random instant, so
// kills land between writes, while a switch is confirming one, and while
// LMDB is committing one. After each kill the state directory is opened
// directly (the store must open cleanly), then the controller is started on
// it again. Every write that was answered must be there; every write that
// was not answered must be entirely there or entirely absent (a network
// with its pool and id counter, a flow with the match and actions sent).
//
//   SY_CRASH_ROUNDS=200 npx tap test/integration/crash-points.test.ts   (default 8 rounds)
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnController, type ControllerProcess } from '../helpers/controller-process.js';
import { FakeSwitch } from '../helpers/fake-switch.js';
import { missingTool, ovsAvailable, pollUntil, run } from '../helpers/ovs.js';
import { LmdbStore } from '../../src/core/store/lmdb-store.js';

const ROUNDS = Number(process.env.SY_CRASH_ROUNDS ?? 8);
const FLOWS = 40;
const NETS = 12;
const CLIENTS = 6;
const DPID = '00000000000000c1';

type Presence = 'present' | 'absent';
interface Key {
  readonly name: string;
  /** What the last answered write left; unknown after a write whose answer was an error. */
  acked: Presence | 'unknown';
  /** A write sent and not answered (the kill may have cut it anywhere). */
  pending: Presence | undefined;
}

const skip = missingTool(await ovsAvailable());
if (skip) t.plan(0, skip);
else {
  const p = `cp${randomBytes(2).readUInt16BE(0).toString(36).padStart(3, '0').slice(-3)}`;
  const bridge = `${p}br`;
  const octet = 100 + (randomBytes(1)[0]! % 100);
  const stateDir = mkdtempSync(join(tmpdir(), 'crash-points-'));
  const cfg = join(stateDir, 'config.json');
  writeFileSync(cfg, JSON.stringify({ apps_config: { 'container-net': { bridge, vethPrefix: p, plugin: false } } }));
  let ctl: ControllerProcess | undefined;
  t.teardown(async () => {
    await ctl?.kill9();
    await run('ovs-vsctl', ['--if-exists', 'del-br', bridge]);
    rmSync(stateDir, { recursive: true, force: true });
  });

  const flows: Key[] = Array.from({ length: FLOWS }, (_, i) => ({ name: String(i + 1), acked: 'absent', pending: undefined }));
  const nets: Key[] = Array.from({ length: NETS }, (_, i) => ({ name: `${p}n${i}`, acked: 'absent', pending: undefined }));
  const flowBody = (k: Key) => ({ table_id: 0, priority: 100 + Number(k.name), match: { in_port: Number(k.name) }, actions: [{ type: 'output', port: Number(k.name) + 1 }] });
  const subnet = (k: Key): string => `10.${octet}.${nets.indexOf(k)}.0/24`;

  const statuses = new Map<string, number>();
  /** One REST write; resolves with whether it was answered with success, or rejects when the connection died (the kill). */
  async function write(rest: string, method: string, path: string, body: unknown, ok: readonly number[]): Promise<boolean> {
    const r = await fetch(rest + path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    const text = await r.text();
    if (!ok.includes(r.status)) statuses.set(`${method} ${path.split('/')[1]} ${r.status} ${text.slice(0, 160)}`, (statuses.get(`${method} ${path.split('/')[1]} ${r.status} ${text.slice(0, 160)}`) ?? 0) + 1);
    return ok.includes(r.status);
  }

  /** Toggle one idle key; the next key only when this one's answer came (one write in flight per key). */
  async function client(rest: string, stop: { stopped: boolean }, stats: { answered: number; refused: number }): Promise<void> {
    while (!stop.stopped) {
      const pool = Math.random() < 0.6 ? flows : nets;
      const idle = pool.filter((k) => k.pending === undefined);
      const k = idle[Math.floor(Math.random() * idle.length)];
      if (k === undefined) continue;
      const want: Presence = k.acked === 'present' ? 'absent' : 'present';
      k.pending = want;
      let answered: boolean;
      try {
        if (pool === flows) {
          const b = flowBody(k);
          answered = want === 'present'
            ? await write(rest, 'POST', `/switches/${DPID}/flows`, b, [201])
            : await write(rest, 'DELETE', `/switches/${DPID}/flows`, { table_id: 0, strict: true, priority: b.priority, match: b.match }, [200, 404]);
        } else {
          answered = want === 'present'
            ? await write(rest, 'POST', '/networks', { name: k.name, subnet: subnet(k), bridge: `${p}x` }, [201])
            : await write(rest, 'DELETE', `/networks/${k.name}`, undefined, [200, 204, 404]);
        }
      } catch {
        return; // the controller is gone: k stays pending
      }
      k.acked = answered ? want : 'unknown';
      if (!answered) stats.refused++;
      k.pending = undefined;
      stats.answered++;
    }
  }

  /** Read the store as the controller left it, and reconcile the model with it (failing on any lost or half write). */
  async function checkStore(t: Test, round: number): Promise<{ cut: number; applied: number }> {
    const store = new LmdbStore(join(stateDir, 'state'));
    await store.open();
    try {
      const api = await store.namespace('api').list(`flow/${DPID}/`);
      const cnet = await store.namespace('container-net').list('');
      const storedFlows = new Map<number, Record<string, unknown>>();
      for (const e of api) storedFlows.set((e.value as { priority: number }).priority, e.value as Record<string, unknown>);
      const storedNets = new Map<string, { id: number; subnet: string }>();
      for (const e of cnet) if (e.key.startsWith('net/')) storedNets.set((e.value as { name: string }).name, e.value as { id: number; subnet: string });
      const nextId = (cnet.find((e) => e.key === 'meta/next-id')?.value ?? 0) as number;
      let cut = 0;
      let applied = 0;
      const bad: string[] = [];
      const reconcile = (k: Key, now: Presence, what: string): void => {
        if (k.pending !== undefined) {
          cut++;
          if (now === k.pending) applied++;
        } else if (k.acked !== 'unknown' && now !== k.acked) bad.push(`${what} ${k.name}: answered ${k.acked}, found ${now}`);
        k.acked = now;
        k.pending = undefined;
      };
      for (const k of flows) {
        const f = storedFlows.get(100 + Number(k.name));
        if (f !== undefined) {
          const b = flowBody(k);
          const text = JSON.stringify(f);
          if (!text.includes(`"in_port","value":${b.match.in_port}`) && !text.includes(`"field":"in_port","value":${b.match.in_port}`)) bad.push(`flow ${k.name}: stored match ${text}`);
          if (!text.includes(`"port":${b.actions[0]!.port}`)) bad.push(`flow ${k.name}: stored actions ${text}`);
        }
        reconcile(k, f === undefined ? 'absent' : 'present', 'flow');
      }
      for (const k of nets) {
        const n = storedNets.get(k.name);
        if (n !== undefined) {
          if (n.subnet !== subnet(k)) bad.push(`network ${k.name}: subnet ${n.subnet}`);
          if (!cnet.some((e) => e.key === `pool/${n.subnet}`)) bad.push(`network ${k.name}: no pool (a half-written network)`);
          if (n.id >= nextId) bad.push(`network ${k.name}: id ${n.id} not below the id counter ${nextId}`);
        }
        reconcile(k, n === undefined ? 'absent' : 'present', 'network');
      }
      t.same(bad, [], `round ${round}: nothing answered was lost, nothing unanswered was half-written`);
      return { cut, applied };
    } finally {
      await store.close();
    }
  }

  t.test(`${ROUNDS} kill -9s at random points of a write load`, async (t) => {
    let answered = 0;
    let refused = 0;
    let cut = 0;
    let applied = 0;
    const started = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      ctl = await spawnController(['--state-dir', stateDir, '--config', cfg, '--apps', 'container-net']);
      const complaints = ctl.lines.filter((l) => /no longer decodes|torn|could not/.test(String(l.msg)));
      t.same(complaints.map((l) => l.msg), [], `round ${round}: the store opened cleanly`);
      const sw = new FakeSwitch({ dpid: BigInt('0x' + DPID), ports: 4 });
      await sw.connect(ctl.ofPort);
      const rest = ctl.rest;
      await pollUntil('the switch', async () => (await fetch(`${rest}/switches/${DPID}`)).status === 200, 20_000);
      const stop = { stopped: false };
      const stats = { answered: 0, refused: 0 };
      const clients = Array.from({ length: CLIENTS }, () => client(rest, stop, stats));
      // A random instant: sometimes before the first answer, mostly in the thick of it.
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 3000)));
      await ctl.kill9();
      stop.stopped = true;
      await Promise.all(clients);
      sw.close();
      answered += stats.answered;
      refused += stats.refused;
      const c = await checkStore(t, round);
      cut += c.cut;
      applied += c.applied;
    }
    // The figures docs/reliability.md quotes.
    t.comment(`crash-points: ${ROUNDS} kills, ${answered} writes answered (${refused} refused), ${cut} cut by a kill (${applied} of them found applied, ${cut - applied} absent), ${Math.round((Date.now() - started) / 1000)} s`);
    t.ok(answered > ROUNDS, 'the kills landed among answered writes');
    t.comment(JSON.stringify([...statuses]));
    t.equal(refused, 0, 'every answered write succeeded (a refused one would leave its key unchecked)');
    t.ok(cut > 0, 'and some landed on a write in flight');
    // The last state is served: the switch gets the stored flows, REST lists the networks.
    ctl = await spawnController(['--state-dir', stateDir, '--config', cfg, '--apps', 'container-net']);
    const sw = new FakeSwitch({ dpid: BigInt('0x' + DPID), ports: 4 });
    await sw.connect(ctl.ofPort);
    const want = flows.filter((k) => k.acked === 'present').map((k) => 100 + Number(k.name)).sort((a, b) => a - b);
    const onSwitch = (): number[] => sw.flowTable.flows.filter((f) => f.priority >= 100 && f.priority < 1000).map((f) => f.priority).sort((a, b) => a - b);
    await pollUntil('the stored flows on the switch', () => JSON.stringify(onSwitch()) === JSON.stringify(want) || undefined, 20_000).catch(() => {});
    t.same(onSwitch(), want, 'the switch gets exactly the stored flows');
    const listed = (await (await fetch(`${ctl.rest}/networks`)).json()) as { networks: { name: string }[] };
    t.same(listed.networks.map((n) => n.name).filter((n) => n.startsWith(p)).sort(), nets.filter((k) => k.acked === 'present').map((k) => k.name).sort(), 'the networks');
    sw.close();
  });
}
