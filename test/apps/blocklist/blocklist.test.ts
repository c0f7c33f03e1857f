// The app contract end to end, through the example app of src/apps/README.md:
// routes (in OpenAPI, validated, 503 while disabled), durable state, app
// events on the stream, its band in the pipeline, and everything it
// registered removed when it is disabled.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi } from '../../helpers/api.js';
import { openEvents } from '../../helpers/event-client.js';
import { pollUntil } from '../../helpers/ovs.js';
import type { FakeSwitch } from '../../helpers/fake-switch.js';
import type { FlowMod } from '../../../src/openflow/messages/flow-mod.js';

const MAC = '02:00:00:00:be:ef';
const blockFlows = (sw: FakeSwitch): FlowMod[] =>
  sw.received.filter((m): m is FlowMod => m.type === 'flow_mod' && m.command === 'add' && m.priority === 50000);

t.test('routes are in the OpenAPI document and validated; they answer 503 while the app is disabled', async (t) => {
  const api = await startApi(t);
  const doc = await api.json('GET', '/api/v1/openapi.json');
  t.ok(doc.body.paths['/api/v1/blocklist']?.post, 'the app route is documented');
  t.same(doc.body.paths['/api/v1/blocklist'].post.tags, ['blocklist'], 'tagged with the app name');
  const off = await api.json('POST', '/api/v1/blocklist', { mac: MAC });
  t.equal(off.status, 503);
  t.match(off.body, { error: 'app_disabled', message: /POST \/api\/v1\/apps\/blocklist\/enable/ });
  t.equal((await api.json('POST', '/api/v1/apps/blocklist/enable')).status, 200);
  const bad = await api.json('POST', '/api/v1/blocklist', { mac: 'not a mac' });
  t.equal(bad.status, 400);
  t.match(bad.body.message, /body\.mac must match pattern/);
  t.equal((await api.json('POST', '/api/v1/blocklist', { mac: MAC, extra: 1 })).status, 400, 'unknown fields refused');
});

t.test('a block is stored, installed on every switch in the app\'s band, published, and survives a restart', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sy-blocklist-'));
  const api = await startApi(t, { apps: ['blocklist'], stateDir });
  const sw = await api.addSwitch({ dpid: 1n, ports: 2 });
  const events = await openEvents(api.url, '?types=blocklist.*');
  t.teardown(() => events.close());
  const r = await api.json('POST', '/api/v1/blocklist', { mac: MAC });
  t.equal(r.status, 201);
  t.same(r.body, { mac: MAC });
  const [fm] = blockFlows(sw);
  t.ok(fm, 'a drop flow went to the switch before the answer');
  t.same(fm!.match, [{ field: 'eth_src', value: MAC }]);
  t.same(fm!.instructions, [{ type: 'apply_actions', actions: [] }], 'drop');
  t.equal(fm!.cookie >> 32n & 0xffffn, BigInt(api.c.flows.owners.id('blocklist')!), 'its cookie names the app');
  const e = await events.next((m) => m.type === 'blocklist.added', 'blocklist.added on the stream');
  t.same(e.data, { mac: MAC });
  t.equal((await api.json('POST', '/api/v1/blocklist', { mac: MAC })).status, 409, 'a second block of the same MAC');
  await api.c.stop();

  const again = await startApi(t, { apps: ['blocklist'], stateDir });
  const sw2 = await again.addSwitch({ dpid: 2n, ports: 2 });
  await pollUntil('the stored block installed on a new switch', () => blockFlows(sw2).length > 0 || undefined, 5000);
  t.same(blockFlows(sw2)[0]!.match, [{ field: 'eth_src', value: MAC }], 'after a restart, from the store');
});

t.test('disabling removes its hooks and flows; enabling again does not register twice', async (t) => {
  const api = await startApi(t, { apps: ['blocklist'] });
  const sw = await api.addSwitch({ dpid: 1n, ports: 2 });
  t.equal((await api.json('POST', '/api/v1/blocklist', { mac: MAC })).status, 201);
  t.equal((await api.json('POST', '/api/v1/apps/blocklist/disable')).status, 200);
  t.ok(sw.received.some((m) => m.type === 'flow_mod' && m.command === 'delete' && m.cookie_mask === 0xffff_ffff_0000_0000n), 'one masked delete of the app\'s flows');
  const late = await api.addSwitch({ dpid: 2n, ports: 2 });
  t.equal(blockFlows(late).length, 0, 'a disabled app\'s switch-up hook is gone');
  t.equal((await api.json('POST', '/api/v1/apps/blocklist/enable')).status, 200);
  t.equal((await api.json('POST', '/api/v1/apps/blocklist/enable')).status, 200, 'enable is idempotent');
  const third = await api.addSwitch({ dpid: 3n, ports: 2 });
  await pollUntil('installed on the new switch', () => blockFlows(third).length > 0 || undefined, 5000);
  await api.c.flows.reconciled(3n);
  t.equal(blockFlows(third).length, 1, 'one hook, one install (hooks did not pile up over enables)');
});

t.test('an app outside its band is refused by the pipeline', async (t) => {
  const api = await startApi(t);
  const owner = api.c.flows.forOwner('blocklist');
  await t.rejects(owner.install(1n, [{ priority: 10, match: [], actions: [] }]), /blocklist may use priorities 50000\.\.50999 in table "main", not 10/);
  const stranger = api.c.flows.forOwner('someone-new');
  await t.rejects(stranger.install(1n, [{ priority: 45000, match: [], actions: [] }]), /in container-net's band 40000\.\.49999/);
  await t.resolves(stranger.install(1n, [{ priority: 60000, match: [], actions: [] }]), 'outside every band is free');
});
