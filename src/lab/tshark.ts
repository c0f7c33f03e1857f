// tshark, the independent decoder: it captures the lab's traffic and decodes
// it back for the checks. Nothing here uses the project's own codec.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { promisify } from 'node:util';
import type { Tolerated } from './spec.js';
import { ofMessages, type OfMessage } from './of-messages.js';

const exec = promisify(execFile);
const MAX_BUFFER = 512 * 1024 * 1024;

export interface Capture {
  readonly file: string;
  /**
   * Sends a marker through the capture and waits until it is in the file: on
   * a loaded machine dumpcap can lag seconds behind, and what it has not
   * read yet when stopped is lost.
   */
  drain(): Promise<boolean>;
  /** Ends the capture; false when tshark had to be killed (the end of the file may be missing). */
  stop(): Promise<boolean>;
}

/**
 * Starts `tshark -w file` and resolves once it is capturing. It runs in its
 * own process group, so a Ctrl-C typed in the Mininet CLI does not end it
 * before the lab does.
 */
export type Marker = { readonly udpPort: number } | { readonly iface: string; readonly sendFrameTool: string };

const MARKER_ETHERTYPE = '88b5'; // IEEE 802 local experimental
const MARKER_FRAME = `02000000000002000000000f${MARKER_ETHERTYPE}` + Buffer.from('switchyard lab capture end').toString('hex');

async function sendMarker(m: Marker): Promise<void> {
  if ('udpPort' in m) {
    const { createSocket } = await import('node:dgram');
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.send('switchyard lab capture end', m.udpPort, '127.0.0.1', () => r()));
    sock.close();
  } else {
    // Sent out of a switch-side port towards its host, which drops it; the port's capture sees it leave.
    await exec('/usr/bin/python3', [m.sendFrameTool, MARKER_FRAME, '1', m.iface]);
  }
}

export function startCapture(ifaces: readonly string[], file: string, bpf: string | undefined, marker: Marker): Promise<Capture> {
  const filter = bpf && 'udpPort' in marker ? `(${bpf}) or udp port ${marker.udpPort}` : bpf;
  const markerFilter = 'udpPort' in marker ? `udp.port == ${marker.udpPort}` : `eth.type == 0x${MARKER_ETHERTYPE}`;
  const args = [...ifaces.flatMap((i) => ['-i', i]), ...(filter ? ['-f', filter] : []), '-w', file, '-q'];
  const p: ChildProcess = spawn('tshark', args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  let started = false;
  const log = createWriteStream(file.replace(/\.pcapng$/, '') + '.tshark.log');
  p.stderr?.pipe(log);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`tshark did not start capturing within 15 s: ${err.trim()}`)), 15_000);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      try {
        if (p.pid) process.kill(-p.pid, 'SIGKILL');
      } catch {
        /* gone already */
      }
      reject(e);
    };
    p.on('error', (e) => fail(new Error(`cannot run tshark (apt-get install tshark): ${e.message}`)));
    p.on('exit', (code) => fail(new Error(`tshark exited (${String(code)}) before capturing: ${err.trim()}`)));
    p.stderr?.on('data', (d: Buffer) => {
      if (started) return;
      err += d.toString();
      if (/Capturing on/.test(err)) {
        started = true;
        clearTimeout(timer);
        p.removeAllListeners('exit');
        const exited = new Promise<void>((r) => p.once('exit', () => r()));
        resolve({
          file,
          async drain() {
            const t0 = Date.now();
            let sent = 0;
            while (Date.now() - t0 < 60_000) {
              if (Date.now() - t0 >= sent * 10_000) {
                await sendMarker(marker).catch(() => {});
                sent++;
              }
              if ((await countFrames(file, 0, markerFilter, true).catch(() => 0)) > 0) return true;
              await new Promise((r) => setTimeout(r, 500));
            }
            return false;
          },
          async stop() {
            if (p.exitCode !== null || p.signalCode !== null || !p.pid) return p.exitCode === 0 || p.signalCode === 'SIGINT';
            const pid = p.pid;
            try {
              // tshark and its dumpcap both: each flushes and closes the file on SIGINT
              process.kill(-pid, 'SIGINT');
            } catch {
              /* gone already */
            }
            let killed = false;
            const t = setTimeout(() => {
              killed = true;
              try {
                process.kill(-pid, 'SIGKILL');
              } catch {
                /* gone already */
              }
            }, 60_000);
            await exited;
            clearTimeout(t);
            return !killed;
          },
        });
      }
    });
  });
}

