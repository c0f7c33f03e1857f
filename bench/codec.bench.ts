// npm run bench:codec: decode PACKET_IN (60-byte ARP) and encode FLOW_MOD
// (in_port + eth_dst + eth_src → one OUTPUT), messages/s on one core.
import { decodeMessage, encodeInto } from '../src/openflow/codec.js';
import { Writer } from '../src/openflow/writer.js';
import type { OfpMessage } from '../src/openflow/message.js';

const ARP = Buffer.from(
  'ffffffffffff0000000000010806000108000604000100000000000' + '10a000001000000000000' + '0a000002' + '00'.repeat(18),
  'hex',
);
if (ARP.length !== 60) throw new Error(`ARP frame is ${ARP.length} bytes`);

const packetIn = Buffer.concat([
  Buffer.from('040a006600000010ffffffff003c00000000000000000000' + '0001000c800000040000000100000000' + '0000', 'hex'),
  ARP,
]);

const flowMod: OfpMessage = {
  type: 'flow_mod', xid: 3, cookie: 0n, cookie_mask: 0n, table_id: 0, command: 'add', idle_timeout: 0,
  hard_timeout: 0, priority: 0x8000, buffer_id: 'no_buffer', out_port: 'any', out_group: 'any', flags: [],
  match: [
    { field: 'in_port', value: 1 },
    { field: 'eth_dst', value: '00:00:00:00:00:02' },
    { field: 'eth_src', value: '00:00:00:00:00:01' },
  ],
  instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, max_len: 0xffe5 }] }],
};

/**
 * Seven rounds of 400 ms after a warm-up; the median round is the figure
 * (the best is printed too): a 2-core VM's neighbours make single runs noisy.
 */
function measure(name: string, fn: () => void): { name: string; perSec: number; ns: number; bestPerSec: number } {
  for (let i = 0; i < 300_000; i++) fn();
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    let n = 0;
    const start = process.hrtime.bigint();
    let now = start;
    while (now - start < 400_000_000n) {
      for (let i = 0; i < 10_000; i++) fn();
      n += 10_000;
      now = process.hrtime.bigint();
    }
    rounds.push(Number(now - start) / n);
  }
  rounds.sort((a, b) => a - b);
  const ns = rounds[3]!;
  return { name, perSec: Math.round(1e9 / ns), ns, bestPerSec: Math.round(1e9 / rounds[0]!) };
}

let sink = 0;
const results = [
  measure('decode packet_in (60-byte ARP)', () => {
    const m = decodeMessage(packetIn);
    if (m.type === 'packet_in') sink += m.data.length;
  }),
  (() => {
    const w = new Writer(256);
    return measure('encode flow_mod (3 match fields, 1 output)', () => {
      w.reset();
      encodeInto(w, flowMod);
      sink += w.pos;
    });
  })(),
];

const TARGET = 2_000_000;
for (const r of results) {
  const verdict = r.perSec >= TARGET ? 'meets' : 'BELOW';
  console.log(`${r.name}: ${r.perSec.toLocaleString('en-US')} messages/s, ${r.ns.toFixed(1)} ns/message, median of 7 rounds (best ${r.bestPerSec.toLocaleString('en-US')}/s); ${verdict} the 2,000,000/s target`);
}
if (sink === 0) console.log('');
