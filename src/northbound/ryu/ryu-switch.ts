import type { SwitchRecord } from '../../core/switches.js';
import { encodeMessage } from '../../openflow/codec.js';
import { show } from '../../openflow/enums.js';
import type { OfpMessage } from '../../openflow/message.js';
import type { ApiContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { formatDpid } from '../ids.js';
import { parseRyuDpid } from './ryu-values.js';

/**
 * The switch a Ryu call names, as ofctl_rest finds it: 400 when the dpid is
 * not a number, 404 when no such switch is connected.
 */
export function ryuSwitch(ctx: ApiContext, dpid: unknown): SwitchRecord {
  if (dpid === undefined || dpid === null || dpid === '') throw badRequest('the body needs "dpid": the datapath id as GET /stats/switches lists it, e.g. {"dpid": 1, ...}');
  const d = parseRyuDpid(dpid);
  if (d === undefined) throw badRequest(`dpid ${show(dpid)} is not a datapath id: use the decimal number /stats/switches lists (1), 0x-hex, or 16 hex digits`);
  const sw = ctx.core.switches.get(d);
  if (sw === undefined) {
    const known = ctx.core.switches.all().map((s) => s.dpid.toString());
    throw notFound('switch', `switch ${d} (${formatDpid(d)}) is not connected; ${known.length ? `connected: ${known.slice(0, 10).join(', ')}` : 'no switch is connected'}`);
  }
  return sw;
}

/** Encode once before sending, so a value out of range is a 400 naming the field, not a failed send. */
export function checkEncodes(msg: OfpMessage): void {
  encodeMessage(msg);
}
