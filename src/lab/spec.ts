// What a lab is: mininet/labs/NAME/lab.json, read and checked here. The
// runner (run-lab.ts) builds the network from `topo`, runs `steps` with
// --check, then evaluates `checks` on the captures (evaluate.ts).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A field value to look for: exact text, `~regex`, or `!` (the field must be absent). */
export type FieldWant = string | readonly string[];

/** One OpenFlow message as tshark decoded it. `type` is the ofp_type number. */
export interface MessageMatch {
  readonly label?: string;
  readonly type?: number;
  /** the wire version byte (1 = OpenFlow 1.0, 4 = 1.3) */
  readonly version?: number;
  readonly from?: 'switch' | 'controller';
  /** tshark field name → wanted value(s); a message matches when every field has a wanted value */
  readonly fields?: Readonly<Record<string, FieldWant>>;
}

/** A step of a sequence: one message, or several that may come in any order (both HELLOs). */
export type SequenceItem = MessageMatch | { readonly anyOrder: readonly MessageMatch[] };

export type Check =
  | { readonly kind: 'sequence'; readonly label: string; readonly messages: readonly SequenceItem[];
      /** each TCP connection on its own (default), or the whole capture as one stream */
      readonly per?: 'connection' | 'capture';
      /** only connections holding such a message count */
      readonly in?: MessageMatch;
      /** how many connections must show the sequence (default 1; "all" = every selected one) */
      readonly connections?: number | 'all' }
  | { readonly kind: 'count'; readonly label: string; readonly match: MessageMatch; readonly min?: number; readonly max?: number }
  /** capture: 'of', 'hosts', or the name of a capture a `capture` step started */
  | { readonly kind: 'frames'; readonly label: string; readonly capture: string; readonly filter: string; readonly min?: number; readonly max?: number };

export interface RestExpect {
  readonly status?: number;
  /** regex the body (as text) must match */
  readonly matches?: string;
  readonly notMatches?: string;
}

export type Step =
  | { readonly do: 'wait_switches'; readonly count: number; readonly timeoutMs?: number; readonly label?: string }
  | { readonly do: 'wait_rest'; readonly path: string; readonly matches?: string; readonly notMatches?: string; readonly length?: number; readonly timeoutMs?: number; readonly label: string }
  | { readonly do: 'rest'; readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; readonly path: string; readonly body?: unknown; readonly expect?: RestExpect; readonly label: string }
  | { readonly do: 'ping'; readonly src: string; readonly dst: string; readonly count?: number; readonly expect?: 'success' | 'failure'; readonly retryMs?: number; readonly label: string }
  | { readonly do: 'pingall'; readonly retryMs?: number; readonly label: string }
  | { readonly do: 'ping_until'; readonly src: string; readonly dst: string; readonly timeoutMs: number; readonly label: string }
  | { readonly do: 'cmd'; readonly host: string; readonly args: string; readonly expect?: { readonly status?: number; readonly matches?: string }; readonly timeoutMs?: number; readonly label?: string }
  | { readonly do: 'send_frame'; readonly host: string; readonly hex: string; readonly count?: number; readonly label?: string }
  | { readonly do: 'link'; readonly a: string; readonly b: string; readonly state: 'up' | 'down' }
  | { readonly do: 'dump_flows'; readonly switch: string; readonly matches: string; readonly min?: number; readonly max?: number; readonly timeoutMs?: number; readonly label: string }
  | { readonly do: 'wait_capture'; readonly capture: string; readonly filter: string; readonly min?: number; readonly timeoutMs?: number; readonly label: string }
  /** a capture (NAME.pcapng) of the OVS ports of Docker containers plugged in after the lab started (container-net's veths) */
  | { readonly do: 'capture'; readonly name: string; readonly containers: readonly string[]; readonly label: string }
  /** ends such a capture (before its ports go away, which would lose the end-of-capture marker) */
  | { readonly do: 'stop_capture'; readonly name: string; readonly label?: string };

