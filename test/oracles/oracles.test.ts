// Self-test of the two external decoders used as oracles: each must accept
// hand-written valid messages and tell corrupted ones apart. Skips (one line
// each) when ovs-ofctl or tshark is not installed and we are not root; fails as root.
import t from 'tap';
import { isUnavailable, ovsOfctlAvailable, ovsOfctlDecode } from './ofp-print-oracle.js';
import { buildPcap, tsharkAvailable, tsharkDecode } from './tshark-oracle.js';
import { missingTool } from '../helpers/ovs.js';

// a missing tool skips its test with one line ("# SKIP ovs-ofctl not found ...") without root, and fails as root
const skipIfMissing = (a: true | { unavailable: string }) => ({ skip: missingTool(a) });
const ofctl = skipIfMissing(await ovsOfctlAvailable());
const tshark = skipIfMissing(await tsharkAvailable());

// written by hand from the OF 1.3.5 spec, not by our encoder
const VALID: Record<string, string> = {
  // ofp_hello with one ofp_hello_elem_versionbitmap (bitmap: 1.0 and 1.3)
  hello: '04000010000000010001000800000012',
  // ofp_header only
  hello_plain: '0400000800000002',
  // echo request with a 4-byte payload "sy01"
  echo_request: '0402000c0000000373793031',
  features_request: '0405000800000004',
};

const CORRUPT: Record<string, string> = {
  // header says 24 bytes, only 16 present
  hello_truncated: '04000018000000010001000800000012',
  // length field 4 (< 8-byte header)
  echo_length_4: '0402000400000003',
  // features_request claiming 12 bytes, only the 8-byte header present
  features_request_long: '0405000c00000004',
};

t.test('ovs-ofctl ofp-print oracle', ofctl, async (t) => {
  const names = [...Object.keys(VALID), ...Object.keys(CORRUPT)];
  const hexes = names.map((n) => VALID[n] ?? CORRUPT[n] ?? '');
  const r = await ovsOfctlDecode(hexes);
  if (isUnavailable(r)) throw new Error(r.unavailable);
  t.equal(r.length, hexes.length, 'one result per message');
  r.forEach((res, i) => {
    const name = names[i] as string;
    t.equal(res.hex, hexes[i], `${name}: hex echoed back`);
    t.equal(res.ok, name in VALID, `${name}: ${name in VALID ? 'accepted' : 'rejected'}\n${res.text}`);
  });
  t.match(r[0]?.text ?? '', /OFPT_HELLO \(OF1\.3\)/, 'hello is printed as an OF1.3 HELLO');
  t.match(r[3]?.text ?? '', /OFPT_FEATURES_REQUEST/, 'features_request is named');
  const bad = await ovsOfctlDecode(['04zz']);
  t.ok(!isUnavailable(bad) && bad[0]?.ok === false, 'non-hex input is not ok');
});

t.test('tshark oracle', tshark, async (t) => {
  const names = [...Object.keys(VALID), ...Object.keys(CORRUPT)];
  const msgs = names.map((n) => Buffer.from(VALID[n] ?? CORRUPT[n] ?? '', 'hex'));
  const r = await tsharkDecode(msgs);
  if (isUnavailable(r)) throw new Error(r.unavailable);
  t.equal(r.length, msgs.length, 'one result per message');
  r.forEach((res, i) => {
    const name = names[i] as string;
    t.equal(res.index, i, `${name}: index`);
    const clean = !res.malformed && res.expert.length === 0;
    t.equal(clean, name in VALID, `${name}: ${name in VALID ? 'clean' : 'flagged'} ${JSON.stringify(res)}`);
  });
  // a message bigger than one segment is split and reassembled
  const big = Buffer.alloc(40_000);
  Buffer.from('0402', 'hex').copy(big);
  big.writeUInt16BE(big.length, 2);
  const rb = await tsharkDecode([big]);
  t.ok(!isUnavailable(rb) && rb[0]?.malformed === false, 'a 40 kB echo_request over 3 segments is dissected');
});

t.test('pcap writer', async (t) => {
  const pcap = buildPcap([Buffer.from(VALID.hello as string, 'hex')]);
  t.equal(pcap.readUInt32LE(0), 0xa1b2c3d4, 'classic pcap magic');
  t.equal(pcap.readUInt32LE(20), 1, 'Ethernet link type');
  t.equal(pcap.readUInt32LE(24 + 8), 14 + 20 + 20 + 16, 'one frame: Ethernet + IPv4 + TCP + message');
  t.equal(pcap.readUInt16BE(24 + 16 + 14 + 2), 20 + 20 + 16, 'IPv4 total length');
  t.equal(pcap.readUInt16BE(24 + 16 + 14 + 20 + 2), 6653, 'TCP destination port 6653');
});
