import type { Test } from 'tap';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Controller } from '../../src/controller.js';
import type { ControllerConfig } from '../../src/config.js';
import { startController, ofPort } from './controller.js';
import { FakeSwitch, type FakeSwitchOptions } from './fake-switch.js';
import { pollUntil } from './ovs.js';

export interface ApiHarness {
  readonly c: Controller;
  /** http://127.0.0.1:PORT of the real listener (for WebSocket and load tests). */
  readonly url: string;
  /** fastify inject: no socket, the same routing, schemas and hooks. */
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** Shorthand: inject and parse the JSON body. */
  json(method: InjectOptions['method'], url: string, payload?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Connect a fake switch and wait until the controller has it up. */
  addSwitch(opts: FakeSwitchOptions): Promise<FakeSwitch>;
}

/** A controller with its API on a free port, apps off unless asked, torn down with the test. */
export async function startApi(t: Test, config: Partial<ControllerConfig> = {}): Promise<ApiHarness> {
  const c = await startController({ apps: [], ...config });
  t.teardown(() => c.stop());
  const api = c.api;
  if (!api || !c.httpAddress) throw new Error('API did not start');
  const inject = (opts: InjectOptions): Promise<LightMyRequestResponse> => api.app.inject(opts);
  return {
    c,
    url: `http://127.0.0.1:${c.httpAddress.port}`,
    inject,
    async json(method, url, payload, headers) {
      const r = await inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}), ...(headers ? { headers } : {}) });
      let body: unknown = r.body;
      try {
        body = r.json();
      } catch {
        // not JSON (metrics text, docs html): the raw body
      }
      return { status: r.statusCode, body };
    },
    async addSwitch(opts) {
      const sw = new FakeSwitch(opts);
      await sw.connect(ofPort(c));
      t.teardown(() => sw.close());
      await pollUntil(`switch ${opts.dpid} up`, () => c.switches.get(opts.dpid), 5000);
      // The reconcile a switch gets when it comes up runs after the apps' hooks: let it finish, so a test's own changes do not race it.
      await c.flows.reconciled(opts.dpid);
      return sw;
    },
  };
}
