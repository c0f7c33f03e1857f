// One lab from start to end: controller (in this process, logging to a
// file), captures, Mininet network, then either the person at the
// `mininet>` prompt or the unattended steps and the check table. Whatever
// happens, only what this run built is torn down (never `mn -c`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import { parseStartArgs } from '../config.js';
import { createController, type Controller } from '../controller.js';
import { BUILTIN_APPS } from '../apps/index.js';
import type { Lab } from './spec.js';
import { repoRoot } from './spec.js';
import { DriverClient } from './driver-client.js';
import { startCapture, readMessages, countFrames, experts, sortFindings, ALWAYS_TOLERATED, type Capture } from './tshark.js';
import { evaluateMessages, boundsText, type CheckRow } from './evaluate.js';
import { runStep, captureFile } from './steps.js';
import { guideText, tableText, withPrefix } from './guide.js';

export interface RunOptions {
  readonly check: boolean;
  /** build the network and keep it up (no Mininet CLI) until SIGINT/SIGTERM: for a run without a terminal */
  readonly noCli?: boolean;
  readonly prefix: string;
  readonly outDir: string;
  /** fixed ports for a person (default 6653/8080, any free port if taken); --check always uses free ones */
  readonly ofPort?: number;
  readonly httpPort?: number;
  /** more `switchyard start` options; they win over the lab's */
  readonly controllerArgs?: readonly string[];
  readonly out: NodeJS.WritableStream;
}

