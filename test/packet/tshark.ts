// Oracle: Wireshark's dissectors (tshark), a decoder nobody here wrote.
// Frames are written into a classic pcap (LINKTYPE_ETHERNET) and tshark
// prints the requested fields, with IPv4/TCP/UDP checksum validation on
// (ICMP and ICMPv6 are always validated). Resolves to { unavailable } when
// tshark is not installed, so a test can skip with one line.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Unavailable {
  readonly unavailable: string;
}
export type Fields = Record<string, string>;

const TSHARK = process.env.TSHARK ?? 'tshark';

function pcap(frames: readonly Uint8Array[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const parts: Buffer[] = [header];
  frames.forEach((f, i) => {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000 + i, 0);
    rec.writeUInt32LE(f.length, 8);
    rec.writeUInt32LE(f.length, 12);
    parts.push(rec, Buffer.from(f));
  });
  return Buffer.concat(parts);
}

export function isUnavailable(x: unknown): x is Unavailable {
  return typeof x === 'object' && x !== null && 'unavailable' in x;
}

/**
 * One record per frame: field name to value, all occurrences joined with
 * '|' (tshark's aggregator). Fields tshark did not find are absent.
 */
export async function tsharkFields(frames: readonly Uint8Array[], fields: readonly string[]): Promise<Fields[] | Unavailable> {
  const dir = await mkdtemp(join(tmpdir(), 'swpk-tshark-'));
  try {
    const file = join(dir, 'frames.pcap');
    await writeFile(file, pcap(frames));
    const args = [
      '-n', '-r', file,
      '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
      '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=|',
      ...fields.flatMap((f) => ['-e', f]),
    ];
    const out = await new Promise<string | Unavailable>((resolve) => {
      execFile(TSHARK, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') resolve({ unavailable: `${TSHARK} not found (Debian package tshark); skipping the tshark oracle` });
        else if (err) resolve({ unavailable: `tshark failed: ${String(stderr).slice(0, 300)}` });
        else resolve(String(stdout));
      });
    });
    if (typeof out !== 'string') return out;
    const rows = out.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
    return rows.map((row) => {
      const rec: Fields = {};
      row.split('\t').forEach((v, i) => {
        if (v !== '') rec[fields[i]!] = v;
      });
      return rec;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
