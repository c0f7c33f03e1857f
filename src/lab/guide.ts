// The screen a person sees before the `mininet>` prompt, and the check table.
import { relative } from 'node:path';
import type { Lab } from './spec.js';
import type { CheckRow } from './evaluate.js';

export interface GuideFacts {
  readonly prefix: string;
  readonly ofPort: number;
  readonly httpBase: string;
  readonly outDir: string;
  readonly captures: { readonly of: string; readonly hosts: string | undefined };
  readonly controllerLog: string;
  readonly repo: string;
}

/** `{p}` in a lab's text is the node-name prefix (empty by default: h1, s1 as in `mn`). */
export const withPrefix = (text: string, prefix: string): string => text.replaceAll('{p}', prefix);

/** The guide's placeholders: {p} prefix, {http} the REST base URL, {of} the OpenFlow port, {repo} the checkout. */
function fill(text: string, f: GuideFacts): string {
  return withPrefix(text, f.prefix).replaceAll('{http}', f.httpBase).replaceAll('{of}', String(f.ofPort)).replaceAll('{repo}', f.repo);
}

const pad = (s: string, n: number): string => (s.length >= n ? s + '  ' : s + ' '.repeat(n - s.length));

export function guideText(lab: Lab, f: GuideFacts): string {
  const rel = (p: string): string => relative(process.cwd(), p) || p;
  const s = lab.spec;
  const lines = [
    '',
    `━━ Lab ${s.number}: ${s.title} ━━`,
    fill(s.guide.intro, f),
    '',
    `controller   OpenFlow tcp:127.0.0.1:${f.ofPort}   REST ${f.httpBase}/api/v1   log ${rel(f.controllerLog)}`,
    `web view     ${f.httpBase}/          API docs ${f.httpBase}/api/v1/docs`,
    `captures     ${rel(f.captures.of)} (the OpenFlow channel)${f.captures.hosts ? `   ${rel(f.captures.hosts)} (the switches' ports)` : ''}`,
    `             wireshark -d tcp.port==${f.ofPort},openflow -r ${rel(f.captures.of)}   (reload with Ctrl-R while the lab runs)`,
    '',
    'try at the mininet> prompt:',
    ...s.guide.try.map(([cmd, why]) => `  ${pad(fill(cmd, f), 40)}${fill(why, f)}`),
    '',
    'Wireshark display filters:',
    ...s.guide.filters.map(([flt, why]) => `  ${pad(flt, 44)}${why}`),
    '',
    `README: ${rel(lab.dir)}/README.md    exit, Ctrl-D or Ctrl-C at the prompt ends the lab and removes what it built.`,
    '',
  ];
  return lines.join('\n');
}

export function tableText(lab: Lab, rows: readonly CheckRow[]): string {
  const w = Math.min(58, Math.max(...rows.map((r) => r.label.length), 10));
  const out = [`Lab ${lab.spec.number} (${lab.name}) checks:`];
  for (const r of rows) out.push(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${pad(r.label, w)}${r.detail}`);
  const failed = rows.filter((r) => !r.ok).length;
  out.push(failed === 0 ? `all ${rows.length} checks held` : `${failed} of ${rows.length} checks failed`);
  return out.join('\n') + '\n';
}
