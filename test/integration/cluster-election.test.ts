// The per-switch election on a real etcd: three in-process instances, fake
// switches connected to all three with Open vSwitch's role rules
// (test/helpers/fake-roles.ts). Exactly one master per switch, a third
// each, generation ids from etcd, hand-over when an instance leaves or
// comes back, and masters that keep serving through an etcd outage.
import t, { type Test } from 'tap';
import { pino } from 'pino';
import { createController, type Controller } from '../../src/controller.js';
import { MemoryStore } from '../../src/core/store/memory-store.js';
import { BUILTIN_APPS } from '../../src/apps/index.js';
import type { ClusterSnapshot } from '../../src/core/cluster/cluster-view.js';
import { FakeFlowTable, FakeSwitch } from '../helpers/fake-switch.js';
import { FakeRoles } from '../helpers/fake-roles.js';
import { etcdAvailable, startEtcd, type EtcdCluster } from '../helpers/etcd.js';
import { missingTool, pollUntil } from '../helpers/ovs.js';

const NODES = ['a', 'b', 'c'] as const;
const N_SWITCHES = 6;
const dpidOf = (i: number): bigint => BigInt(0x100 + i);
const idOf = (i: number): string => dpidOf(i).toString(16).padStart(16, '0');

interface Sw {
  readonly roles: FakeRoles;
  readonly table: FakeFlowTable;
  readonly conns: Map<string, FakeSwitch>;
}

async function instance(t: Test, etcd: EtcdCluster, prefix: string, node: string): Promise<Controller> {
  const c = createController({
    config: {
      of: { port: 0, address: '127.0.0.1' }, http: { port: 0, address: '127.0.0.1' }, apps: ['l2-switch'], lldpIntervalMs: 60_000,
      cluster: { endpoints: etcd.endpoints, nodeId: node, prefix },
    },
    apps: BUILTIN_APPS,
    log: pino({ level: process.env.SY_LOG ?? 'silent' }),
    store: new MemoryStore(),
  });
  await c.start();
  return c;
}

async function connectAll(t: Test, sws: Sw[], node: string, c: Controller): Promise<void> {
  for (let i = 0; i < sws.length; i++) {
    const s = sws[i]!;
    const conn = new FakeSwitch({ dpid: dpidOf(i), ports: 2, reply: s.roles.reply(node), flowTable: s.table });
    await conn.connect(c.ofAddress!.port);
    s.conns.set(node, conn);
    t.teardown(() => conn.close());
  }
}

/** Who the switches say their master is, by node; undefined until every switch has exactly one. */
function mastersBySwitch(sws: Sw[], alive: readonly string[]): Map<number, string> | undefined {
  const out = new Map<number, string>();
  for (let i = 0; i < sws.length; i++) {
    const m = [...sws[i]!.roles.roles].filter(([n, r]) => r === 'master' && alive.includes(n)).map(([n]) => n);
    const slaves = [...sws[i]!.roles.roles].filter(([n, r]) => r === 'slave' && alive.includes(n)).length;
    if (m.length !== 1 || slaves !== alive.length - 1) return undefined;
    out.set(i, m[0]!);
  }
  return out;
}

const counts = (m: Map<number, string>): number[] => {
  const c = new Map<string, number>();
  for (const n of m.values()) c.set(n, (c.get(n) ?? 0) + 1);
  return [...c.values()].sort();
};

