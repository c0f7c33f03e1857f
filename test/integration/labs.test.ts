// Every lab of mininet/labs/ run as CI runs it: `switchyard lab NAME --check`
// (its own controller on free ports, Mininet, tshark), one after the other.
// Each must exit 0 with every row of its check table "ok", and leave no
// bridge or interface with its prefix behind.
import t from 'tap';
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mininetAvailable } from '../helpers/mininet.js';
import { missingTool, must, REPO_ROOT, run } from '../helpers/ovs.js';

const LABS_DIR = `${REPO_ROOT}mininet/labs`;
const labs = readdirSync(LABS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(LABS_DIR, e.name, 'lab.json')))
  .map((e) => e.name)
  .sort();

const avail = await mininetAvailable();
// As root a missing Mininet or OVS is a failure (missingTool throws), not a skip.
const skip = missingTool(avail);
const tshark = await run('tshark', ['--version']);

t.test('the labs are there', async (t) => {
  for (const name of ['handshake', 'learning', 'discovery', 'loops', 'stats', 'rest-errors', 'containers', 'trace']) t.ok(labs.includes(name), `lab ${name}`);
});

labs.forEach((name, i) => {
  t.test(`lab ${name} --check: every check holds`, { skip, timeout: 300_000 }, async (t) => {
    t.equal(tshark.code, 0, 'tshark is installed (as root a missing one is a failure)');
    const prefix = `lbt${i}`;
    const out = mkdtempSync(join(tmpdir(), `lab-${name}-`));
    const r = await run('node', [`${REPO_ROOT}bin/switchyard.js`, 'lab', name, '--check', '--prefix', prefix, '--out', out], 280_000);
    const table = r.stdout;
    t.equal(r.code, 0, `exit 0\n${table}\n${r.stderr.slice(-2000)}`);
    const rows = table.split('\n').filter((l) => /^ {2}(ok {2}|FAIL)/.test(l));
    t.ok(rows.length >= 5, `a check table (${rows.length} rows)`);
    t.same(rows.filter((l) => l.startsWith('  FAIL')), [], 'no row failed');
    t.match(table, /all \d+ checks held/);
    t.match(table, /tshark: OpenFlow capture has no malformed frame, no expert warning/, 'the whole-capture tshark check ran');
    t.ok(existsSync(join(out, 'openflow.pcapng')), 'the OpenFlow capture is kept');
    const bridges = (await must('ovs-vsctl', ['list-br'])).split('\n').filter((b) => b.startsWith(prefix));
    const links = (await must('ip', ['-o', 'link'])).split('\n').map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter((n) => n.startsWith(prefix));
    t.same({ bridges, links }, { bridges: [], links: [] }, 'nothing with the prefix is left');
  });
});