export interface LabSpec {
  readonly number: number;
  readonly title: string;
  /** the driver's topo (mininet/driver.py): a preset string or {switches, hosts, links} */
  readonly topo: unknown;
  readonly controller?: {
    readonly apps?: readonly string[];
    readonly args?: readonly string[];
    /** apps_config of the controller's config file */
    readonly appsConfig?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  };
  /** switches that must connect before the CLI or the steps start (default: all of topo's OpenFlow 1.3 ones) */
  readonly waitSwitches?: number;
  readonly guide: {
    readonly intro: string;
    readonly try: readonly (readonly [string, string])[];
    readonly filters: readonly (readonly [string, string])[];
  };
  readonly steps: readonly Step[];
  readonly checks: readonly Check[];
  /** tshark expert findings tolerated on this lab's captures, each with the reason */
  readonly tolerate?: readonly Tolerated[];
}

export interface Tolerated {
  readonly message: string;
  readonly protocol?: string;
  readonly why: string;
}

export interface Lab {
  readonly name: string;
  readonly dir: string;
  readonly spec: LabSpec;
}

/** The repository root: the nearest parent holding mininet/driver.py. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'mininet', 'driver.py'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository (mininet/driver.py) above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export const labsDir = (): string => join(repoRoot(), 'mininet', 'labs');

export class LabSpecError extends Error {
  override readonly name = 'LabSpecError';
}

function need(cond: unknown, file: string, what: string): asserts cond {
  if (!cond) throw new LabSpecError(`${file}: ${what}`);
}

/** Reads and sanity-checks one lab.json (mistakes named with their place, so a lab author can fix them). */
export function parseLabSpec(text: string, file: string): LabSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new LabSpecError(`${file}: not JSON: ${(e as Error).message}`);
  }
  const s = raw as Partial<LabSpec>;
  need(typeof s === 'object' && s !== null, file, 'must be an object');
  need(Number.isInteger(s.number), file, '"number" must be an integer');
  need(typeof s.title === 'string', file, '"title" must be a string');
  need(s.topo !== undefined, file, '"topo" is missing');
  need(s.guide && typeof s.guide.intro === 'string' && Array.isArray(s.guide.try) && Array.isArray(s.guide.filters), file, '"guide" needs intro, try and filters');
  need(Array.isArray(s.steps), file, '"steps" must be a list');
  need(Array.isArray(s.checks), file, '"checks" must be a list');
  const doers = new Set(['wait_switches', 'wait_rest', 'rest', 'ping', 'pingall', 'ping_until', 'cmd', 'send_frame', 'link', 'dump_flows', 'wait_capture', 'capture', 'stop_capture']);
  s.steps.forEach((st, i) => need(doers.has((st as { do: string }).do), file, `steps[${i}]: unknown "do" ${JSON.stringify((st as { do: string }).do)} (one of ${[...doers].join(', ')})`));
  s.checks.forEach((c, i) => {
    need(['sequence', 'count', 'frames'].includes(c.kind), file, `checks[${i}]: kind must be sequence, count or frames`);
    need(typeof c.label === 'string', file, `checks[${i}]: a label is needed (it is the row in the table)`);
  });
  // A capture other than of/hosts exists only if a `capture` step starts it: a typo would otherwise fail only at the end of a run.
  const named = new Set(['of', 'hosts', ...s.steps.flatMap((st) => (st.do === 'capture' ? [st.name] : []))]);
  s.steps.forEach((st, i) => {
    if ((st.do === 'wait_capture' || st.do === 'stop_capture') && !named.has(st.do === 'wait_capture' ? st.capture : st.name))
      throw new LabSpecError(`${file}: steps[${i}]: no capture ${JSON.stringify(st.do === 'wait_capture' ? st.capture : st.name)} (of, hosts, or one a "capture" step starts)`);
  });
  s.checks.forEach((c, i) => need(c.kind !== 'frames' || named.has(c.capture), file, `checks[${i}]: no capture ${JSON.stringify(c.kind === 'frames' ? c.capture : '')} (of, hosts, or one a "capture" step starts)`));
  return s as LabSpec;
}

export function listLabs(): Lab[] {
  const dir = labsDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'lab.json')))
    .map((e) => {
      const file = join(dir, e.name, 'lab.json');
      return { name: e.name, dir: join(dir, e.name), spec: parseLabSpec(readFileSync(file, 'utf8'), file) };
    })
    .sort((a, b) => a.spec.number - b.spec.number);
}

/** A lab by folder name or number ("handshake", "1"). */
export function findLab(nameOrNumber: string): Lab | undefined {
  const labs = listLabs();
  return labs.find((l) => l.name === nameOrNumber) ?? labs.find((l) => String(l.spec.number) === nameOrNumber);
}