function prettyLog(file: string, level: string): Logger {
  const stream = PinoPretty({ destination: openSync(file, 'a'), colorize: false, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return pino({ name: 'switchyard', level }, stream);
}

function topoSwitchCount(topo: unknown): number {
  if (typeof topo === 'string') {
    const [kind, a = '2', b = '2'] = topo.split(',');
    if (kind === 'single') return 1;
    if (kind === 'linear') return Number(a);
    if (kind === 'tree') return Array.from({ length: Number(a) }, (_, i) => Number(b) ** i).reduce((x, y) => x + y, 0);
  }
  const sw = (topo as { switches?: (string | { protocols?: string })[] }).switches ?? [];
  // A switch that cannot speak OpenFlow 1.3 never appears in REST.
  return sw.filter((s) => typeof s === 'string' || s.protocols === undefined || /OpenFlow13/.test(s.protocols)).length;
}

async function startController(lab: Lab, o: RunOptions, log: Logger): Promise<Controller> {
  const c = lab.spec.controller ?? {};
  const cfgFile = join(o.outDir, 'controller.json');
  writeFileSync(cfgFile, withPrefix(JSON.stringify({ apps_config: c.appsConfig ?? {} }, null, 2), o.prefix));
  const base = [...(c.args ?? []), '--config', cfgFile, '--state-dir', join(o.outDir, 'state'), '--of-address', '127.0.0.1'];
  if (c.apps) base.push('--apps', c.apps.join(','));
  const attempt = async (of: number, http: number): Promise<Controller> => {
    const config = parseStartArgs([...base, '--of-port', String(of), '--http-port', String(http), ...(o.controllerArgs ?? [])]);
    const ctl = createController({ config, apps: BUILTIN_APPS, log });
    try {
      await ctl.start();
      return ctl;
    } catch (e) {
      await ctl.stop().catch(() => {});
      throw e;
    }
  };
  if (o.check) return attempt(0, 0);
  try {
    return await attempt(o.ofPort ?? 6653, o.httpPort ?? 8080);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || o.ofPort !== undefined || o.httpPort !== undefined) throw e;
    o.out.write('ports 6653/8080 are taken: using free ones (see below)\n');
    return attempt(0, 0);
  }
}

function bridgesInUse(names: readonly string[]): string[] {
  const have = new Set(execFileSync('ovs-vsctl', ['list-br'], { encoding: 'utf8' }).split('\n'));
  return names.filter((n) => have.has(n));
}

function labSwitchNames(lab: Lab, prefix: string): string[] {
  const topo = lab.spec.topo;
  if (typeof topo === 'string') return Array.from({ length: topoSwitchCount(topo) }, (_, i) => `${prefix}s${i + 1}`);
  return ((topo as { switches?: (string | { name: string })[] }).switches ?? []).map((s) => prefix + (typeof s === 'string' ? s : s.name));
}

/** Runs the lab; resolves to the exit status (0 = every check held, or the person typed exit). */
export async function runLab(lab: Lab, o: RunOptions): Promise<number> {
  const root = repoRoot();
  rmSync(o.outDir, { recursive: true, force: true });
  mkdirSync(o.outDir, { recursive: true });
  const clash = bridgesInUse(labSwitchNames(lab, o.prefix));
  if (clash.length) {
    o.out.write(`Open vSwitch already has bridge(s) ${clash.join(', ')} (someone else's network?). Run again with --prefix X so this lab's names do not collide.\n`);
    return 2;
  }
  const controllerLog = join(o.outDir, 'controller.log');
  const log = prettyLog(controllerLog, 'info');
  const captures: Capture[] = [];
  let driver: DriverClient | undefined;
  let controller: Controller | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      for (const c of captures.splice(0)) await c.stop().catch(() => {});
      if (driver) await driver.stop().catch(() => {});
      if (controller) await controller.stop().catch(() => {});
      // container-net leaves its own bridge in place (it outlives a controller restart); a lab's is the lab's to remove
      const cnetBridge = lab.spec.controller?.appsConfig?.['container-net']?.['bridge'];
      if (typeof cnetBridge === 'string') {
        try {
          execFileSync('ovs-vsctl', ['--if-exists', 'del-br', withPrefix(cnetBridge, o.prefix)]);
        } catch (e) {
          o.out.write(`could not remove the bridge ${withPrefix(cnetBridge, o.prefix)}: ${(e as Error).message}\n`);
        }
      }
      log.flush();
    })());
  // The terminal's Ctrl-C reaches this process too: in the CLI it belongs to Mininet; elsewhere it ends the lab.
  let inCli = false;
  const onInt = (): void => {
    if (!inCli) void cleanup().then(() => process.exit(130));
  };
  const onTerm = (): void => {
    driver?.kill();
    void cleanup().then(() => process.exit(143));
  };
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onTerm);
  try {
    controller = await startController(lab, o, log);
    const ofPort = controller.ofAddress?.port ?? 0;
    const http = controller.httpAddress;
    const httpBase = `http://${http?.host ?? '127.0.0.1'}:${http?.port ?? 0}`;
    const ofFile = join(o.outDir, 'openflow.pcapng');
    const sendFrameTool = join(root, 'mininet', 'tools', 'send_frame.py');
    // The end-of-capture marker's port: any port nobody listens on will do (the datagram is only captured).
    const markerPort = 40000 + (process.pid % 20000);
    captures.push(await startCapture(['lo'], ofFile, `tcp port ${ofPort}`, { udpPort: markerPort }));
    driver = DriverClient.start(join(root, 'mininet', 'driver.py'), { topo: lab.spec.topo, prefix: o.prefix, controller: { ip: '127.0.0.1', port: ofPort } }, { interactive: !o.check, outDir: o.outDir });
    const ready = await driver.ready();
    const switchNames = new Set(ready.switches.map((s) => s.name));
    const ports = ready.interfaces.filter((i) => switchNames.has(i.replace(/-eth\d+$/, '')));
    const hostsFile = ports.length ? join(o.outDir, 'hosts.pcapng') : undefined;
    if (hostsFile && ports[0]) captures.push(await startCapture(ports, hostsFile, undefined, { iface: ports[0], sendFrameTool }));
    const extraCaptures = new Map<string, string>();
    const named = new Map<string, Capture>();
    const addCapture = async (name: string, ifaces: readonly string[]): Promise<string> => {
      const file = join(o.outDir, `${name}.pcapng`);
      const c = await startCapture(ifaces, file, undefined, { iface: ifaces[0] ?? '', sendFrameTool });
      captures.push(c);
      named.set(name, c);
      extraCaptures.set(name, file);
      return file;
    };
    const endCapture = async (name: string): Promise<string | undefined> => {
      const c = named.get(name);
      if (!c) return `no capture named ${name} is running`;
      named.delete(name);
      captures.splice(captures.indexOf(c), 1);
      if (!(await c.drain())) {
        await c.stop();
        return `${c.file}: the end-of-capture marker never arrived (tshark too far behind?)`;
      }
      return (await c.stop()) ? undefined : `${c.file}: tshark had to be killed; the end of the capture may be missing`;
    };
    const ctx = { driver, restBase: httpBase, ofPort, captures: { of: ofFile, hosts: hostsFile }, sendFrameTool, addCapture, endCapture, extraCaptures };
    const want = lab.spec.waitSwitches ?? topoSwitchCount(lab.spec.topo);
    const connected = await runStep({ do: 'wait_switches', count: want, timeoutMs: 30_000 }, ctx);
    if (!o.check) {
      if (!connected?.ok) o.out.write(`warning: ${connected?.label}: ${connected?.detail}\n`);
      o.out.write(guideText(lab, { prefix: o.prefix, ofPort, httpBase, outDir: o.outDir, captures: ctx.captures, controllerLog, repo: root }) + '\n');
      if (o.noCli) {
        o.out.write('no Mininet CLI (--no-cli): the network stays up until Ctrl-C or SIGTERM\n');
        await driver.done; // the signal handlers above clean up and exit
      } else {
        inCli = true;
        await driver.call('cli', {}, 2 ** 31 - 1);
        inCli = false;
      }
      await cleanup();
      o.out.write(`lab ended; captures kept in ${o.outDir}\n`);
      return 0;
    }
    const rows: CheckRow[] = connected ? [connected] : [];
    for (const step of lab.spec.steps) {
      const s = JSON.parse(withPrefix(JSON.stringify(step), o.prefix)) as typeof step;
      if (process.env.LAB_DEBUG) o.out.write(`step ${JSON.stringify(s)}\n`);
      try {
        const row = await runStep(s, ctx);
        if (row) rows.push(row);
      } catch (e) {
        rows.push({ label: 'label' in s && s.label ? s.label : `step ${s.do}`, ok: false, detail: (e as Error).message });
      }
    }
    for (const c of captures) {
      if (!(await c.drain())) rows.push({ label: 'tshark caught up with the traffic', ok: false, detail: `${c.file}: the end-of-capture marker never arrived (tshark too far behind?)` });
    }
    for (const c of captures.splice(0)) {
      if (!(await c.stop())) rows.push({ label: 'tshark closed its capture cleanly', ok: false, detail: `${c.file}: tshark had to be killed; the end of the capture may be missing` });
    }
    rows.push(...(await evaluateCaptures(lab, ofPort, ctx.captures, extraCaptures)));
    o.out.write(tableText(lab, rows));
    o.out.write(`captures and logs: ${o.outDir}\n`);
    return rows.every((r) => r.ok) ? 0 : 1;
  } catch (e) {
    o.out.write(`lab ${lab.name} failed: ${(e as Error).message}\n(controller log: ${controllerLog})\n`);
    return 1;
  } finally {
    inCli = false;
    await cleanup();
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onTerm);
  }
}

