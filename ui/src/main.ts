// The page: wires the live model, the map, the panels, search and the
// legend. window.__switchyard exposes them to the browser tests.
import { ApiClient } from './api.js';
import { h } from './dom.js';
import { LEVELS } from './format.js';
import { GraphView, networkColor, switchNodeId } from './graph.js';
import { LiveTopology, type LiveStatus, type SocketLike } from './live.js';
import type { Change, TopologyModel, TopologySnapshot } from './model.js';
import { Panel } from './panels.js';
import { FrameMonitor } from './perf.js';
import { TracePanel } from './trace-panel.js';

const params = new URLSearchParams(location.search);
const token = params.get('token') ?? localStorage.getItem('switchyard.token');
if (params.get('token')) localStorage.setItem('switchyard.token', params.get('token')!);
const api = new ApiClient(params.get('api') ?? '', token);
const $ = (id: string): HTMLElement => document.getElementById(id)!;

const t0 = performance.now();
const perf = { firstDrawMs: -1, layoutMs: -1, frames: new FrameMonitor(), renders: 0, renderMs: 0, maxRenderMs: 0 };
let graph: GraphView | null = null;
let pending: Change | null = null;
let selectedHosts: string[] = [];
let primed: TopologySnapshot | null = null;

const panel = new Panel($('panel'), api);

function setBanner(s: LiveStatus, detail: string): void {
  const b = $('banner');
  b.textContent = s === 'reconnecting' ? `Disconnected: ${detail}` : '';
  b.classList.toggle('show', s === 'reconnecting');
  const pill = $('status');
  pill.textContent = s === 'live' ? 'live' : s;
  pill.className = `pill ${s}`;
  pill.title = detail;
}

function counts(m: TopologyModel): void {
  let links = 0;
  let down = 0;
  for (const l of m.links.values()) {
    links++;
    if (!l.up) down++;
  }
  $('counts').textContent = `${m.switches.size} switches · ${links} links${down ? ` (${down} down)` : ''} · ${m.hosts.size} hosts`;
}

function legend(m: TopologyModel): void {
  const nets = new Set<string>();
  for (const hst of m.hosts.values()) if (hst.network) nets.add(hst.network);
  for (const n of m.networks.values()) nets.add(n.name);
  $('legend').replaceChildren(
    h('div', { class: 'legend-title' }, 'Link utilisation'),
    ...LEVELS.map((l) => h('div', { class: 'legend-row' }, h('span', { class: 'swatch line', style: `background:${l.color}` }), l.label)),
    h('div', { class: 'legend-row' }, h('span', { class: 'swatch line dashed' }), 'link down'),
    h('div', { class: 'legend-row' }, h('span', { class: 'swatch node sw' }), 'switch'),
    h('div', { class: 'legend-row' }, h('span', { class: 'swatch dot', style: `background:${networkColor(null)}` }), 'host'),
    ...[...nets].sort().map((n) => h('div', { class: 'legend-row' }, h('span', { class: 'swatch dot diamond', style: `background:${networkColor(n)}` }), `network ${n}`)),
  );
}

function render(): void {
  const c = pending;
  pending = null;
  if (!c || !graph) return;
  const m = live.model;
  const r0 = performance.now();
  if (c.structure) {
    graph.sync(m);
    counts(m);
    legend(m);
    if (perf.firstDrawMs < 0 && m.switches.size > 0) {
      perf.firstDrawMs = performance.now() - t0;
      perf.layoutMs = graph.layoutMs;
      document.body.dataset.drawn = 'true';
    }
  } else if (c.stats) graph.updateStats(m);
  const took = performance.now() - r0;
  perf.renders++;
  perf.renderMs += took;
  perf.maxRenderMs = Math.max(perf.maxRenderMs, took);
}

function onChange(c: Change): void {
  pending = pending ? { structure: pending.structure || c.structure, stats: pending.stats || c.stats, refetch: false } : c;
  // Coalesce bursts (a stats poll of 200 switches is 200 events) into one draw per frame.
  if (pending === c) requestAnimationFrame(render);
}

const live = new LiveTopology({
  fetchSnapshot: () => {
    // The snapshot boot fetched to size the map is the first one: no second download of a big topology.
    const s = primed;
    primed = null;
    return s ? Promise.resolve(s) : api.get<TopologySnapshot>('/api/v1/topology');
  },
  openSocket: (since) => new WebSocket(api.wsUrl(`/api/v1/events?stats=1&since=${since}`)) as unknown as SocketLike,
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
  onChange: (c) => onChange(c),
  onStatus: setBanner,
  refreshMs: 15_000,
});

function hostActions(id: string): HTMLElement[] {
  const hst = live.model.hosts.get(id);
  if (!hst) return [];
  const ref = hst.mac || hst.ipv4[0] || '';
  return [h('button', { onclick: () => traces.open(ref) }, 'Trace from here')];
}

