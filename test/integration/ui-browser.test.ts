// The web view in a real browser (Debian's chromium via playwright-core)
// against the controller and a live Mininet network: the map shows what the
// topology holds, a port set down marks its link within 3 s without a
// reload, clicking a switch lists its flows, a trace between two hosts is
// drawn. A screenshot is saved as a test artifact (and, with
// SY_UI_DOC_SHOTS=1, as docs/img/topology.png and trace.png).
import t from 'tap';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { mininetAvailable, startMininet } from '../helpers/mininet.js';
import { missingTool, pollUntil, REPO_ROOT } from '../helpers/ovs.js';
import { linkSet, ofPort, startController, switchesUp } from '../helpers/controller.js';
import { browserAvailable, buildUi, clickNode, mapCounts, openBrowser, waitInPage } from '../ui/browser.js';

const mn = await mininetAvailable();
const br = browserAvailable();
// As root a missing Mininet or OVS is a failure (missingTool throws), and so is a missing browser (br.fail).
const skip = missingTool(mn) || (br !== true && !br.fail ? br.unavailable : false);
const ARTIFACTS = join(REPO_ROOT, '.tap', 'artifacts');
const DOC_SHOTS = process.env.SY_UI_DOC_SHOTS === '1';

t.test('the web view on a live Mininet network', { skip, timeout: 240_000 }, async (t) => {
  if (br !== true) return t.fail(br.unavailable);
  buildUi();
  const c = await startController({ apps: ['l2-switch'] });
  t.teardown(() => c.stop());
  const net = await startMininet('tree,2,3', { controllerPort: ofPort(c), prefix: 'uib' });
  t.teardown(() => net.stop());
  await switchesUp(c, net.ready.switches.map((s) => s.dpid));
  const cables = linkSet(await net.links());
  await pollUntil('the controller to know every cable', () => linkSet(c.topology.links()).length === cables.length || undefined, 20_000);
  // The first round teaches the controller every host; on a loaded machine a first ping can time out while flows go in.
  let ping = await net.pingAll({ parallel: 4, timeout: 2 });
  if (ping.dropped_pct > 0) ping = await net.pingAll({ parallel: 4, timeout: 2 });
  t.equal(ping.dropped_pct, 0, 'pingall: every host reaches every other');
  await pollUntil('every host learned', () => c.hosts.size === net.ready.hosts.length || undefined, 10_000);

  const session = await openBrowser();
  t.teardown(() => session.close());
  const { page } = session;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${c.httpAddress!.port}/`);
  await waitInPage(page, 'the map drawn', () => document.body.dataset.drawn === 'true');
  const want = { switches: net.ready.switches.length, hosts: net.ready.hosts.length, links: cables.length, downLinks: 0 };
  const counts = await pollUntil('the map to hold the topology', async () => {
    const m = await mapCounts(page);
    return JSON.stringify(m) === JSON.stringify(want) ? m : undefined;
  }, 15_000).catch(async () => mapCounts(page));
  t.same(counts, want, 'switches, hosts and cables on the map equal the topology');
  t.match(await page.textContent('#status'), /live/, 'the stream is live');

  // Clicking a switch lists its flows (l2-switch learned some during pingall), with owners.
  const s1 = net.ready.switches[0]!;
  await clickNode(page, `s:${s1.dpid}`);
  await waitInPage(page, 'the switch panel with flows', () => document.querySelectorAll('#panel table.flows tbody tr').length > 0);
  const owners = await page.$$eval('#panel table.flows .owner', (els) => els.map((e) => e.textContent));
  t.ok(owners.includes('l2-switch'), `flows owned by l2-switch listed (${[...new Set(owners)].join(', ')})`);
  t.ok((await page.$$eval('#panel table.ports tbody tr', (r) => r.length)) >= 3, 'its ports listed');

  // A trace between two hosts on different edge switches, through the form.
  const [h1, hLast] = [net.ready.hosts[0]!, net.ready.hosts[net.ready.hosts.length - 1]!];
  t.ok((await net.ping(h1.name, hLast.name, { count: 2, timeout: 2 })).received > 0, 'a ping across (fresh l2-switch flows both ways)');
  await page.click('#trace');
  await page.fill('#panel input[name=from]', h1.mac);
  await page.fill('#panel input[name=to]', hLast.mac);
  await page.click('#panel button[type=submit]');
  const verdict = await waitInPage(page, 'a trace verdict', () => document.querySelector('#panel .verdict')?.textContent ?? false);
  t.match(verdict, /Verdict: delivered/, 'the ping is delivered');
  const drawn = await page.evaluate(() => {
    const cy = (window as any).__switchyard.cy;
    return { switches: cy.nodes('.trace[kind = "switch"]').length, links: cy.edges('.trace[kind = "link"]').length, end: cy.nodes('.trace-end').map((n: any) => n.id()) };
  });
  t.same(drawn, { switches: 3, links: 2, end: [`host:${hLast.mac}`] }, 'drawn on the map: three switches, two cables, the host it reached');
  t.ok((await page.$$eval('#panel ol.steps > li', (l) => l.length)) === 3, 'listed step by step');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'ui-trace.png') });
  if (DOC_SHOTS) await page.screenshot({ path: join(REPO_ROOT, 'docs', 'img', 'trace.png') });

  // A port set down: its link is marked down within 3 s, without a reload.
  await page.click('#panel .close');
  const link = (await net.links()).find((l) => l.a.switch === s1.name || l.b.switch === s1.name)!;
  const end = link.a.switch === s1.name ? link.a : link.b;
  const before = Date.now();
  await net.setPort(s1.name, end.port, 'down');
  await waitInPage(page, 'the link marked down', () => (window as any).__switchyard.cy.edges('[kind = "link"].down').length === 1, 3000);
  const ms = Date.now() - before;
  t.ok(ms <= 3000, `marked down after ${ms} ms`);
  if (DOC_SHOTS) {
    // For the documentation's picture: some traffic, so links show their utilisation colours.
    const ips = net.ready.hosts.map((x) => x.ip);
    await net.background(net.ready.hosts[3]!.name, ['ping', '-q', '-i', '0.002', '-s', '1400', ips[6]!]);
    await net.background(net.ready.hosts[4]!.name, ['ping', '-q', '-i', '0.05', '-s', '1000', ips[8]!]);
    await page.evaluate(() => (window as any).__switchyard.cy.elements().unselect());
    await waitInPage(page, 'a busy link', () => [...(window as any).__switchyard.model.links.values()].some((l: { bps: number }) => l.bps > 1e6), 15_000);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'ui-browser.png') });
  if (DOC_SHOTS) await page.screenshot({ path: join(REPO_ROOT, 'docs', 'img', 'topology.png') });
  await net.setPort(s1.name, end.port, 'up');
  await waitInPage(page, 'the link back up', () => (window as any).__switchyard.cy.edges('[kind = "link"].down').length === 0, 15_000);
  t.same(errors, [], 'no script errors on the page');
});
