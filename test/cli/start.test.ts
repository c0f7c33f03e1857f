import t from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { FakeSwitch } from '../helpers/fake-switch.js';
import { REPO_ROOT } from '../helpers/ovs.js';

const BIN = join(REPO_ROOT, 'bin', 'switchyard.js');

/** Start `switchyard start ...` and resolve with the process once it logs that it runs. */
async function startCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: { msg?: string; [k: string]: unknown }[] = [];
  let buf = '';
  const running = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const j = JSON.parse(line) as { msg?: string };
          lines.push(j);
          if (j.msg === 'Switchyard is running') resolve();
        } catch {
          /* not a log line */
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });
  return { child, lines, running };
}

t.test('start: structured logs, a switch connects, SIGTERM exits cleanly', async (t) => {
  const { child, lines, running } = await startCli(['--of-port', '0', '--of-address', '127.0.0.1', '--http-port', '0']);
  t.teardown(() => child.kill('SIGKILL'));
  await running;
  const ready = lines.find((l) => l.msg === 'Switchyard is running') as { openflow: { port: number }; apps: string[] };
  t.same(ready.apps, ['l2-switch', 'container-net'], 'default apps');
  const sw = new FakeSwitch({ dpid: 0x77n });
  await sw.connect(ready.openflow.port);
  await sw.waitFor((m) => m.type === 'set_config');
  sw.close();
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  t.equal(code, 0, 'exit status 0');
  t.ok(lines.some((l) => l.msg === 'shutting down'), 'says it is shutting down');
  t.ok(lines.every((l) => typeof l.level === 'number' && typeof l.time === 'number'), 'every stdout line is a pino JSON record');
});

t.test('start: bad flags give a usable message and exit 2', async (t) => {
  const child = spawn(process.execPath, [BIN, 'start', '--of-port', 'seventy'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const [code] = await once(child, 'exit');
  t.equal(code, 2);
  t.match(err, /--of-port must be a TCP port/);
  const child2 = spawn(process.execPath, [BIN, 'start', '--apps', 'nope'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err2 = '';
  child2.stderr.on('data', (d: Buffer) => (err2 += d.toString()));
  const [code2] = await once(child2, 'exit');
  t.equal(code2, 2);
  t.match(err2, /unknown app\(s\) nope; available: l2-switch/);
});
