import type { App, AppContext, AppDefinition } from '../../core/apps/app-context.js';
import { AppHttpError, type AppRoute } from '../../core/apps/app-routes.js';

declare module '../../core/events.js' {
  interface CoreEventMap {
    'blocklist.added': { mac: string };
  }
}

/** Drops every frame from a blocked MAC on every switch. The apps README walks through it. */
export class Blocklist implements App {
  private ctx!: AppContext;
  private macs = new Set<string>();

  async start(ctx: AppContext): Promise<void> {
    this.ctx = ctx;
    for (const e of await ctx.store.list('mac/')) this.macs.add(e.key.slice(4));
    ctx.switches.onSwitchUp((sw) => void this.install(sw.dpid));
  }

  async block(mac: string): Promise<void> {
    if (this.macs.has(mac)) throw new AppHttpError(409, 'already_blocked', `${mac} is already blocked`);
    await this.ctx.store.put(`mac/${mac}`, true);
    this.macs.add(mac);
    for (const sw of this.ctx.switches.all()) await this.install(sw.dpid);
    this.ctx.events.emit('blocklist.added', { mac });
  }

  private install(dpid: bigint): Promise<void> {
    const flows = [...this.macs].map((mac) => ({ priority: 50000, match: [{ field: 'eth_src' as const, value: mac }], actions: [] }));
    return this.ctx.flows.install(dpid, flows);
  }
}

const MAC = { type: 'string', pattern: '^([0-9a-f]{2}:){5}[0-9a-f]{2}$' };
const block: AppRoute<Blocklist> = {
  method: 'POST', url: '/blocklist', summary: 'Block a MAC address on every switch',
  schema: { body: { type: 'object', properties: { mac: MAC }, required: ['mac'], additionalProperties: false }, response: { 201: { type: 'object', properties: { mac: MAC } } } },
  handler: async (app, req) => {
    const { mac } = req.body as { mac: string };
    await app.block(mac);
    return { status: 201, body: { mac } };
  },
};

export const blocklistApp: AppDefinition<Blocklist> = {
  name: 'blocklist', description: 'Drops frames from blocked MACs', events: ['blocklist.added'], routes: [block], create: () => new Blocklist(),
};
