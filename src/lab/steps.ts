// The unattended part of a lab (--check): each step acts on the network or
// asks the controller, and most of them leave a row in the check table.
import type { Step } from './spec.js';
import type { CheckRow } from './evaluate.js';
import { boundsText } from './evaluate.js';
import type { DriverClient } from './driver-client.js';
import { countFrames } from './tshark.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface StepContext {
  readonly driver: DriverClient;
  readonly restBase: string;
  readonly ofPort: number;
  readonly captures: { readonly of: string; readonly hosts: string | undefined };
  readonly sendFrameTool: string;
  /** starts a capture of these interfaces named `name`; its file counts for `frames` checks on that name */
  readonly addCapture: (name: string, ifaces: readonly string[]) => Promise<string>;
  /** drains and ends the capture `name` started; a failure is said in the message */
  readonly endCapture: (name: string) => Promise<string | undefined>;
  /** the captures `capture` steps started: name → file */
  readonly extraCaptures: Map<string, string>;
}

const execFileP = promisify(execFile);

/** The OVS port (interface name) of a container's veth: container-net and ovs-docker mark it with external_ids:container_id. */
async function containerPorts(container: string): Promise<string[]> {
  const id = (await execFileP('docker', ['inspect', '-f', '{{.Id}}', container])).stdout.trim();
  const names = (await execFileP('ovs-vsctl', ['--bare', '--columns=name', 'find', 'interface', `external_ids:container_id=${id}`])).stdout;
  return names.split('\n').map((n) => n.trim()).filter(Boolean);
}

export function captureFile(ctx: Pick<StepContext, 'captures' | 'extraCaptures'>, name: string): string | undefined {
  if (name === 'of') return ctx.captures.of;
  if (name === 'hosts') return ctx.captures.hosts;
  return ctx.extraCaptures.get(name);
}

interface PingResult {
  readonly sent: number;
  readonly received: number;
  readonly rtt_ms: { avg: number } | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value (not undefined) or the time is up; the last failure explains. */
async function until<T>(timeoutMs: number, everyMs: number, probe: () => Promise<T | undefined>): Promise<{ value: T | undefined; ms: number }> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== undefined) return { value: v, ms: Date.now() - t0 };
    if (Date.now() - t0 > timeoutMs) return { value: undefined, ms: Date.now() - t0 };
    await sleep(everyMs);
  }
}

async function rest(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(base + path, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, text: await res.text() };
}

const short = (s: string, n = 160): string => (s.length > n ? s.slice(0, n) + '…' : s).replace(/\s+/g, ' ');

