import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaults, parseStartArgs } from '../../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-config-'));

t.test('REST defaults: localhost:8080, no tokens, 1 MiB bodies', async (t) => {
  const c = parseStartArgs([]);
  t.same(c.http, defaults.http);
  t.equal(c.http.address, '127.0.0.1');
  t.equal(c.http.port, 8080);
});

t.test('tokens come from a file (comments and blank lines ignored) and from SWITCHYARD_API_TOKENS', async (t) => {
  const f = join(dir, 'tokens');
  writeFileSync(f, '# operators\nfirst-token-0123456789\n\n second-token-0123456789 \n');
  const saved = process.env.SWITCHYARD_API_TOKENS;
  t.teardown(() => {
    if (saved === undefined) delete process.env.SWITCHYARD_API_TOKENS;
    else process.env.SWITCHYARD_API_TOKENS = saved;
  });
  process.env.SWITCHYARD_API_TOKENS = 'env-token-0123456789';
  const c = parseStartArgs(['--api-token-file', f, '--open-reads', '--body-limit', '4096']);
  t.same(c.http.tokens, ['env-token-0123456789', 'first-token-0123456789', 'second-token-0123456789']);
  t.equal(c.http.openReads, true);
  t.equal(c.http.bodyLimit, 4096);
});

t.test('weak tokens, missing token files and tiny body limits are refused with a reason', async (t) => {
  const f = join(dir, 'weak');
  writeFileSync(f, 'short\n');
  t.throws(() => parseStartArgs(['--api-token-file', f]), new ConfigError('API tokens must be at least 16 characters without spaces'));
  t.throws(() => parseStartArgs(['--api-token-file', join(dir, 'absent')]), /cannot read API token file/);
  t.throws(() => parseStartArgs(['--body-limit', '10']), /--body-limit must be a number of bytes >= 1024/);
});
