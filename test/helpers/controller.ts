import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createController, type Controller } from '../../src/controller.js';
import { BUILTIN_APPS } from '../../src/apps/index.js';
import type { ControllerConfig } from '../../src/config.js';
import { pollUntil } from './ovs.js';

/** An in-process controller on free ports with fast timers, for tests against real switches. */
export async function startController(config: Partial<ControllerConfig> = {}): Promise<Controller> {
  const c = createController({
    config: {
      of: { port: 0, address: '127.0.0.1' },
      http: { port: 0, address: '127.0.0.1' },
      lldpIntervalMs: 500,
      statsIntervalMs: 1000,
      stateDir: mkdtempSync(join(tmpdir(), 'switchyard-state-')),
      ...config,
    },
    apps: BUILTIN_APPS,
    log: pino({ level: process.env.SY_LOG ?? 'silent' }),
  });
  await c.start();
  return c;
}

export function ofPort(c: Controller): number {
  if (!c.ofAddress) throw new Error('controller not listening');
  return c.ofAddress.port;
}

/** Wait until every dpid (16 hex) is up at the controller. */
export function switchesUp(c: Controller, dpids: readonly string[], timeoutMs = 30_000): Promise<true> {
  return pollUntil(`switches ${dpids.join(', ')} up`, () => dpids.every((d) => c.switches.get(BigInt('0x' + d)) !== undefined) || undefined, timeoutMs);
}

/** Undirected link set as sorted "dpid:port-dpid:port" strings. */
export function linkSet(links: readonly { a?: { dpid: string; port: number }; b?: { dpid: string; port: number }; src?: { dpid: string; port_no: number }; dst?: { dpid: string; port_no: number } }[]): string[] {
  const out = new Set<string>();
  for (const l of links) {
    const x = l.a ? `${l.a.dpid}:${l.a.port}` : `${l.src!.dpid}:${l.src!.port_no}`;
    const y = l.b ? `${l.b.dpid}:${l.b.port}` : `${l.dst!.dpid}:${l.dst!.port_no}`;
    out.add([x, y].sort().join('-'));
  }
  return [...out].sort();
}