export async function runStep(step: Step, ctx: StepContext): Promise<CheckRow | undefined> {
  switch (step.do) {
    case 'wait_switches': {
      const r = await until(step.timeoutMs ?? 30_000, 250, async () => {
        const { text } = await rest(ctx.restBase, 'GET', '/api/v1/switches');
        const n = (JSON.parse(text) as unknown[]).length;
        return n >= step.count ? n : undefined;
      });
      return { label: step.label ?? `${step.count} switch(es) connected (REST /api/v1/switches)`, ok: r.value !== undefined, detail: r.value !== undefined ? `${r.value} after ${r.ms} ms` : `not within ${step.timeoutMs ?? 30_000} ms` };
    }
    case 'wait_rest': {
      let last = '';
      const r = await until(step.timeoutMs ?? 30_000, 250, async () => {
        const { status, text } = await rest(ctx.restBase, 'GET', step.path);
        last = `${status} ${short(text)}`;
        if (status !== 200) return undefined;
        if (step.matches && !new RegExp(step.matches).test(text)) return undefined;
        if (step.notMatches && new RegExp(step.notMatches).test(text)) return undefined;
        if (step.length !== undefined && (JSON.parse(text) as unknown[]).length !== step.length) return undefined;
        return true;
      });
      return { label: step.label, ok: r.value === true, detail: r.value ? `GET ${step.path}: after ${r.ms} ms` : `GET ${step.path} never held within ${step.timeoutMs ?? 30_000} ms; last: ${last}` };
    }
    case 'rest': {
      const { status, text } = await rest(ctx.restBase, step.method, step.path, step.body);
      const e = step.expect ?? {};
      const problems: string[] = [];
      if (e.status !== undefined && status !== e.status) problems.push(`status ${status}, want ${e.status}`);
      if (e.matches && !new RegExp(e.matches).test(text)) problems.push(`body does not match /${e.matches}/`);
      if (e.notMatches && new RegExp(e.notMatches).test(text)) problems.push(`body matches /${e.notMatches}/`);
      return { label: step.label, ok: problems.length === 0, detail: `${step.method} ${step.path} → ${status} ${short(text)}${problems.length ? ' ✗ ' + problems.join('; ') : ''}` };
    }
    case 'ping': {
      const want = step.expect ?? 'success';
      let last: PingResult | undefined;
      const r = await until(step.retryMs ?? 0, 500, async () => {
        last = await ctx.driver.call<PingResult>('ping', { src: step.src, dst: step.dst, count: step.count ?? 1, timeout: 1 });
        const ok = want === 'success' ? last.received > 0 : last.received === 0;
        return ok ? true : undefined;
      });
      return { label: step.label, ok: r.value === true, detail: last ? `${step.src} → ${step.dst}: ${last.received}/${last.sent} replies${last.rtt_ms ? `, rtt ${last.rtt_ms.avg} ms` : ''}` : 'no answer' };
    }
    case 'pingall': {
      let last: { dropped_pct: number; sent: number; received: number } | undefined;
      const r = await until(step.retryMs ?? 0, 500, async () => {
        last = await ctx.driver.call<{ dropped_pct: number; sent: number; received: number }>('pingall', { timeout: 1, parallel: 4 }, 120_000);
        return last.dropped_pct === 0 ? true : undefined;
      });
      return { label: step.label, ok: r.value === true, detail: last ? `${last.received}/${last.sent} received (${last.dropped_pct}% dropped)` : '' };
    }
    case 'ping_until': {
      const r = await until(step.timeoutMs, 0, async () => {
        const p = await ctx.driver.call<PingResult>('ping', { src: step.src, dst: step.dst, count: 1, timeout: 1 });
        return p.received > 0 ? true : undefined;
      });
      return { label: step.label, ok: r.value === true, detail: r.value ? `${step.src} reached ${step.dst} again after ${(r.ms / 1000).toFixed(1)} s` : `no reply within ${step.timeoutMs} ms` };
    }
    case 'cmd': {
      const r = await ctx.driver.call<{ output: string; status: number }>('cmd', { host: step.host, args: step.args, timeout: (step.timeoutMs ?? 30_000) / 1000 }, (step.timeoutMs ?? 30_000) + 10_000);
      if (!step.label) return undefined;
      const problems: string[] = [];
      if (step.expect?.status !== undefined && r.status !== step.expect.status) problems.push(`exit ${r.status}, want ${step.expect.status}`);
      if (step.expect?.matches && !new RegExp(step.expect.matches).test(r.output)) problems.push(`output does not match /${step.expect.matches}/`);
      return { label: step.label, ok: problems.length === 0, detail: `${step.host}$ ${step.args} → ${short(r.output.trim())}${problems.length ? ' ✗ ' + problems.join('; ') : ''}` };
    }
    case 'send_frame': {
      const r = await ctx.driver.call<{ output: string; status: number }>('cmd', { host: step.host, args: ['/usr/bin/python3', ctx.sendFrameTool, step.hex, String(step.count ?? 1)] });
      if (!step.label) return undefined;
      return { label: step.label, ok: r.status === 0, detail: r.output.trim() };
    }
    case 'link':
      await ctx.driver.call('link', { a: step.a, b: step.b, state: step.state });
      return undefined;
    case 'dump_flows': {
      let n = 0;
      let lines: string[] = [];
      const re = new RegExp(step.matches);
      const r = await until(step.timeoutMs ?? 0, 500, async () => {
        lines = await ctx.driver.call<string[]>('dump_flows', { switch: step.switch });
        n = lines.filter((l) => re.test(l)).length;
        return n >= (step.min ?? 1) && (step.max === undefined || n <= step.max) ? true : undefined;
      });
      const example = lines.find((l) => re.test(l));
      return { label: step.label, ok: r.value === true, detail: `ovs-ofctl dump-flows ${step.switch}: ${n} flows match (want ${boundsText(step.min, step.max)})${example ? `, e.g. ${short(example, 120)}` : ''}` };
    }
    case 'wait_capture': {
      const file = captureFile(ctx, step.capture);
      if (!file) return { label: step.label, ok: false, detail: `no capture named ${step.capture} in this lab` };
      let n = 0;
      const r = await until(step.timeoutMs ?? 30_000, 1000, async () => {
        n = await countFrames(file, ctx.ofPort, step.filter, true);
        return n >= (step.min ?? 1) ? true : undefined;
      });
      return { label: step.label, ok: r.value === true, detail: `${n} frames with ${step.filter} after ${(r.ms / 1000).toFixed(1)} s` };
    }
    case 'capture': {
      const ports = (await Promise.all(step.containers.map(containerPorts))).flat();
      if (ports.length === 0) return { label: step.label, ok: false, detail: `no OVS port carries external_ids:container_id of ${step.containers.join(', ')}` };
      const file = await ctx.addCapture(step.name, ports);
      return { label: step.label, ok: true, detail: `${ports.join(', ')} → ${file}` };
    }
    case 'stop_capture': {
      const problem = await ctx.endCapture(step.name);
      return { label: step.label ?? `capture ${step.name} ended cleanly`, ok: problem === undefined, detail: problem ?? (ctx.extraCaptures.get(step.name) ?? '') };
    }
  }
}
