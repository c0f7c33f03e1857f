import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import type { FlowModCommand } from '../../openflow/messages/flow-mod.js';
import type { GroupModCommand } from '../../openflow/messages/group-mod.js';
import type { MeterModCommand } from '../../openflow/messages/meter-mod.js';
import type { Port } from '../../openflow/structs/port.js';
import type { ApiContext } from '../context.js';
import { notFound } from '../errors.js';
import { flowModFromRyu, groupModFromRyu, meterModFromRyu, portModFromRyu, type RyuBody } from './ryu-mods.js';
import { emptyOk, errorResponses, flowEntryBody, groupEntryBody, meterEntryBody, noQuery, portModBody, ryuDpidParams } from './ryu-schemas.js';
import { ryuSwitch } from './ryu-switch.js';
import { uint } from './ryu-values.js';

const TAGS = ['ryu ofctl_rest'];
// 409: an add that would replace one of the controller's own flows (table-miss, LLDP) is refused.
const response = { 200: emptyOk, ...errorResponses, 409: errorResponses[400] };

/** Ryu answers a change with 200 and no body; ours comes once the switch confirmed it with a barrier. */
const done = (reply: FastifyReply): FastifyReply => reply.code(200).type('text/plain; charset=utf-8').send('');

/**
 * A Ryu delete or modify may select the controller's own flows too (an
 * empty match in table 0 is every flow there): put those back, so the
 * table-miss and LLDP flows survive a script that cleans up after itself.
 */
async function restoreControllerFlows(ctx: ApiContext, dpid: bigint, log: FastifyBaseLogger): Promise<void> {
  try {
    const r = await ctx.core.flows.reconcile(dpid);
    if (r.added > 0) log.info({ switch: dpid.toString(16), restored: r.added }, "restored the controller's flows a Ryu call removed or changed");
  } catch (e) {
    log.warn({ switch: dpid.toString(16), err: String(e) }, "could not restore the controller's flows after a Ryu call");
  }
}

/** The switch's port as ofctl_rest's dpset knows it (LOCAL included). */
function findPort(ports: ReadonlyMap<number, Port>, all: readonly Port[], n: number): Port | undefined {
  return ports.get(n) ?? (n === 0xfffffffe ? all.find((p) => p.port_no === 'local') : undefined);
}

/** ofctl_rest's changes: flow, group and meter entries go through the static store (kept and re-installed), port behaviour straight to the switch. */
export function ofctlModRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const flowCommands: readonly [FlowModCommand, string][] = [
    ['add', 'Add a flow entry'], ['modify', 'Modify every matching flow entry'], ['modify_strict', 'Modify the flow entry with exactly this match and priority'],
    ['delete', 'Delete every matching flow entry'], ['delete_strict', 'Delete the flow entry with exactly this match and priority'],
  ];
  for (const [cmd, summary] of flowCommands) {
    app.post(`/stats/flowentry/${cmd}`, {
      schema: { tags: TAGS, summary: `${summary} (ofctl_rest mod_flow_entry, Ryu's JSON; kept across restarts)`, querystring: noQuery, body: flowEntryBody, response },
    }, async (req, reply) => {
      const b = req.body as RyuBody;
      const sw = ryuSwitch(ctx, b.dpid);
      await ctx.core.staticFlows.apply(sw.dpid, flowModFromRyu(b, cmd));
      if (cmd !== 'add') await restoreControllerFlows(ctx, sw.dpid, req.log);
      return done(reply);
    });
  }

  app.delete('/stats/flowentry/clear/:dpid', {
    schema: { tags: TAGS, summary: "Delete every flow entry of the switch (ofctl_rest delete_flow_entry); the controller's own flows are put back", params: ryuDpidParams, querystring: noQuery, response },
  }, async (req, reply) => {
    const sw = ryuSwitch(ctx, (req.params as { dpid: string }).dpid);
    await ctx.core.staticFlows.apply(sw.dpid, flowModFromRyu({ table_id: 'ALL' }, 'delete'));
    await restoreControllerFlows(ctx, sw.dpid, req.log);
    return done(reply);
  });

  for (const cmd of ['add', 'modify', 'delete'] as const satisfies readonly (GroupModCommand & MeterModCommand)[]) {
    app.post(`/stats/groupentry/${cmd}`, {
      schema: { tags: TAGS, summary: `${cmd[0]!.toUpperCase()}${cmd.slice(1)} a group entry (ofctl_rest mod_group_entry; kept across restarts)`, querystring: noQuery, body: groupEntryBody, response },
    }, async (req, reply) => {
      const b = req.body as RyuBody;
      const sw = ryuSwitch(ctx, b.dpid);
      await ctx.core.staticFlows.apply(sw.dpid, groupModFromRyu(b, cmd));
      return done(reply);
    });
    app.post(`/stats/meterentry/${cmd}`, {
      schema: { tags: TAGS, summary: `${cmd[0]!.toUpperCase()}${cmd.slice(1)} a meter entry (ofctl_rest mod_meter_entry; kept across restarts)`, querystring: noQuery, body: meterEntryBody, response },
    }, async (req, reply) => {
      const b = req.body as RyuBody;
      const sw = ryuSwitch(ctx, b.dpid);
      await ctx.core.staticFlows.apply(sw.dpid, meterModFromRyu(b, cmd));
      return done(reply);
    });
  }

  app.post('/stats/portdesc/modify', {
    schema: { tags: TAGS, summary: 'Change a port\'s OFPPC_* config bits (ofctl_rest mod_port_behavior; PORT_MOD)', querystring: noQuery, body: portModBody, response },
  }, async (req, reply) => {
    const b = req.body as RyuBody;
    const sw = ryuSwitch(ctx, b.dpid);
    const n = uint(b.port_no, 'port_no', 32);
    const port = findPort(sw.ports, sw.info.ports, n);
    if (port === undefined) throw notFound('port', `switch ${sw.dpid} has no port ${n} (its ports: ${[...sw.ports.keys()].sort((x, y) => x - y).join(', ') || 'none'})`);
    const msg = portModFromRyu(b, port);
    await ctx.core.flows.sendConfirmed(sw.dpid, [msg], 'api');
    return done(reply);
  });
}