t.test('three instances, six switches: one master each, a third each, failover, return, etcd outage', { timeout: 240_000 }, async (t) => {
  const avail = await etcdAvailable();
  if (avail !== true) return missingTool(avail, t);
  const etcd = await startEtcd({ members: 1 });
  t.teardown(() => etcd.stop());
  const prefix = `roles${process.pid}`;
  const sws: Sw[] = Array.from({ length: N_SWITCHES }, () => ({ roles: new FakeRoles(), table: new FakeFlowTable(), conns: new Map() }));
  const ctl = new Map<string, Controller>();
  for (const n of NODES) {
    const c = await instance(t, etcd, prefix, n);
    ctl.set(n, c);
    t.teardown(() => c.stop().catch(() => {}));
  }
  for (const n of NODES) await connectAll(t, sws, n, ctl.get(n)!);

  // a saw the switches first and mastered them all; it hands a third each to b and c once they have seen them a while.
  const first = await pollUntil('one master per switch, a third each', () => {
    const m = mastersBySwitch(sws, NODES);
    return m && counts(m).join() === '2,2,2' ? m : undefined;
  }, 20_000, 100);
  t.same(counts(first), [2, 2, 2], 'each instance masters a third');
  // Every instance's REST says the same, and the generation is the one the switch got.
  const snaps = await Promise.all(NODES.map(async (n) => JSON.parse((await ctl.get(n)!.api!.app.inject({ url: '/api/v1/cluster' })).body) as ClusterSnapshot));
  for (const [k, s] of snaps.entries()) {
    t.equal(s.mode, 'etcd');
    t.equal(s.node_id, NODES[k]);
    t.same(s.members.map((m) => m.node_id), [...NODES], `${NODES[k]} lists every member`);
    for (let i = 0; i < N_SWITCHES; i++) {
      const row = s.switches.find((x) => x.dpid === idOf(i));
      t.equal(row?.master, first.get(i), `${NODES[k]}: master of ${idOf(i)}`);
      t.equal(row?.role, first.get(i) === NODES[k] ? 'master' : 'slave');
    }
  }
  for (let i = 0; i < N_SWITCHES; i++) {
    t.equal(sws[i]!.roles.maxGeneration?.toString(), snaps[0]!.switches.find((x) => x.dpid === idOf(i))?.generation, 'the switch holds the election generation');
    t.same(sws[i]!.roles.refused, [], 'no slave ever tried to write');
  }
  // Only masters wrote flows: every switch's table was built by one instance.
  for (let i = 0; i < N_SWITCHES; i++) t.ok(sws[i]!.table.flows.length >= 2, `switch ${i} has its flows`);

  // a leaves: its switches go to b and c, with larger generations.
  const gensBefore = sws.map((s) => s.roles.maxGeneration!);
  const t0 = Date.now();
  for (const s of sws) s.conns.get('a')!.close();
  await ctl.get('a')!.stop();
  const afterA = await pollUntil('b and c master everything', () => mastersBySwitch(sws, ['b', 'c']), 10_000, 50);
  t.comment(`graceful leave: masters again after ${Date.now() - t0} ms`);
  t.same(counts(afterA), [3, 3]);
  for (let i = 0; i < N_SWITCHES; i++) if (first.get(i) === 'a') t.ok(sws[i]!.roles.maxGeneration! > gensBefore[i]!, 'a new master has a larger generation');

  // a comes back: it becomes a slave, then takes its share again.
  const a2 = await instance(t, etcd, prefix, 'a');
  ctl.set('a', a2);
  t.teardown(() => a2.stop().catch(() => {}));
  await connectAll(t, sws, 'a', a2);
  const back = await pollUntil('a takes its share back', () => {
    const m = mastersBySwitch(sws, NODES);
    return m && counts(m).join() === '2,2,2' ? m : undefined;
  }, 20_000, 100);
  t.same(counts(back), [2, 2, 2]);

  // etcd goes away: everybody keeps its switches, longer than twice the lease TTL.
  const gens = sws.map((s) => s.roles.maxGeneration);
  await etcd.killMember(0);
  await pollUntil('etcd unreachable seen', () => NODES.every((n) => ctl.get(n)!.cluster.snapshot().etcd_reachable === false) || undefined, 10_000, 100);
  await new Promise((r) => setTimeout(r, 6000)); // the outage itself is what is tested: it has to last beyond 2 x TTL
  t.same(mastersBySwitch(sws, NODES), back, 'masters keep serving during the outage');
  for (let i = 0; i < N_SWITCHES; i++) t.ok(ctl.get(back.get(i)!)!.switches.writable(dpidOf(i)), `the master of ${i} still writes`);
  await etcd.restartMember(0);
  const recovered = await pollUntil('one master per switch after etcd returns', () => {
    const m = mastersBySwitch(sws, NODES);
    return m && NODES.every((n) => ctl.get(n)!.cluster.snapshot().etcd_reachable === true) && counts(m).join() === '2,2,2' ? m : undefined;
  }, 30_000, 100);
  t.ok(recovered);
  for (let i = 0; i < N_SWITCHES; i++) t.ok(sws[i]!.roles.maxGeneration! >= gens[i]!, 'generations never go back');
  for (const s of sws) t.same(s.roles.refused, [], 'no slave wrote, before or after the outage');
});