/** Reading options: OpenFlow on the controller's port; TCP sequence analysis off (see experts()). */
export function decodeArgs(ofPort: number): string[] {
  return ['-d', `tcp.port==${ofPort},openflow`, '-o', 'tcp.analyze_sequence_numbers:FALSE'];
}

export async function readMessages(file: string, ofPort: number): Promise<OfMessage[]> {
  const { stdout } = await exec('tshark', ['-r', file, ...decodeArgs(ofPort), '-Y', 'openflow_v1 || openflow_v4', '-T', 'json', '--no-duplicate-keys', '-J', 'frame tcp openflow_v1 openflow_v4'], { maxBuffer: MAX_BUFFER });
  return ofMessages(stdout.trim() === '' ? [] : JSON.parse(stdout), ofPort);
}

/** Frames matching a Wireshark display filter. */
export async function countFrames(file: string, ofPort: number, filter: string, live = false): Promise<number> {
  let stdout: string;
  try {
    ({ stdout } = await exec('tshark', ['-r', file, ...decodeArgs(ofPort), '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { maxBuffer: MAX_BUFFER }));
  } catch (e) {
    // A file still being written ends in the middle of a packet: what came before is still good.
    const out = (e as { stdout?: string; stderr?: string }).stdout;
    if (!live || out === undefined) throw new Error(`tshark -Y '${filter}': ${String((e as { stderr?: string }).stderr ?? e).trim()}`);
    stdout = out;
  }
  return stdout.split('\n').filter((l) => l.trim() !== '').length;
}

export interface ExpertFinding {
  readonly frame: number;
  readonly message: string;
  readonly protocol: string;
  /** frame.protocols, e.g. eth:ethertype:ip:tcp:openflow:openflow_v4:eth:ethertype:lldp */
  readonly protocols: string;
  readonly severity: string;
}

/** Findings every lab tolerates, each for a reason that is not the lab's to fix. */
export const ALWAYS_TOLERATED: readonly Tolerated[] = [
  {
    message: 'D-SACK Sequence',
    protocol: 'tcp',
    why: 'a duplicate-SACK on the loopback (a retransmission on a busy machine), TCP not OpenFlow',
  },
];

const SEP = '\u001f';

/**
 * Malformed frames and expert infos of severity warning or worse in the
 * whole capture. TCP's sequence-analysis experts are switched off (they
 * describe the capture on a busy loopback, not the protocol), and TCP
 * connection resets are left out: Open vSwitch resets a connection when
 * Mininet sets its controller twice. Both are said in the check's row.
 */
export async function experts(file: string, ofPort: number): Promise<ExpertFinding[]> {
  const { stdout } = await exec('tshark', [
    '-r', file, ...decodeArgs(ofPort), '-Y', '_ws.malformed || _ws.expert.severity >= warning',
    '-T', 'fields', '-E', 'occurrence=a', '-E', `aggregator=${SEP}`, '-E', 'separator=\t',
    '-e', 'frame.number', '-e', '_ws.expert.message', '-e', '_ws.expert.severity', '-e', 'frame.protocols', '-e', '_ws.malformed',
  ], { maxBuffer: MAX_BUFFER });
  const out: ExpertFinding[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const [frame = '', messages = '', severities = '', protocols = '', malformed = ''] = line.split('\t');
    const sev = severities.split(SEP);
    const protos = protocols.split(':');
    const msgs = messages.split(SEP);
    msgs.forEach((message, i) => {
      const s = Number(sev[i] ?? 0);
      // _ws.expert.severity: 0x00600000 warning, 0x00800000 error
      if (message === '' || s < 0x00600000) return;
      if (message === 'Connection reset (RST)') return;
      out.push({ frame: Number(frame), message, protocol: protos[protos.length - 1] ?? '', protocols, severity: s >= 0x00800000 ? 'error' : 'warning' });
    });
    if (malformed !== '' && !msgs.some((m) => /Malformed/i.test(m))) out.push({ frame: Number(frame), message: 'Malformed frame', protocol: protos[protos.length - 1] ?? '', protocols, severity: 'error' });
  }
  return out;
}

/** Splits findings into the tolerated ones (by message, optionally protocol) and the rest. */
export function sortFindings(found: readonly ExpertFinding[], tolerate: readonly Tolerated[]): { bad: ExpertFinding[]; tolerated: Map<Tolerated, number> } {
  const bad: ExpertFinding[] = [];
  const tolerated = new Map<Tolerated, number>();
  for (const f of found) {
    const t = tolerate.find((x) => f.message.includes(x.message) && (x.protocol === undefined || f.protocols.split(':').includes(x.protocol)));
    if (t) tolerated.set(t, (tolerated.get(t) ?? 0) + 1);
    else bad.push(f);
  }
  return { bad, tolerated };
}
