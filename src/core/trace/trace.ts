// The walk across the network: the packet enters one switch, the pipeline
// says where its copies leave, a link from the topology carries each copy to
// the next switch (in_port the far end), an edge port delivers it to the
// host there. A copy that reaches a switch, port and header it already had
// on its way here is a loop (it would circle for ever).
import type { OxmBasic } from '../../openflow/structs/oxm.js';
import { Header } from './header.js';
import { runPipeline, SwitchTables, type Emit } from './pipeline.js';
import type { HopOutput, Outcome, TraceHop, TraceIngress, TraceNetwork, TraceResult, TraceVerdict } from './types.js';

export interface TraceOptions {
  /** Most switch visits in one trace (a flood in a big network stops here, marked truncated). */
  readonly maxHops?: number;
}

interface Pending {
  readonly at: TraceIngress;
  readonly header: Header;
  readonly parent: number | null;
  /** Switch+port+header keys on the way here, with the hop id that first had each. */
  readonly seen: ReadonlyMap<string, number>;
  /** Where the parent recorded this copy's outcome, so the hop id can be filled in. */
  readonly slot: { outcome: Outcome } | null;
}

/** Trace one packet from `ingress` through `net`. `packet` holds the header fields (in_port is set from ingress). */
export function tracePacket(net: TraceNetwork, ingress: TraceIngress, packet: readonly OxmBasic[], opts: TraceOptions = {}): TraceResult {
  const maxHops = opts.maxHops ?? 256;
  const tables = new Map<string, SwitchTables>();
  const tablesOf = (dpid: string): SwitchTables | undefined => {
    let t = tables.get(dpid);
    const sw = net.switches.get(dpid);
    if (t === undefined && sw !== undefined) {
      t = new SwitchTables(sw, (f) => net.ownerOf(dpid, f));
      tables.set(dpid, t);
    }
    return t;
  };
  const linkFrom = new Map(net.links.map((l) => [`${l.src.dpid}/${l.src.port_no}`, l.dst]));
  const hostAt = new Map(net.hosts.map((h) => [`${h.dpid}/${h.port_no}`, h]));

  const hops: TraceHop[] = [];
  let truncated = false;
  const queue: Pending[] = [{ at: ingress, header: Header.of(packet.filter((f) => f.field !== 'in_port')), parent: null, seen: new Map(), slot: null }];
  while (queue.length > 0) {
    const p = queue.shift()!;
    const id = hops.length;
    const t = tablesOf(p.at.dpid);
    const h = p.header.clone();
    h.delete('metadata');
    h.set({ field: 'in_port', value: p.at.port_no });
    const key = `${p.at.dpid}|${h.key()}`;
    const first = p.seen.get(key);
    if (first !== undefined && p.slot) {
      p.slot.outcome = { kind: 'looped', port_no: (p.slot.outcome as { port_no: number }).port_no, to: p.at, first_hop: first };
      continue;
    }
    if (hops.length >= maxHops && p.slot) {
      truncated = true;
      p.slot.outcome = { kind: 'truncated', port_no: (p.slot.outcome as { port_no: number }).port_no, to: p.at };
      continue;
    }
    if (p.slot) p.slot.outcome = { kind: 'forwarded', port_no: (p.slot.outcome as { port_no: number }).port_no, to: p.at, hop: id };
    const header = h.toFields();
    if (t === undefined) {
      hops.push({ id, parent: p.parent, dpid: p.at.dpid, in_port: p.at.port_no, header, tables: [], actions: [], outputs: [
        { outcome: { kind: 'dropped', reason: 'no_such_port', detail: `switch ${p.at.dpid} is not connected: its flow tables are unknown` }, header, via: 'ingress' },
      ] });
      continue;
    }
    const r = runPipeline(t, h);
    const seen = new Map(p.seen).set(key, id);
    const outputs: (HopOutput & { outcome: Outcome })[] = [];
    for (const e of r.emits) {
      for (const o of resolve(t, e, p.at.port_no)) {
        const out = { outcome: o.outcome, header: e.header.toFields(), via: e.via };
        outputs.push(out);
        if (o.outcome.kind !== 'forwarded') continue;
        const far = linkFrom.get(`${p.at.dpid}/${o.outcome.port_no}`);
        if (far === undefined) continue;
        queue.push({ at: { dpid: far.dpid, port_no: far.port_no }, header: e.header, parent: id, seen, slot: out });
      }
    }
    // Outputs to ports without a link end at the host there (or at an unknown edge).
    for (const out of outputs) {
      if (out.outcome.kind !== 'forwarded' || linkFrom.has(`${p.at.dpid}/${out.outcome.port_no}`)) continue;
      out.outcome = { kind: 'delivered', port_no: out.outcome.port_no, host: hostAt.get(`${p.at.dpid}/${out.outcome.port_no}`) ?? null };
    }
    hops.push({ id, parent: p.parent, dpid: p.at.dpid, in_port: p.at.port_no, header, tables: r.tables, actions: r.actions, outputs });
  }
  return { ingress, hops, verdict: verdictOf(hops), truncated };
}

/** An emit as outcomes: one per port it leaves by ("forwarded" is provisional until the link or host is looked up). */
function resolve(t: SwitchTables, e: Emit, inPort: number): { outcome: Outcome }[] {
  if (e.kind === 'drop') return [{ outcome: { kind: 'dropped', reason: e.reason, detail: e.detail, ...(e.table_id !== undefined ? { table_id: e.table_id } : {}) } }];
  const pending = (port: number): { outcome: Outcome } => ({ outcome: { kind: 'forwarded', port_no: port, to: { dpid: '', port_no: 0 }, hop: -1 } });
  switch (e.port) {
    case 'controller': return [{ outcome: { kind: 'controller', port_no: 'controller' } }];
    case 'local': return [{ outcome: { kind: 'local', port_no: 'local' } }];
    case 'normal': return [{ outcome: { kind: 'normal', port_no: 'normal' } }];
    case 'in_port': return [pending(inPort)];
    case 'flood':
    case 'all':
      return t.sw.ports.filter((p) => p.port_no !== inPort && p.up).map((p) => pending(p.port_no));
    case 'table':
    case 'any':
      return [{ outcome: { kind: 'dropped', reason: 'unsupported_port', detail: `output to ${e.port} is only meaningful in a packet-out` } }];
    default: {
      const port = e.port;
      // OpenFlow: output to the ingress port needs OFPP_IN_PORT (OF 1.3.5 §4.5); switches skip it.
      if (port === inPort) return [{ outcome: { kind: 'dropped', reason: 'in_port', port_no: port, detail: `output:${port} is the port the packet came in on (use in_port to send it back)` } }];
      const p = t.sw.ports.find((x) => x.port_no === port);
      if (p === undefined) return [{ outcome: { kind: 'dropped', reason: 'no_such_port', port_no: port, detail: `switch ${t.sw.dpid} has no port ${port}` } }];
      if (!p.up) return [{ outcome: { kind: 'dropped', reason: 'port_down', port_no: port, detail: `port ${port} (${p.name}) is down` } }];
      return [pending(port)];
    }
  }
}

function verdictOf(hops: readonly TraceHop[]): TraceVerdict {
  const ends = new Set<TraceVerdict>();
  for (const h of hops) {
    for (const o of h.outputs) {
      const k = o.outcome.kind;
      if (k === 'forwarded') continue;
      ends.add(k === 'delivered' || k === 'local' || k === 'normal' ? 'delivered' : k === 'truncated' ? 'forwarded' : k);
    }
  }
  if (ends.size === 0) return 'dropped';
  return ends.size === 1 ? [...ends][0]! : 'mixed';
}
