import t from 'tap';
import { encodeMessage, decodeMessage } from '../../src/openflow/codec.js';
import { EVERY_MESSAGE } from '../helpers/every-message.js';
import { isUnavailable, ovsOfctlDecode } from '../oracles/ofp-print-oracle.js';
import { tsharkDecode } from '../oracles/tshark-oracle.js';
import { MsgTypes } from '../../src/openflow/message-type.js';
import { missingTool } from '../helpers/ovs.js';

// What our encoder writes must be read without complaint by decoders nobody
// here wrote: Open vSwitch's ofp-print and Wireshark's dissector.

const encoded = EVERY_MESSAGE.map(({ name, msg }) => ({ name, bytes: encodeMessage(msg) }));

t.test('the corpus covers every message type', async (t) => {
  const seen = new Set(EVERY_MESSAGE.map((e) => e.msg.type));
  t.same([...MsgTypes.byName.keys()].filter((k) => !seen.has(k as never)), [], 'no message type is missing');
  for (const e of encoded) t.same(decodeMessage(e.bytes), EVERY_MESSAGE.find((x) => x.name === e.name)!.msg, `${e.name} round-trips through our own decoder`);
});

t.test('ovs-ofctl ofp-print decodes every message we encode', async (t) => {
  const results = await ovsOfctlDecode(encoded.map((e) => e.bytes.toString('hex')));
  if (isUnavailable(results)) {
    missingTool(`ovs-ofctl unavailable (${results.unavailable}); run as root so npm test installs Open vSwitch`, t);
    return;
  }
  results.forEach((r, i) => t.ok(r.ok, `${encoded[i]!.name}: ${r.ok ? 'decoded' : r.text}`));
});

t.test('tshark dissects every message we encode without a malformed frame', async (t) => {
  const results = await tsharkDecode(encoded.map((e) => e.bytes));
  if (isUnavailable(results)) {
    missingTool(`tshark unavailable (${results.unavailable}); run as root so npm test installs it`, t);
    return;
  }
  t.equal(results.length, encoded.length);
  for (const r of results) {
    // Notes are informational ("Experimenter body."); warnings and errors are failures.
    const bad = r.expert.filter((x) => !x.startsWith('note:'));
    t.ok(!r.malformed && bad.length === 0, `${encoded[r.index]!.name}: ${r.malformed ? 'MALFORMED' : 'ok'} ${bad.join('; ')}`);
  }
});
