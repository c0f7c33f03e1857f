import t from 'tap';
import { describeExposure } from '../../src/cli/exposure.js';
import { defaults } from '../../src/config.js';

t.test('defaults: OpenFlow on every interface without TLS is named, with the flags that close it', async (t) => {
  const e = describeExposure(defaults, { host: '0.0.0.0', port: 6653 }, { host: '127.0.0.1', port: 8080 });
  t.equal(e.tls, 'off');
  t.equal(e.tokens, 'off');
  t.match(e.line, /^exposed: OpenFlow 0\.0\.0\.0:6653 \(every interface, TLS off\); REST http:\/\/127\.0\.0\.1:8080 \(localhost only, tokens off\)\./);
  t.match(e.line, /--of-address/);
  t.match(e.line, /--tls-key\/--tls-cert\/--tls-ca/);
  t.match(e.line, /--api-token-file so local users/);
  t.notMatch(e.line, /\n/, 'one line');
});

t.test('REST on the network without tokens is called out', async (t) => {
  const e = describeExposure({ ...defaults, http: { ...defaults.http, address: '0.0.0.0' } }, { host: '10.0.0.1', port: 6653 }, { host: '0.0.0.0', port: 8080 });
  t.match(e.line, /REST http:\/\/0\.0\.0\.0:8080 \(every interface, tokens off\)/);
  t.match(e.line, /REST is reachable from the network without a token/);
  t.notMatch(e.line, /--of-address/, 'OpenFlow is already bound to one address');
});

t.test('bound, mutual TLS and tokens: nothing left to advise', async (t) => {
  const config = { of: { port: 6653, address: '10.0.0.1', tls: { key: 'k', cert: 'c', ca: 'a' } }, http: { ...defaults.http, tokens: ['x'.repeat(16)] } };
  const e = describeExposure(config, { host: '10.0.0.1', port: 6653 }, { host: '127.0.0.1', port: 8080 });
  t.equal(e.tls, 'on, client certificates required');
  t.equal(e.tokens, 'on');
  t.match(e.line, /Protected: /);
});
