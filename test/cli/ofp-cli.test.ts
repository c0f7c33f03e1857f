import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/ovs.js';
import * as S from '../helpers/samples.js';

const BIN = join(REPO_ROOT, 'bin', 'switchyard.js');

function run(args: string[], input?: string): { status: number | null; lines: string[]; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, lines: r.stdout.split('\n').filter((l) => l.length > 0), stderr: r.stderr };
}

t.test('ofp-print decodes arguments to one JSON object per line', async (t) => {
  const r = run(['ofp-print', S.HELLO_13.toString('hex'), S.FEATURES_REPLY.toString('hex')]);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.lines.length, 2);
  t.same(JSON.parse(r.lines[0]!), { type: 'hello', xid: 1, version: 4, elements: [{ type: 'versionbitmap', bitmaps: [16] }] });
  const features = JSON.parse(r.lines[1]!);
  t.equal(features.datapath_id, '0000000000000001', 'dpid as 16 hex digits');
  t.equal(features.type, 'features_reply');
});

t.test('ofp-print from stdin: blank lines ignored, bad lines reported, exit 2', async (t) => {
  const truncated = S.PACKET_IN_ARP.toString('hex').slice(0, 60);
  const input = [S.PACKET_IN_ARP.toString('hex'), '', '   ', truncated, 'zz', S.BARRIER_REQUEST.toString('hex')].join('\n') + '\n';
  const r = run(['ofp-print', '-'], input);
  t.equal(r.status, 2);
  t.equal(r.lines.length, 4, 'one line per non-blank input line');
  const pin = JSON.parse(r.lines[0]!);
  t.equal(pin.type, 'packet_in');
  t.equal(pin.data, S.ARP_FRAME.toString('hex'), 'bytes as hex');
  t.same(pin.match, [{ field: 'in_port', value: 1 }]);
  const bad = JSON.parse(r.lines[1]!);
  t.type(bad.error, 'string');
  t.type(bad.offset, 'number');
  t.match(bad.error, /length says 102 bytes but only 30/);
  t.same(Object.keys(JSON.parse(r.lines[2]!)).sort(), ['error', 'offset']);
  t.equal(JSON.parse(r.lines[3]!).type, 'barrier_request', 'lines after a bad one still decode');
});

t.test('ofp-encode takes exactly what ofp-print prints', async (t) => {
  const frames = [S.PACKET_IN_ARP, S.FLOW_MOD_L2, S.PORT_STATUS_ADD, S.FLOW_REMOVED, S.SET_ASYNC, S.FEATURES_REPLY, S.ROLE_REQUEST];
  const printed = run(['ofp-print', '-'], frames.map((f) => f.toString('hex')).join('\n'));
  t.equal(printed.status, 0, printed.stderr);
  const encoded = run(['ofp-encode', '-'], printed.lines.join('\n') + '\n');
  t.equal(encoded.status, 0, encoded.stderr);
  t.same(encoded.lines, frames.map((f) => f.toString('hex')));
});

t.test('ofp-encode reports invalid input per line and exits 2', async (t) => {
  const r = run(['ofp-encode', '{"type":"barrier_request","xid":7}', '{not json', '{"type":"flow_mod","command":"launch"}', '{"type":"warp"}']);
  t.equal(r.status, 2);
  t.equal(r.lines[0], '0414000800000007');
  t.match(r.lines[1], /^error: invalid JSON/);
  t.match(r.lines[2], /^error: .*flow_mod command "launch"/);
  t.match(r.lines[3], /^error: unknown message type "warp"/);
});

t.test('ofp-encode fills in lengths and defaults', async (t) => {
  const r = run(['ofp-encode', JSON.stringify({ type: 'flow_mod', xid: 1, match: [{ field: 'eth_type', value: 2048 }], instructions: [] })]);
  t.equal(r.status, 0, r.stderr);
  const back = run(['ofp-print', r.lines[0]!]);
  const fm = JSON.parse(back.lines[0]!);
  t.equal(fm.command, 'add');
  t.equal(fm.buffer_id, 'no_buffer');
  t.equal(fm.out_port, 'any');
  t.same(fm.match, [{ field: 'eth_type', value: 2048 }]);
});
