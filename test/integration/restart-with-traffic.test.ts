// Restarts with traffic flowing (issue 15): a ping runs across a Mininet
// line of three switches while the controller is killed with SIGKILL and
// started again on the same state directory and port, and then while
// ovs-vswitchd is restarted (machine-wide: this file runs alone, as every
// integration test does). After each, every switch's flows are the desired
// set (the controller's and the ones added through REST; learned flows
// come and go): the same shape as before, nothing missing, no duplicates;
// the REST-created static flows and container network are intact; and the
// ping got through again. The longest gap in the ping is reported.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnController, type ControllerProcess } from '../helpers/controller-process.js';
import { mininetAvailable, startMininet, type Mininet } from '../helpers/mininet.js';
import { missingTool, pollUntil, restartVswitchd, run } from '../helpers/ovs.js';

const skip = missingTool(await mininetAvailable());

/**
 * Flow lines without counters, sorted, the controller generation in our cookies (bits 31..16) written as
 * "gen" (a restarted controller is a new generation); transient flows (an idle timeout: learned) left out.
 */
function flowShape(lines: readonly string[]): string[] {
  return lines
    .filter((l) => l.includes('cookie=') && !l.includes('idle_timeout='))
    .map((l) => l.replace(/duration=[^,]*,\s*|n_packets=[^,]*,\s*|n_bytes=[^,]*,\s*|idle_age=[^,]*,\s*|hard_age=[^,]*,\s*/g, '').replace(/cookie=0x5359([0-9a-f]{4})[0-9a-f]{4}/, 'cookie=0x5359$1gen').trim())
    .sort();
}