async function showPath(a: string, b: string): Promise<void> {
  const ha = live.model.hosts.get(a);
  const hb = live.model.hosts.get(b);
  if (!ha || !hb || !graph) return;
  const ra = ha.mac || ha.ipv4[0]!;
  const rb = hb.mac || hb.ipv4[0]!;
  const label = (x: typeof ha): string => x.name ?? x.ipv4[0] ?? x.mac;
  const body = h('div', { class: 'section' }, h('p', { class: 'muted' }, 'finding the path…'));
  panel.open(`Path ${label(ha)} → ${label(hb)}`, body, h('div', { class: 'actions' }, h('button', { class: 'primary', onclick: () => traces.open(ra, rb) }, 'Trace a ping along it')));
  panel.onClose = () => graph?.mark('path', []);
  try {
    const p = await api.get<{ hops: { dpid: string; in_port?: number; out_port?: number }[] }>(`/api/v1/paths?src=${encodeURIComponent(ra)}&dst=${encodeURIComponent(rb)}`);
    const ids = [a, b, `a:${a}`, `a:${b}`];
    p.hops.forEach((hop, i) => {
      ids.push(switchNodeId(hop.dpid));
      const next = p.hops[i + 1];
      if (next && hop.out_port !== undefined && next.in_port !== undefined) {
        const x = `${hop.dpid}:${hop.out_port}`;
        const y = `${next.dpid}:${next.in_port}`;
        ids.push(`l:${x < y ? `${x}-${y}` : `${y}-${x}`}`);
      }
    });
    graph.mark('path', ids);
    body.replaceChildren(h('ol', { class: 'steps' }, ...p.hops.map((hop) => h('li', {}, `${live.model.switches.get(hop.dpid)?.name ?? hop.dpid}`, h('span', { class: 'muted' }, ` in ${hop.in_port ?? '—'} → out ${hop.out_port ?? '—'}`)))));
  } catch (e) {
    graph.mark('path', []);
    body.replaceChildren(h('p', { class: 'error' }, String((e as Error).message)));
  }
}

function wireSearch(): void {
  const input = $('search') as HTMLInputElement;
  const go = (): void => {
    const ids = live.model.search(input.value).map((id) => (live.model.switches.has(id) ? switchNodeId(id) : id));
    graph?.mark('match', ids);
    $('search-count').textContent = input.value.trim() === '' ? '' : `${ids.length} found`;
    return void (ids.length && graph?.focus(ids.slice(0, 20)));
  };
  input.addEventListener('input', () => {
    const ids = live.model.search(input.value).map((id) => (live.model.switches.has(id) ? switchNodeId(id) : id));
    graph?.mark('match', ids);
    $('search-count').textContent = input.value.trim() === '' ? '' : `${ids.length} found`;
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') go();
    if (e.key === 'Escape') {
      input.value = '';
      go();
    }
  });
}

let traces: TracePanel;

async function boot(): Promise<void> {
  // Before anything is drawn, ask how big the network is: big ones get the cheaper rendering options.
  const first = await api.get<TopologySnapshot>('/api/v1/topology').catch(() => null);
  const big = first !== null && first.switches.length + first.hosts.length > 400;
  primed = first;
  graph = new GraphView($('cy'), localStorage, big);
  traces = new TracePanel(panel, api, graph, () => live.model);
  graph.cy.on('tap', 'node', (e) => {
    const id = e.target.id() as string;
    const shift = (e.originalEvent as MouseEvent | undefined)?.shiftKey === true || (e.originalEvent as MouseEvent | undefined)?.ctrlKey === true;
    if (id.startsWith('s:')) {
      selectedHosts = [];
      graph!.mark('path', []);
      void panel.showSwitch(id.slice(2), live.model);
      return;
    }
    selectedHosts = shift && selectedHosts.length === 1 && selectedHosts[0] !== id ? [selectedHosts[0]!, id] : [id];
    if (selectedHosts.length === 2) void showPath(selectedHosts[0]!, selectedHosts[1]!);
    else {
      graph!.mark('path', []);
      const hst = live.model.hosts.get(id);
      if (hst) panel.showHost(hst, live.model, hostActions(id));
    }
  });
  graph.cy.on('tap', (e) => {
    if (e.target === graph!.cy) {
      selectedHosts = [];
      graph!.mark('path', []);
    }
  });
  $('fit').addEventListener('click', () => graph?.fit());
  $('relayout').addEventListener('click', () => graph?.relayout());
  $('trace').addEventListener('click', () => traces.open());
  wireSearch();
  await live.start();
}

(window as unknown as Record<string, unknown>).__switchyard = {
  get model() {
    return live.model;
  },
  get cy() {
    return graph?.cy;
  },
  live,
  perf,
  traces: () => traces,
};

void boot();
