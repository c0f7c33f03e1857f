// Oracle: Wireshark's OpenFlow dissector (tshark; OF 1.3 is `openflow_v4`).
//
// The messages are written by hand into a classic pcap file, each one as its
// own TCP connection 10.0.0.1:PORT -> 10.0.0.2:6653 (Ethernet + IPv4 + TCP
// with correct lengths, checksums and sequence numbers; one segment per
// message, or a few for messages bigger than one IPv4 packet). One stream
// per message keeps a bad length field from swallowing the next message.
// tshark then reports, per message, whether the dissector marked it
// malformed and which expert infos (severity note and above) it raised.
// Known dissector gaps (tshark 4.0): Nicira/ONF experimenter bodies are
// notes, ONF flow-monitor replies and experimenter meter bands come out
// "Malformed" even when Open vSwitch sent them.
//
// When tshark is missing the decode resolves to `{ unavailable: reason }`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUnavailable, runTool, type OracleUnavailable, type ToolRun } from './ofp-print-oracle.js';

export { isUnavailable, type OracleUnavailable };

export interface TsharkDecode {
  /** index of the message in the input */
  readonly index: number;
  /** dissector raised "Malformed packet", or the message was never dissected as OpenFlow */
  readonly malformed: boolean;
  /**
   * expert infos of severity note and above, each prefixed with its
   * severity: "note: Undecoded Data", "warning: ...", "error: Malformed
   * Packet (Exception occurred)". Notes are what the dissector did not
   * understand (experimenter bodies, unknown OXM classes, trailing bytes).
   */
  readonly expert: string[];
}

const TSHARK = process.env.TSHARK ?? 'tshark';
const OF_PORT = 6653;
const MAX_SEGMENT = 16_000; // payload bytes per TCP segment
const FIRST_SRC_PORT = 10_000;
const PORTS_PER_IP = 50_000;

// expert severities as tshark prints them (epan/proto.h PI_NOTE, PI_WARN, PI_ERROR)
const SEVERITY_NOTE = 0x00400000;
const SEVERITY_WARN = 0x00600000;
const SEVERITY_ERROR = 0x00800000;
const severityName = (s: number): string => (s >= SEVERITY_ERROR ? 'error' : s >= SEVERITY_WARN ? 'warning' : 'note');

// ---- pcap writing -------------------------------------------------------