/** The generations our cookies on a switch carry (one after a restart settled: nothing of the old run left). */
function generations(lines: readonly string[]): string[] {
  return [...new Set(lines.flatMap((l) => /cookie=0x5359[0-9a-f]{4}([0-9a-f]{4})/.exec(l)?.[1] ?? []))];
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Replies of a `ping -i 0.1` log: how many, and the longest run of missing sequence numbers. */
function pingGaps(file: string): { replies: number; lastSeq: number; longestGap: number } {
  if (!existsSync(file)) return { replies: 0, lastSeq: 0, longestGap: 0 };
  const seqs = [...readFileSync(file, 'utf8').matchAll(/icmp_seq=(\d+)/g)].map((m) => Number(m[1]));
  let longest = 0;
  for (let i = 1; i < seqs.length; i++) longest = Math.max(longest, seqs[i]! - seqs[i - 1]! - 1);
  return { replies: seqs.length, lastSeq: seqs.at(-1) ?? 0, longestGap: longest };
}

t.test('controller kill -9 and ovs-vswitchd restart with a ping running: desired flows and user objects intact', { skip }, async (t) => {
  const p = `rt${randomBytes(2).readUInt16BE(0).toString(36).padStart(3, '0').slice(-3)}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'restart-traffic-'));
  const cfg = join(stateDir, 'config.json');
  writeFileSync(cfg, JSON.stringify({ apps_config: { 'container-net': { bridge: `${p}br`, vethPrefix: p, plugin: false } } }));
  const ofPort = await freePort();
  const args = ['--state-dir', stateDir, '--config', cfg, '--of-port', String(ofPort), '--apps', 'l2-switch,container-net', '--lldp-interval', '500'];
  let ctl: ControllerProcess = await spawnController(args);
  let mn: Mininet | undefined;
  t.teardown(async () => {
    await mn?.stop();
    await ctl.kill9();
    await run('ovs-vsctl', ['--if-exists', 'del-br', `${p}br`]);
    rmSync(stateDir, { recursive: true, force: true });
  });
  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const r = await fetch(ctl.rest + path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : undefined };
  };

  mn = await startMininet('linear,3', { controllerPort: ofPort });
  const m = mn;
  const switches = m.ready.switches;
  const allUp = (): Promise<boolean> => pollUntil('every switch up', async () => (await api('GET', '/switches')).json?.length === switches.length || undefined, 60_000, 200);
  await allUp();
  await pollUntil('links', async () => (await api('GET', '/links')).json?.length === 4 || undefined, 20_000, 200);
  t.equal((await m.pingAll({ timeout: 1 })).dropped_pct, 0, 'pingall before');

  // What users created: two static flows per switch (UDP ports nobody uses, so the ping is untouched) and a network.
  for (const s of switches) {
    for (const port of [9001, 9002]) {
      const r = await api('POST', `/switches/${s.dpid}/flows`, { table_id: 0, priority: 30_000, match: { eth_type: 2048, ip_proto: 17, udp_dst: port }, actions: [] });
      t.equal(r.status, 201, `static flow udp ${port} on ${s.name}`);
    }
  }
  t.equal((await api('POST', '/networks', { name: `${p}-net`, subnet: '10.231.7.0/24', bridge: `${p}x` })).status, 201, 'a container network');
  const desired = new Map<string, string[]>();
  for (const s of switches) desired.set(s.name, flowShape(await m.dumpFlows(s.name)));
  for (const [name, f] of desired) t.ok(f.filter((l) => l.includes('priority=30000')).length === 2, `${name}: the static flows are on the switch (${f.length} desired flows)`);

  const [h1, , h3] = m.ready.hosts;
  const pingLog = join(stateDir, 'ping.log');
  const pingPid = await m.background(h1!.name, ['sh', '-c', `exec ping -n -i 0.1 -W 1 ${h3!.ip} > ${pingLog} 2>&1`]);
  t.teardown(() => run('kill', ['-INT', String(pingPid)]));
  await pollUntil('the ping running', () => pingGaps(pingLog).replies > 5 || undefined, 10_000);

  const converged = async (what: string): Promise<void> => {
    for (const s of switches) {
      const want = desired.get(s.name)!;
      const got = await pollUntil(`${s.name}: the desired flows after ${what}`, async () => {
        const f = flowShape(await m.dumpFlows(s.name));
        return JSON.stringify(f) === JSON.stringify(want) ? f : undefined;
      }, 30_000, 250).catch(async () => flowShape(await m.dumpFlows(s.name)));
      t.same(got, want, `${s.name} after ${what}: the desired flows, nothing missing, nothing extra`);
      t.same(got.filter((l, i) => got.indexOf(l) !== i), [], `${s.name} after ${what}: no duplicates`);
      const gens = await pollUntil(`${s.name}: one generation`, async () => {
        const g = generations(await m.dumpFlows(s.name));
        return g.length === 1 ? g : undefined;
      }, 70_000, 500).catch(async () => generations(await m.dumpFlows(s.name)));
      t.equal(gens.length, 1, `${s.name} after ${what}: every flow of ours from the running controller (${gens.join(', ')}), none left from the killed one`);
    }
    for (const s of switches) {
      const r = await api('GET', `/switches/${s.dpid}/flows?owner=api`);
      t.equal(r.json?.flows?.length, 2, `${s.name} after ${what}: REST lists its two static flows`);
    }
    const n = await api('GET', `/networks/${p}-net`);
    t.equal(n.json?.subnet, '10.231.7.0/24', `after ${what}: the container network`);
    const seq = pingGaps(pingLog).lastSeq;
    await pollUntil(`the ping through after ${what}`, () => pingGaps(pingLog).lastSeq > seq + 10 || undefined, 30_000, 200);
  };

  // 1: the controller is killed (no chance to clean up) and started again on the same state directory and port.
  let gapBefore = pingGaps(pingLog);
  let t0 = Date.now();
  await ctl.kill9();
  ctl = await spawnController(args);
  await allUp();
  const ctlBack = Date.now() - t0;
  await converged('a controller kill -9');
  let gap = pingGaps(pingLog);
  t.comment(`restart-with-traffic: controller kill -9 -> all switches back in ${ctlBack} ms; ping replies ${gapBefore.replies} -> ${gap.replies}, longest gap so far ${gap.longestGap * 100} ms`);

  // 2: ovs-vswitchd is restarted: the switches lose every flow and come back from the database.
  gapBefore = gap;
  t0 = Date.now();
  await restartVswitchd();
  await pollUntil('the switches to reconnect', async () => (await api('GET', '/switches')).json?.length === switches.length || undefined, 60_000, 200);
  const vsBack = Date.now() - t0;
  await converged('an ovs-vswitchd restart');
  gap = pingGaps(pingLog);
  t.comment(`restart-with-traffic: ovs-vswitchd restart -> all switches back in ${vsBack} ms; ping replies ${gapBefore.replies} -> ${gap.replies}, longest gap ${gap.longestGap * 100} ms (0.1 s interval)`);
  t.equal((await m.pingAll({ timeout: 1 })).dropped_pct, 0, 'pingall after both');
});
