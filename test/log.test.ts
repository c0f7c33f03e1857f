import t from 'tap';
import { connect } from 'node:net';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { createLog, openflowLog, REDACTED, resolveFormat } from '../src/log.js';
import { createController } from '../src/controller.js';
import { MemoryStore } from '../src/core/store/memory-store.js';
import { ConfigError, parseStartArgs } from '../src/config.js';
import { FakeSwitch } from './helpers/fake-switch.js';
import { pollUntil } from './helpers/ovs.js';

/** A stream that keeps what is written; `isTTY` as a terminal or a pipe would say. */
function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  }) as Writable & { isTTY: boolean; text: () => string };
  w.isTTY = isTTY;
  w.text = () => chunks.join('');
  return w;
}

const jsonLines = (s: string): Record<string, unknown>[] => s.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

t.test('format: pretty on a terminal, JSON when piped; --log-format overrides either way', async (t) => {
  t.equal(resolveFormat('auto', { isTTY: true }), 'pretty');
  t.equal(resolveFormat('auto', { isTTY: false }), 'json');
  t.equal(resolveFormat(undefined, {}), 'json');
  t.equal(resolveFormat('json', { isTTY: true }), 'json');
  t.equal(resolveFormat('pretty', { isTTY: false }), 'pretty');

  const pipe = sink(false);
  createLog({ stream: pipe }).info({ dpid: '0000000000000001' }, 'switch up');
  const [rec] = jsonLines(pipe.text());
  t.match(rec, { level: 30, msg: 'switch up', dpid: '0000000000000001', name: 'switchyard' });

  const tty = sink(true);
  createLog({ stream: tty, colorize: false }).info({ dpid: '0000000000000001' }, 'switch up');
  const line = tty.text();
  t.throws(() => JSON.parse(line), 'not JSON on a terminal');
  t.match(line, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: switch up \{"dpid":"0000000000000001"\}\n$/, 'one line a person reads: time, level, message, fields');

  const forced = sink(true);
  createLog({ stream: forced, format: 'json' }).warn({}, 'x');
  t.match(jsonLines(forced.text())[0], { level: 40, msg: 'x' });
});

t.test('secrets never reach the log: TLS keys, tokens, bearer credentials, in fields or in the message', async (t) => {
  const token = 'tok-0123456789abcdef';
  const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
  for (const format of ['json', 'pretty'] as const) {
    const out = sink(false);
    const log = createLog({ stream: out, format, secrets: [token], colorize: false });
    log.info({ config: { of: { tls: { key: pem, cert: 'CERT' } }, http: { tokens: [token] } } }, 'config loaded');
    log.info({ req: { headers: { authorization: `Bearer ${token}` } } }, 'request');
    log.warn({ err: `upstream said: Authorization: Bearer ${token}`, note: `key is ${pem}` }, `retrying with ${token}`);
    log.child({ svc: 'api' }).info({ tls: { key: pem } }, 'child loggers too');
    const text = out.text();
    t.notOk(text.includes(token), `${format}: no token`);
    t.notOk(text.includes('MIIEvQ'), `${format}: no key material`);
    t.ok(text.includes(REDACTED), `${format}: says what was removed`);
    t.ok(text.includes('CERT'), `${format}: what is not secret stays`);
  }
});

t.test('a TCP connect that closes without HELLO is a debug line, not a switch; a real switch is logged', { timeout: 30_000 }, async (t) => {
  const out = sink(false);
  const log = createLog({ stream: out, level: 'debug' });
  const c = createController({ config: { of: { port: 0, address: '127.0.0.1' }, http: { port: -1, address: '127.0.0.1' }, apps: [] }, log, store: new MemoryStore(), apps: [] });
  await c.start();
  t.teardown(() => c.stop());
  const port = c.ofAddress!.port;
  // What Mininet does to see whether a controller listens.
  const probe = connect(port, '127.0.0.1');
  await once(probe, 'connect');
  probe.destroy();
  await pollUntil('the probe closed at the controller', () => jsonLines(out.text()).some((l) => /before the OpenFlow handshake/.test(String(l.msg))) || undefined, 5000);
  const lines = jsonLines(out.text());
  const probeLine = lines.find((l) => /before the OpenFlow handshake/.test(String(l.msg)))!;
  t.equal(probeLine.level, 20, 'debug');
  t.notOk(lines.some((l) => l.level === 30 && /switch/.test(String(l.msg))), 'no info line about a switch');

  const sw = new FakeSwitch({ dpid: 0x42n });
  await sw.connect(port);
  t.teardown(() => sw.close());
  await pollUntil('switch up logged', () => jsonLines(out.text()).some((l) => l.msg === 'switch up' && l.level === 30) || undefined, 5000);
  sw.close();
  await pollUntil('a real switch leaving is info', () => jsonLines(out.text()).some((l) => l.msg === 'switch connection closed' && l.level === 30) || undefined, 5000);
});

t.test('openflowLog passes everything else through unchanged', async (t) => {
  const got: [string, object, string][] = [];
  const fake = { info: (o: object, m: string) => got.push(['info', o, m]), warn: (o: object, m: string) => got.push(['warn', o, m]), debug: (o: object, m: string) => got.push(['debug', o, m]) };
  const ch = openflowLog(fake as never);
  ch.info({ switch: '00000001', reason: 'eof', wasUp: true }, 'switch connection closed');
  ch.info({ switch: '1.2.3.4:5', reason: 'eof', wasUp: false }, 'switch connection closed');
  ch.warn({ a: 1 }, 'w');
  t.same(got.map((g) => [g[0], g[2]]), [['info', 'switch connection closed'], ['debug', 'connection closed before the OpenFlow handshake (a port probe?)'], ['warn', 'w']]);
});

t.test('--log-format and --host-detached on the command line', async (t) => {
  t.equal(parseStartArgs([]).logFormat, 'auto');
  t.equal(parseStartArgs(['--log-format', 'json']).logFormat, 'json');
  t.equal(parseStartArgs(['--log-format', 'pretty']).logFormat, 'pretty');
  t.throws(() => parseStartArgs(['--log-format', 'xml']), new ConfigError('--log-format must be one of auto, pretty, json, got xml'));
  t.equal(parseStartArgs(['--host-detached', '5000']).hostDetachedMs, 5000);
  t.equal(parseStartArgs([]).hostDetachedMs, 60000);
});
