import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseStartArgs } from '../../src/config.js';
import { parseCluster } from '../../src/cluster-config.js';

t.test('without --cluster nothing changes', async (t) => {
  t.equal(parseStartArgs([]).cluster, undefined);
});

t.test('--cluster and --node-id become the cluster config', async (t) => {
  const c = parseStartArgs(['--cluster', 'etcd://10.0.0.1:2379,10.0.0.2,[::1]:23790', '--node-id', 'ctl-a']).cluster;
  t.same(c, { endpoints: ['http://10.0.0.1:2379', 'http://10.0.0.2:2379', 'http://[::1]:23790'], nodeId: 'ctl-a', prefix: 'switchyard' });
  t.equal(parseCluster('etcd://h:1/lab7', 'n').prefix, 'lab7', 'a path after the hosts is the key prefix');
  const dir = mkdtempSync(join(tmpdir(), 'sy-cluster-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'c.json'), JSON.stringify({ cluster: 'etcd://e1:2379', nodeId: 'from-file' }));
  t.same(parseStartArgs(['--config', join(dir, 'c.json')]).cluster?.nodeId, 'from-file', 'the config file may say it too');
  t.same(parseStartArgs(['--config', join(dir, 'c.json'), '--node-id', 'flag']).cluster?.nodeId, 'flag', 'flags win');
});

t.test('bad cluster flags are refused with a message saying what to give', async (t) => {
  const bad: [string[], RegExp][] = [
    [['--cluster', 'etcd://127.0.0.1:2379'], /--cluster needs --node-id NAME/],
    [['--node-id', 'a'], /--node-id .* give --cluster/],
    [['--cluster', 'http://127.0.0.1:2379', '--node-id', 'a'], /must look like etcd:\/\/host:port/],
    [['--cluster', 'etcd://', '--node-id', 'a'], /empty host/],
    [['--cluster', 'etcd://a:2379,,b', '--node-id', 'a'], /empty host/],
    [['--cluster', 'etcd://a:99999', '--node-id', 'a'], /port 99999 of a must be 1-65535/],
    [['--cluster', 'etcd://a b:1', '--node-id', 'a'], /not a host name/],
    [['--cluster', 'etcd://a:1,a:1', '--node-id', 'a'], /twice/],
    [['--cluster', 'etcd://a:1/x/y', '--node-id', 'a'], /key prefix/],
    [['--cluster', 'etcd://a:1', '--node-id=-bad'], /--node-id "-bad" must be/],
    [['--cluster', 'etcds://a:1', '--node-id', 'a'], /etcds:\/\/ needs --cluster-ca/],
    [['--cluster-ca', '/dev/null'], /need --cluster/],
    [['--cluster', 'etcd://a:1', '--node-id', 'a', '--cluster-ca', '/dev/null'], /use etcds:\/\//],
    [['--cluster', 'etcds://a:1', '--node-id', 'a', '--cluster-ca', '/dev/null', '--cluster-cert', '/dev/null'], /both --cluster-cert and --cluster-key/],
    [['--cluster', 'etcds://a:1', '--node-id', 'a', '--cluster-ca', '/nonexistent/ca.pem'], /cannot read etcd CA/],
  ];
  for (const [args, re] of bad) t.throws(() => parseStartArgs(args), { name: ConfigError.name, message: re }, args.join(' '));
});

t.test('etcds:// with a CA (and a client key pair) is TLS', async (t) => {
  const c = parseStartArgs(['--cluster', 'etcds://e1:2379', '--node-id', 'a', '--cluster-ca', '/dev/null', '--cluster-cert', '/dev/null', '--cluster-key', '/dev/null']).cluster;
  t.same(c?.endpoints, ['https://e1:2379']);
  t.same(c?.tls, { ca: '', cert: '', key: '' });
});
