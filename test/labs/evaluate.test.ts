// The lab check evaluator against a recorded capture: lab 1's handshake as
// tshark decoded it (handshake.tshark.json: `tshark -T json
// --no-duplicate-keys -J "frame tcp openflow_v1 openflow_v4"` of a real run,
// OpenFlow port 6653, trimmed to the layers the evaluator reads and without
// PACKET_IN/PACKET_OUT). A right expectation holds; each wrong one fails.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { REPO_ROOT } from '../helpers/ovs.js';
import { ofMessages } from '../../src/lab/of-messages.js';
import { evaluateMessages } from '../../src/lab/evaluate.js';
import { parseLabSpec, LabSpecError, type Check } from '../../src/lab/spec.js';
import { sortFindings, ALWAYS_TOLERATED, type ExpertFinding } from '../../src/lab/tshark.js';

const packets: unknown = JSON.parse(readFileSync(`${REPO_ROOT}test/labs/handshake.tshark.json`, 'utf8'));
const msgs = ofMessages(packets, 6653);
const specFile = `${REPO_ROOT}mininet/labs/handshake/lab.json`;
const spec = parseLabSpec(readFileSync(specFile, 'utf8'), specFile);

t.test('messages: directions, versions, dpids as tshark decoded them', async (t) => {
  t.ok(msgs.length > 20, `${msgs.length} messages`);
  const hello = msgs.find((m) => m.type === 0 && m.from === 'switch' && m.version === 4);
  t.ok(hello, 'a HELLO from an OpenFlow 1.3 switch');
  t.same(hello?.fields.get('openflow_v4.hello_element.version.bitmap'), ['00:00:00:10']);
  t.equal(hello?.dpid, '0000000000000001', 'the dpid of its connection, known from the later FEATURES_REPLY');
  t.ok(msgs.some((m) => m.version === 1 && m.from === 'switch'), 'the OpenFlow 1.0 switch is decoded by openflow_v1');
  const frames = msgs.map((m) => m.frame);
  t.same(frames, [...frames].sort((a, b) => a - b), 'in capture order');
});

t.test("lab 1's own checks hold on the recorded capture", async (t) => {
  const rows = evaluateMessages(msgs, spec.checks);
  t.equal(rows.length, spec.checks.filter((c) => c.kind !== 'frames').length);
  for (const r of rows) t.ok(r.ok, `${r.label}: ${r.detail}`);
});

const seq = spec.checks[0] as Extract<Check, { kind: 'sequence' }>;
const one = (c: Check): { ok: boolean; detail: string } => {
  const r = evaluateMessages(msgs, [c])[0];
  if (!r) throw new Error('no row');
  return r;
};

t.test('wrong expectations fail, naming what is missing', async (t) => {
  const wrongDpid = one({ ...seq, in: { type: 6, fields: { 'openflow_v4.switch_features.datapath_id': '0x0000000000000007' } } });
  t.notOk(wrongDpid.ok, 'no connection with dpid 7');
  t.match(wrongDpid.detail, /no connection has/);

  const badBitmap = one({ ...seq, messages: [{ type: 0, from: 'switch', version: 4, fields: { 'openflow_v4.hello_element.version.bitmap': '00:00:00:12' } }] });
  t.notOk(badBitmap.ok, 'a HELLO bitmap with 1.0 and 1.3 was never sent');

  const reversed = one({ kind: 'sequence', label: 'reply before request', messages: [{ type: 6, from: 'switch' }, { type: 5, from: 'controller' }] });
  t.notOk(reversed.ok, 'FEATURES_REPLY then FEATURES_REQUEST is the wrong order');
  t.match(reversed.detail, /FEATURES_REQUEST from the controller not found after frame \d+/);

  const wrongSide = one({ kind: 'sequence', label: 'x', messages: [{ type: 5, from: 'switch' }] });
  t.notOk(wrongSide.ok, 'switches do not send FEATURES_REQUEST');

  const regex = one({ kind: 'count', label: 'x', match: { type: 6, fields: { 'openflow_v4.switch_features.datapath_id': '~^0x0+1$' } }, min: 1 });
  t.ok(regex.ok, 'a ~regex field value matches');
  const absent = one({ kind: 'count', label: 'x', match: { type: 0, fields: { 'openflow_v4.hello_element.version.bitmap': '!' }, version: 4 }, min: 1 });
  t.notOk(absent.ok, "'!' wants the field absent: every 1.3 HELLO here has a bitmap");
  const tooMany = one({ kind: 'count', label: 'x', match: { type: 5, from: 'controller' }, max: 0, min: 0 });
  t.notOk(tooMany.ok, 'a max of 0 fails when there are some');
});