function checksum(buf: Buffer, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < buf.length; i += 2) sum += buf.readUInt16BE(i);
  if (buf.length % 2 === 1) sum += (buf[buf.length - 1] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function ipv4(a: number, b: number, c: number, d: number): Buffer {
  return Buffer.from([a, b, c, d]);
}

/** Ethernet II + IPv4 (20 bytes) + TCP (20 bytes) + payload. */
function segment(src: Buffer, srcPort: number, dst: Buffer, seq: number, ack: number, payload: Buffer): Buffer {
  const eth = Buffer.from('020000000002' + '020000000001' + '0800', 'hex');
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(srcPort, 0);
  tcp.writeUInt16BE(OF_PORT, 2);
  tcp.writeUInt32BE(seq >>> 0, 4);
  tcp.writeUInt32BE(ack >>> 0, 8);
  tcp.writeUInt8(5 << 4, 12); // data offset: 5 words
  tcp.writeUInt8(0x18, 13); // PSH | ACK
  tcp.writeUInt16BE(65535, 14); // window
  const pseudo = Buffer.alloc(12);
  src.copy(pseudo, 0);
  dst.copy(pseudo, 4);
  pseudo.writeUInt8(6, 9);
  pseudo.writeUInt16BE(tcp.length + payload.length, 10);
  tcp.writeUInt16BE(checksum(Buffer.concat([pseudo, tcp, payload])), 16);
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(20 + tcp.length + payload.length, 2);
  ip.writeUInt16BE(0x4000, 6); // don't fragment
  ip.writeUInt8(64, 8);
  ip.writeUInt8(6, 9);
  src.copy(ip, 12);
  dst.copy(ip, 16);
  ip.writeUInt16BE(checksum(ip), 10);
  return Buffer.concat([eth, ip, tcp, payload]);
}

/** A classic (libpcap, microsecond) capture file: one TCP stream per message. */
export function buildPcap(messages: readonly Buffer[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262_144, 16); // snaplen
  header.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  const parts: Buffer[] = [header];
  const dst = ipv4(10, 0, 0, 2);
  let usec = 0;
  messages.forEach((msg, i) => {
    // distinct 4-tuple per message: 10.1.x.y:(10000 + i % 50000). Source
    // ports stay above 6653: tshark tries the lower port's dissector first.
    const block = Math.floor(i / PORTS_PER_IP);
    const src = ipv4(10, 1, (block >> 8) & 0xff, block & 0xff);
    const srcPort = FIRST_SRC_PORT + (i % PORTS_PER_IP);
    let seq = 1_000_000 + i;
    const chunks = msg.length === 0 ? [msg] : [];
    for (let off = 0; off < msg.length; off += MAX_SEGMENT) chunks.push(msg.subarray(off, off + MAX_SEGMENT));
    for (const chunk of chunks) {
      const frame = segment(src, srcPort, dst, seq, 1, chunk);
      const rec = Buffer.alloc(16);
      rec.writeUInt32LE(1_700_000_000 + Math.floor(usec / 1e6), 0);
      rec.writeUInt32LE(usec % 1e6, 4);
      rec.writeUInt32LE(frame.length, 8);
      rec.writeUInt32LE(frame.length, 12);
      parts.push(rec, frame);
      seq += chunk.length;
      usec += 10;
    }
  });
  return Buffer.concat(parts);
}

// ---- running tshark -----------------------------------------------------

const run = (args: string[]): Promise<ToolRun> => runTool(TSHARK, args, { maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });

let availability: Promise<true | OracleUnavailable> | undefined;

/** Whether tshark can be run here (checked once per process). */
export function tsharkAvailable(): Promise<true | OracleUnavailable> {
  availability ??= run(['--version']).then((r) => {
    if (r.missing) return { unavailable: `${TSHARK} not found (Debian package tshark); skipping tshark oracle` };
    if (r.code !== 0) return { unavailable: `${TSHARK} --version failed: ${r.stderr.trim()}` };
    return true;
  });
  return availability;
}

type Layers = Record<string, string[] | undefined>;

function first(layers: Layers, key: string): string | undefined {
  return layers[key]?.[0];
}

/**
 * Dissect each message with tshark. Results are in input order, one per
 * message. Resolves to `{ unavailable }` when tshark is not installed.
 */
export async function tsharkDecode(messages: readonly Buffer[]): Promise<TsharkDecode[] | OracleUnavailable> {
  const avail = await tsharkAvailable();
  if (avail !== true) return avail;
  if (messages.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'syfx-tshark-'));
  try {
    const file = join(dir, 'messages.pcap');
    await writeFile(file, buildPcap(messages));
    const r = await run([
      '-n', '-r', file,
      '-d', `tcp.port==${OF_PORT},openflow`,
      '-T', 'json',
      '-e', 'tcp.srcport', '-e', 'ip.src', '-e', 'frame.protocols',
      '-e', '_ws.malformed', '-e', '_ws.expert.message', '-e', '_ws.expert.severity',
    ]);
    if (r.code !== 0) return { unavailable: `tshark failed (exit ${r.code}): ${r.stderr.trim().slice(0, 500)}` };
    const frames = JSON.parse(r.stdout) as { _source: { layers: Layers } }[];
    const results = messages.map((_, index) => ({ index, malformed: false, expert: [] as string[], dissected: false }));
    for (const f of frames) {
      const l = f._source.layers;
      const port = Number(first(l, 'tcp.srcport'));
      const ip = (first(l, 'ip.src') ?? '').split('.').map(Number);
      const index = ((ip[2] ?? 0) * 256 + (ip[3] ?? 0)) * PORTS_PER_IP + (port - FIRST_SRC_PORT);
      const res = results[index];
      if (res === undefined) continue;
      if (/openflow/.test(first(l, 'frame.protocols') ?? '')) res.dissected = true;
      if (l['_ws.malformed'] !== undefined) res.malformed = true;
      const msgs = l['_ws.expert.message'] ?? [];
      const sevs = l['_ws.expert.severity'] ?? [];
      msgs.forEach((m, k) => {
        const sev = Number(sevs[k] ?? SEVERITY_NOTE);
        const entry = `${severityName(sev)}: ${m}`;
        if (sev >= SEVERITY_NOTE && !res.expert.includes(entry)) res.expert.push(entry);
      });
    }
    return results.map(({ index, malformed, expert, dissected }) => ({
      index,
      malformed: malformed || !dissected,
      expert,
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
