// Issue 13, the first hour: the demo network (Mininet tree,2,2 under the
// default l2-switch). After a pingall every host has its IPv4 address, also
// the one that only ever answered (everyone ARPs for h4 before h4 needs to
// ARP itself), so /paths by IP works between h1 and h4. A switch that leaves
// takes its hosts out of the attached list.
import t from 'tap';
import { mininetAvailable, startMininet } from '../helpers/mininet.js';
import { missingTool, must, pollUntil } from '../helpers/ovs.js';
import { ofPort, startController, switchesUp } from '../helpers/controller.js';

const skip = missingTool(await mininetAvailable());

t.test('tree,2,2 after a pingall: every host has its IPv4; /paths by IP h1 -> h4; a switch leaving detaches its hosts', { skip }, async (t) => {
  const c = await startController();
  t.teardown(() => c.stop());
  const net = await startMininet('tree,2,2', { controllerPort: ofPort(c), prefix: 'fh' + Math.random().toString(36).slice(2, 5) });
  t.teardown(() => net.stop());
  await switchesUp(c, net.ready.switches.map((s) => s.dpid));
  await pollUntil('links', () => c.topology.links().length === 4 || undefined, 20_000);
  t.equal((await net.pingAll({ timeout: 1 })).dropped_pct, 0, 'pingall');
  const rest = async (url: string): Promise<{ status: number; body: any }> => {
    const r = await c.api!.app.inject({ method: 'GET', url: `/api/v1${url}` });
    return { status: r.statusCode, body: r.json() };
  };
  const hosts = await net.hosts();
  // The probe for a quiet host's address goes out half a second after the question.
  await pollUntil('every host with its IPv4', async () => {
    const known = (await rest('/hosts')).body as { mac: string; ipv4: string[] }[];
    return hosts.every((h) => known.find((k) => k.mac === h.mac)?.ipv4.includes(h.ip)) || undefined;
  }, 10_000).catch(() => undefined);
  const known = (await rest('/hosts')).body as { mac: string; ipv4: string[]; dpid: string; port_no: number; attached: boolean }[];
  for (const h of hosts) t.match(known.find((k) => k.mac === h.mac), { ipv4: [h.ip], dpid: h.dpid, port_no: h.port, attached: true }, `${h.name} ${h.ip}`);

  const [h1, , , h4] = hosts;
  const p = await rest(`/paths?src=${h1!.ip}&dst=${h4!.ip}`);
  t.equal(p.status, 200, `/paths?src=${h1!.ip}&dst=${h4!.ip}: ${JSON.stringify(p.body).slice(0, 200)}`);
  t.equal(p.body.hops.length, 3, 'h1 -> s2 -> s1 -> s3 -> h4');

  // The switch h4 hangs off stops talking to us: h4 (and its neighbour) are detached, h1 stays attached.
  const sw = net.ready.switches.find((s) => s.dpid === h4!.dpid)!;
  await must('ovs-vsctl', ['del-controller', sw.name]);
  await pollUntil('h4 detached', async () => ((await rest(`/hosts/${h4!.mac}`)).body.attached === false) || undefined, 20_000);
  const after = (await rest('/hosts?attached=true')).body as { mac: string }[];
  t.notOk(after.some((h) => h.mac === h4!.mac), 'h4 is not listed as attached');
  t.ok(after.some((h) => h.mac === h1!.mac), 'h1 still is');
  t.ok(Date.parse((await rest(`/hosts/${h4!.mac}`)).body.detached_at) > 0, 'detached_at set');
});