t.test('anyOrder: both HELLOs in either order, the next item after the later one', async (t) => {
  const a = { type: 0, from: 'switch' as const, version: 4 };
  const b = { type: 0, from: 'controller' as const, version: 4 };
  t.ok(one({ kind: 'sequence', label: 'x', in: { type: 6 }, messages: [{ anyOrder: [a, b] }, { type: 5 }] }).ok);
  t.ok(one({ kind: 'sequence', label: 'x', in: { type: 6 }, messages: [{ anyOrder: [b, a] }, { type: 5 }] }).ok);
  // Plain order fails one way round: in this capture the controller's HELLO came first.
  const plain = [one({ kind: 'sequence', label: 'x', in: { type: 6 }, messages: [a, b, { type: 5 }] }).ok, one({ kind: 'sequence', label: 'x', in: { type: 6 }, messages: [b, a, { type: 5 }] }).ok];
  t.same(plain.filter(Boolean).length, 1, 'without anyOrder exactly one order holds');
});

t.test('tolerated expert findings are named and counted; others are not hidden', async (t) => {
  const f = (message: string, protocols: string): ExpertFinding => ({ frame: 1, message, protocol: protocols.split(':').pop() ?? '', protocols, severity: 'warning' });
  const { bad, tolerated } = sortFindings(
    [f('D-SACK Sequence', 'eth:ethertype:ip:tcp'), f('D-SACK Sequence', 'eth:ethertype:ip:udp'), f('Trailing stray characters', 'eth:ethertype:ip:tcp:openflow:openflow_v4:eth:ethertype:lldp'), f('Malformed frame', 'eth:ethertype:ip:tcp:openflow:openflow_v4')],
    ALWAYS_TOLERATED,
  );
  t.equal(bad.length, 3, 'a D-SACK outside TCP, stray characters in LLDP (our probe is text now) and a malformed frame stay failures');
  t.equal([...tolerated.values()].reduce((a, b) => a + b, 0), 1);
});

t.test('a lab spec with a mistake is refused with its place named', async (t) => {
  t.throws(() => parseLabSpec('{"number": 1}', 'x.json'), LabSpecError);
  const bad = JSON.stringify({ ...spec, steps: [{ do: 'teleport' }] });
  t.throws(() => parseLabSpec(bad, 'x.json'), /steps\[0\]: unknown "do" "teleport"/);
  const frames = { kind: 'frames', label: 'arp on blue', capture: 'blue', filter: 'arp' };
  t.throws(() => parseLabSpec(JSON.stringify({ ...spec, checks: [frames] }), 'x.json'), /checks\[0\]: no capture "blue"/, 'a frames check on a capture no step starts');
  const started = { ...spec, steps: [{ do: 'capture', name: 'blue', containers: ['d1'], label: 'c' }], checks: [frames] };
  t.doesNotThrow(() => parseLabSpec(JSON.stringify(started), 'x.json'), 'the same check once a capture step starts "blue"');
  t.throws(() => parseLabSpec(JSON.stringify({ ...spec, steps: [{ do: 'stop_capture', name: 'bleu' }] }), 'x.json'), /steps\[0\]: no capture "bleu"/);
});