/** The capture checks: the lab's own, then "tshark finds nothing wrong" on each capture. */
export async function evaluateCaptures(lab: Lab, ofPort: number, files: { of: string; hosts: string | undefined }, extra: ReadonlyMap<string, string> = new Map()): Promise<CheckRow[]> {
  const rows = evaluateMessages(await readMessages(files.of, ofPort), lab.spec.checks);
  for (const c of lab.spec.checks) {
    if (c.kind !== 'frames') continue;
    const file = captureFile({ captures: files, extraCaptures: new Map(extra) }, c.capture);
    if (!file) {
      rows.push({ label: c.label, ok: false, detail: `this lab has no capture named ${c.capture}` });
      continue;
    }
    const n = await countFrames(file, ofPort, c.filter);
    rows.push({ label: c.label, ok: n >= (c.min ?? 1) && (c.max === undefined || n <= c.max), detail: `${n} frames with ${c.filter} (want ${boundsText(c.min, c.max)})` });
  }
  for (const [name, file] of [['OpenFlow', files.of], ['hosts', files.hosts], ...extra] as const) {
    if (!file) continue;
    const { bad, tolerated } = sortFindings(await experts(file, ofPort), [...ALWAYS_TOLERATED, ...(lab.spec.tolerate ?? [])]);
    const known = [...tolerated].map(([t, n]) => `${n}× "${t.message}" tolerated: ${t.why}`).join('; ');
    rows.push({
      label: `tshark: ${name} capture has no malformed frame, no expert warning`,
      ok: bad.length === 0,
      detail: bad.length
        ? bad.slice(0, 3).map((b) => `frame ${b.frame}: ${b.protocol} ${b.severity} "${b.message}"`).join('; ') + (bad.length > 3 ? ` (+${bad.length - 3} more)` : '')
        : `clean${known ? ` (${known})` : ''}`,
    });
  }
  return rows;
}
