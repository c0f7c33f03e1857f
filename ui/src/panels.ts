// The side panel: a switch's ports and flows (refreshed while open), a
// host's details, the path between two hosts. One panel at a time; opening
// another stops the previous one's refresh.
import type { ApiClient } from './api.js';
import { h, table } from './dom.js';
import { formatBps, instructionsText, matchText, ownerText } from './format.js';
import type { HostNode, TopologyModel } from './model.js';

interface PortJson {
  port_no: number;
  name: string;
  hw_addr: string;
  up: boolean;
  config: string[];
  state: string[];
  curr_speed: number;
  stats: { rates: { rx_bps: number; tx_bps: number; rx_pps: number; tx_pps: number } | null; rx_packets: string; tx_packets: string } | null;
}
interface SwitchJson {
  dpid: string;
  address: string | null;
  description: { mfr_desc: string; hw_desc: string; sw_desc: string; dp_desc: string };
  n_tables: number;
  ports: PortJson[];
}
export interface FlowJson {
  table_id: number;
  priority: number;
  match: Record<string, unknown>;
  instructions: Record<string, unknown>[];
  packet_count: string;
  byte_count: string;
  owner: string | null;
  cookie: string;
}

const REFRESH_MS = 2000;

export class Panel {
  private timer: ReturnType<typeof setInterval> | null = null;
  private token = 0;

  constructor(
    readonly el: HTMLElement,
    private readonly api: ApiClient,
  ) {}

  /** Replace the panel's content; returns a token a refresh loop checks so a stale answer never paints. */
  open(title: string, ...body: HTMLElement[]): number {
    this.stopRefresh();
    this.el.replaceChildren(h('div', { class: 'panel-head' }, h('h2', {}, title), h('button', { class: 'close', title: 'Close', onclick: () => this.close() }, '×')), ...body);
    this.el.classList.add('open');
    return ++this.token;
  }

  close(): void {
    this.stopRefresh();
    this.token++;
    this.el.classList.remove('open');
    this.el.replaceChildren();
    this.onClose?.();
  }

  onClose: (() => void) | null = null;

  private stopRefresh(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  current(token: number): boolean {
    return token === this.token;
  }

  async showSwitch(dpid: string, model: TopologyModel): Promise<void> {
    const name = model.switches.get(dpid)?.name ?? dpid;
    const ports = h('div', { class: 'section' }, h('p', { class: 'muted' }, 'loading ports…'));
    const flows = h('div', { class: 'section' }, h('p', { class: 'muted' }, 'loading flows…'));
    const meta = h('p', { class: 'meta' }, `dpid ${dpid}`);
    const token = this.open(`Switch ${name}`, meta, h('h3', {}, 'Ports'), ports, h('h3', {}, 'Flow table'), flows);
    const refresh = async (): Promise<void> => {
      try {
        const [sw, fl] = await Promise.all([
          this.api.get<SwitchJson>(`/api/v1/switches/${dpid}`),
          this.api.get<{ flows: FlowJson[] }>(`/api/v1/switches/${dpid}/flows`),
        ]);
        if (!this.current(token)) return;
        meta.textContent = `dpid ${dpid} · ${sw.description.hw_desc || 'switch'} ${sw.description.sw_desc} · ${sw.address ?? ''} · ${sw.n_tables} tables`;
        ports.replaceChildren(portsTable(sw.ports));
        flows.replaceChildren(flowsTable(fl.flows));
      } catch (e) {
        if (this.current(token)) flows.replaceChildren(h('p', { class: 'error' }, `could not read the switch: ${String((e as Error).message ?? e)}`));
      }
    };
    await refresh();
    if (this.current(token)) this.timer = setInterval(() => void refresh(), REFRESH_MS);
  }

  showHost(host: HostNode, model: TopologyModel, actions: HTMLElement[]): void {
    const at = host.dpid !== null ? `${model.switches.get(host.dpid)?.name ?? host.dpid} port ${host.port_no ?? '?'}` : 'not attached';
    const rows: [string, string][] = [
      ['MAC', host.mac || '—'],
      ['IPv4', host.ipv4.join(', ') || '—'],
      ['IPv6', host.ipv6.join(', ') || '—'],
      ['VLAN', host.vlan === null ? 'untagged' : String(host.vlan)],
      ['Network', host.network ?? '—'],
      ['Attached to', at],
    ];
    this.open(host.kind === 'endpoint' ? `Endpoint ${host.name ?? host.mac}` : `Host ${host.name ?? host.ipv4[0] ?? host.mac}`,
      h('dl', { class: 'kv' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      h('p', { class: 'hint' }, 'Shift-click a second host to see the path between them.'),
      h('div', { class: 'actions' }, ...actions));
  }
}

function rate(p: PortJson): string {
  const r = p.stats?.rates;
  return r ? `${formatBps(r.rx_bps)} / ${formatBps(r.tx_bps)}` : '—';
}

function portsTable(ports: PortJson[]): HTMLElement {
  const rows = [...ports].sort((a, b) => a.port_no - b.port_no).map((p) => [
    String(p.port_no), p.name,
    h('span', { class: p.up ? 'badge up' : 'badge down' }, p.up ? 'up' : p.config.includes('port_down') ? 'admin down' : 'link down'),
    rate(p),
  ]);
  return table(['#', 'name', 'state', 'rx / tx'], rows, 'ports');
}

function flowsTable(flows: FlowJson[]): HTMLElement {
  if (flows.length === 0) return h('p', { class: 'muted' }, 'no flows');
  const sorted = [...flows].sort((a, b) => a.table_id - b.table_id || b.priority - a.priority);
  const rows = sorted.map((f) => [
    String(f.table_id), String(f.priority),
    h('code', {}, matchText(f.match)), h('code', {}, instructionsText(f.instructions)),
    f.packet_count, f.byte_count, h('span', { class: 'owner' }, ownerText(f.owner)),
  ]);
  return table(['table', 'prio', 'match', 'actions', 'packets', 'bytes', 'owner'], rows, 'flows');
}
