// The trace form and its answer: POST /api/v1/trace, then the steps listed
// in the panel and the walk drawn on the map (switches and links it took in
// purple; where it ended green for a host, red for a drop, orange for the
// controller).
import type { ApiClient } from './api.js';
import { h } from './dom.js';
import { actionText, instructionsText, matchText, outcomeText, ownerText } from './format.js';
import type { GraphView } from './graph.js';
import type { TopologyModel } from './model.js';
import { traceMarks, type TraceJson } from './trace-marks.js';
import type { Panel } from './panels.js';

const PROTOS: Record<string, Record<string, number>> = {
  icmp: { eth_type: 2048, ip_proto: 1, icmpv4_type: 8 },
  tcp: { eth_type: 2048, ip_proto: 6 },
  udp: { eth_type: 2048, ip_proto: 17 },
  arp: { eth_type: 2054, arp_op: 1 },
  none: {},
};

/** The fields an output's header has that differ from the header the hop came in with ("eth_dst=…, vlan_vid=…"), or ''. */
export function headerChanges(before: Record<string, unknown>, after: Record<string, unknown>): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(after)) if (JSON.stringify(before[k]) !== JSON.stringify(v)) out.push(`${k}=${String(v)}`);
  for (const k of Object.keys(before)) if (!(k in after)) out.push(`no ${k}`);
  return out.join(', ');
}

export class TracePanel {
  constructor(
    private readonly panel: Panel,
    private readonly api: ApiClient,
    private readonly graph: GraphView,
    private readonly model: () => TopologyModel,
  ) {}

  clear(): void {
    for (const c of ['trace', 'trace-end', 'trace-drop', 'trace-ctl']) this.graph.mark(c, []);
  }

  /** Open the form, prefilled (from and to are host MAC/IP/name, or dpid:port for from). */
  open(from = '', to = ''): void {
    const fromIn = h('input', { name: 'from', placeholder: 'host MAC / IP / name, or dpid:port', value: from }) as HTMLInputElement;
    const toIn = h('input', { name: 'to', placeholder: 'host (optional)', value: to }) as HTMLInputElement;
    const proto = h('select', { name: 'proto' }, ...Object.keys(PROTOS).map((p) => h('option', { value: p }, p === 'none' ? 'other (fields below)' : p.toUpperCase()))) as HTMLSelectElement;
    const port = h('input', { name: 'dport', placeholder: 'dst port (TCP/UDP)', type: 'number', min: '0', max: '65535' }) as HTMLInputElement;
    const extra = h('textarea', { name: 'fields', rows: '2', placeholder: '{"vlan_vid": 4106, "ip_dscp": 8}' }) as HTMLTextAreaElement;
    const result = h('div', { class: 'trace-result' });
    const submit = async (e: Event): Promise<void> => {
      e.preventDefault();
      result.replaceChildren(h('p', { class: 'muted' }, 'tracing…'));
      try {
        const body = this.body(fromIn.value, toIn.value, proto.value, port.value, extra.value);
        const t = await this.api.post<TraceJson>('/api/v1/trace', body);
        this.draw(t, 'host' in body.from ? this.hostNodeId(body.from.host) : null);
        result.replaceChildren(this.steps(t));
      } catch (err) {
        this.clear();
        result.replaceChildren(h('p', { class: 'error' }, String((err as Error).message ?? err)));
      }
    };
    const form = h('form', { class: 'trace-form', onsubmit: (e) => void submit(e) },
      h('label', {}, 'From', fromIn), h('label', {}, 'To', toIn),
      h('div', { class: 'row' }, h('label', {}, 'Protocol', proto), h('label', {}, 'Port', port)),
      h('label', {}, 'More header fields (JSON, flow API names)', extra),
      h('button', { type: 'submit', class: 'primary' }, 'Trace'));
    this.panel.open('Packet trace', form, result);
    this.panel.onClose = () => this.clear();
    if (from !== '' && to !== '') void submit(new Event('submit'));
  }

  private hostNodeId(ref: string): string | null {
    const m = this.model();
    const q = ref.trim().toLowerCase();
    for (const hst of m.hosts.values()) if (hst.mac === q || hst.ipv4.includes(q) || (hst.name ?? '').toLowerCase() === q) return hst.id;
    return null;
  }

  private body(from: string, to: string, proto: string, dport: string, extra: string): { from: { host: string } | { dpid: string; port: number }; to?: { host: string }; packet: Record<string, unknown> } {
    const f = from.trim();
    if (f === '') throw new Error('say where the packet enters: a host, or dpid:port');
    const sp = /^([0-9a-fA-Fx]+):(\d+)$/.exec(f);
    const packet: Record<string, unknown> = { ...(PROTOS[proto] ?? {}) };
    if (dport.trim() !== '' && (proto === 'tcp' || proto === 'udp')) packet[`${proto}_dst`] = Number(dport);
    if (extra.trim() !== '') {
      let x: unknown;
      try {
        x = JSON.parse(extra);
      } catch {
        throw new Error('the extra header fields are not JSON: write them like {"ip_dscp": 8}');
      }
      Object.assign(packet, x);
    }
    return {
      from: sp && !f.includes('.') && f.split(':').length === 2 ? { dpid: sp[1]!, port: Number(sp[2]) } : { host: f },
      ...(to.trim() !== '' ? { to: { host: to.trim() } } : {}),
      packet,
    };
  }

  draw(t: TraceJson, fromHost: string | null): void {
    const marks = traceMarks(t, this.model(), fromHost);
    for (const [cls, ids] of Object.entries(marks)) this.graph.mark(cls, ids);
    this.graph.focus([...marks.trace, ...marks['trace-end']].filter((id) => !id.startsWith('l:') && !id.startsWith('a:')));
  }

  private steps(t: TraceJson): HTMLElement {
    const m = this.model();
    const nameOf = (dpid: string): string => m.switches.get(dpid)?.name ?? dpid;
    const list = h('ol', { class: 'steps' });
    for (const hop of t.hops) {
      const tables = hop.tables.map((s) => h('li', { class: 'table' },
        `table ${s.table_id}: `,
        s.flow ? h('span', {}, `priority ${s.flow.priority} · ${ownerText(s.flow.owner)} · `, h('code', {}, matchText(s.flow.match)), ' → ', h('code', {}, instructionsText(s.flow.instructions)))
          : h('span', { class: 'error' }, 'no flow matches')));
      const outs = hop.outputs.map((o) => {
        const changed = headerChanges(hop.header, o.header);
        return h('li', { class: `out ${o.outcome.kind}` }, outcomeText(o.outcome, nameOf),
          o.via.startsWith('group') ? h('span', { class: 'muted' }, ` (${o.via})`) : null,
          changed ? h('div', { class: 'rewrite' }, 'header now ', h('code', {}, changed)) : null);
      });
      list.append(h('li', { class: 'hop' },
        h('div', { class: 'hop-head' }, `${nameOf(hop.dpid)}`, h('span', { class: 'muted' }, ` in port ${hop.in_port}`)),
        h('ul', {}, ...tables),
        hop.actions.length ? h('div', { class: 'acts' }, 'actions: ', h('code', {}, hop.actions.map(actionText).join(', '))) : null,
        h('ul', {}, ...outs)));
    }
    return h('div', {},
      h('p', { class: `verdict ${t.verdict}` }, `Verdict: ${t.verdict}${t.truncated ? ' (stopped at the hop limit)' : ''}`),
      list);
  }
}
