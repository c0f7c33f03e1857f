// Which map elements a trace touched, by the class that marks them. Pure,
// so it is tested without a browser.
import type { OutcomeJson } from './format.js';
import { attachEdgeId, linkEdgeId, switchNodeId } from './ids.js';
import { linkId, type TopologyModel } from './model.js';

export interface TraceJson {
  verdict: string;
  truncated: boolean;
  ingress: { dpid: string; port_no: number };
  hops: {
    id: number;
    parent: number | null;
    dpid: string;
    in_port: number;
    header: Record<string, unknown>;
    tables: { table_id: number; flow: { priority: number; owner: string | null; match: Record<string, unknown>; instructions: Record<string, unknown>[] } | null }[];
    actions: Record<string, unknown>[];
    outputs: { outcome: OutcomeJson; header: Record<string, unknown>; via: string }[];
  }[];
}

/** What to mark on the map for a trace: element ids by class. */
export function traceMarks(t: TraceJson, model: TopologyModel, fromHost: string | null): Record<'trace' | 'trace-end' | 'trace-drop' | 'trace-ctl', string[]> {
  const out = { trace: [] as string[], 'trace-end': [] as string[], 'trace-drop': [] as string[], 'trace-ctl': [] as string[] };
  if (fromHost) out.trace.push(fromHost, attachEdgeId(fromHost));
  for (const hop of t.hops) {
    out.trace.push(switchNodeId(hop.dpid));
    for (const o of hop.outputs) {
      const k = o.outcome.kind;
      if ((k === 'forwarded' || k === 'looped' || k === 'truncated') && o.outcome.to && typeof o.outcome.port_no === 'number') {
        out.trace.push(linkEdgeId(linkId({ dpid: hop.dpid, port_no: o.outcome.port_no }, o.outcome.to)));
      }
      if (k === 'delivered' && o.outcome.host) {
        const id = `host:${o.outcome.host.mac}`;
        if (model.hosts.has(id)) {
          out['trace-end'].push(id);
          out.trace.push(attachEdgeId(id));
        }
      }
      if (k === 'dropped' || k === 'looped') out['trace-drop'].push(switchNodeId(hop.dpid));
      if (k === 'controller') out['trace-ctl'].push(switchNodeId(hop.dpid));
    }
  }
  return out;
}

