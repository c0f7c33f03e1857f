// Oracle: Open vSwitch's own OpenFlow decoder, `ovs-ofctl ofp-print HEX`.
//
// A second decoder that nobody here wrote, for checking what our encoder
// produces. `ofp-print` takes exactly one message per invocation, so a batch
// runs as a small pool of concurrent processes.
//
// When ovs-ofctl is missing the decode resolves to `{ unavailable: reason }`
// (never rejects), so a test can print one skip line:
//
//   const r = await ovsOfctlDecode([hex]);
//   if (isUnavailable(r)) { t.skip(r.unavailable); return; }
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface OracleUnavailable {
  readonly unavailable: string;
}

export interface OfctlDecode {
  /** the hex that was decoded, as given */
  readonly hex: string;
  /** true when ovs-ofctl decoded the whole message without complaint */
  readonly ok: boolean;
  /** ovs-ofctl's stdout, then its stderr (warnings), trimmed */
  readonly text: string;
}

export function isUnavailable(x: unknown): x is OracleUnavailable {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'unavailable' in x;
}

const OFCTL = process.env.OVS_OFCTL ?? 'ovs-ofctl';

// What ofp-print (OVS 3.1) prints for a message it cannot take whole:
//   ***decode error: OFPBRC_BAD_LEN***            (bad type, length, field, action...)
//   (***truncated to 12 bytes from 16***)         (length field > bytes given)
//   (***only uses 8 bytes out of 16***)           (bytes given > length field)
//   OpenFlow packet too short (only 4 bytes):     (less than a header)
// A message it decodes is printed without any "***" marker.
const DECODE_ERROR = /\*\*\*|OpenFlow packet too short/;
const OFPT_ERROR = 1;

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** the tool is not installed */
  missing: boolean;
}

/** Run an oracle tool; never rejects (a missing tool is `missing`, a failure a non-zero `code`). */
export function runTool(cmd: string, args: string[], limits: { maxBuffer: number; timeout: number }): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(cmd, args, limits, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
      resolve({
        code: e === null ? 0 : typeof e.code === 'number' ? e.code : null,
        stdout: String(stdout),
        stderr: String(stderr),
        missing: e !== null && e.code === 'ENOENT',
      });
    });
  });
}

const run = (args: string[]): Promise<ToolRun> => runTool(OFCTL, args, { maxBuffer: 64 * 1024 * 1024, timeout: 30_000 });

let availability: Promise<true | OracleUnavailable> | undefined;

/** Whether `ovs-ofctl` can be run here (checked once per process). */
export function ovsOfctlAvailable(): Promise<true | OracleUnavailable> {
  availability ??= run(['--version']).then((r) => {
    if (r.missing) {
      return { unavailable: `${OFCTL} not found (Debian package openvswitch-common); skipping ofp-print oracle` };
    }
    if (r.code !== 0) return { unavailable: `${OFCTL} --version failed: ${r.stderr.trim()}` };
    return true;
  });
  return availability;
}

/** Decode one message; `hex` is the whole message, no separators. */
async function decodeOne(hex: string): Promise<OfctlDecode> {
  const clean = hex.replace(/\s+/g, '').toLowerCase();
  if (clean.length === 0 || !/^[0-9a-f]*$/.test(clean) || clean.length % 2 !== 0) {
    return { hex, ok: false, text: 'not an even-length hex string' };
  }
  if (clean.length / 2 > 65535) {
    return { hex, ok: false, text: 'longer than any OpenFlow message (65535 bytes)' };
  }
  const bytes = Buffer.from(clean, 'hex');
  const r = await run(['ofp-print', clean]);
  const stdout = r.stdout.trim();
  const stderr = r.stderr.trim();
  const text = stderr === '' ? stdout : `${stdout}\n${stderr}`;
  // the header's length must cover exactly the bytes given
  const framed = bytes.length >= 8 && bytes.readUInt16BE(2) === bytes.length;
  // An OFPT_ERROR carries (the start of) the request it answers, and
  // ofp-print decodes that too: a truncated or refused request there is not
  // an error in the ERROR message, so only its first line counts.
  const judged = bytes[1] === OFPT_ERROR && stdout.startsWith('OFPT_ERROR') ? (stdout.split('\n')[0] ?? '') : stdout;
  const ok = r.code === 0 && framed && stdout !== '' && !DECODE_ERROR.test(judged);
  return { hex, ok, text };
}

/**
 * Decode each hex string with `ovs-ofctl ofp-print`. Results are in input
 * order. Resolves to `{ unavailable }` when ovs-ofctl is not installed.
 */
export async function ovsOfctlDecode(
  hexes: readonly string[],
  opts: { concurrency?: number } = {},
): Promise<OfctlDecode[] | OracleUnavailable> {
  const avail = await ovsOfctlAvailable();
  if (avail !== true) return avail;
  const width = Math.max(1, opts.concurrency ?? Math.min(8, availableParallelism() * 2));
  const out: OfctlDecode[] = new Array(hexes.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < hexes.length) {
      const i = next++;
      out[i] = await decodeOne(hexes[i] as string);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, hexes.length) }, worker));
  return out;
}
