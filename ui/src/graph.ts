// The map: cytoscape.js draws the model. Elements are diffed, not rebuilt,
// so positions and selection survive updates; the first draw lays out with
// fcose, later arrivals are placed next to what they attach to, and every
// position a user drags (or a layout makes) is remembered in localStorage.
import cytoscape, { type Core, type ElementDefinition, type NodeSingular, type Position } from 'cytoscape';
// @ts-expect-error cytoscape-fcose ships no types
import fcose from 'cytoscape-fcose';
import type { HostNode, TopologyModel } from './model.js';
import { LEVELS, levelOf, widthOf } from './format.js';
import { graphStyle } from './graph-style.js';
import { attachEdgeId as attachId, linkEdgeId, switchNodeId } from './ids.js';

cytoscape.use(fcose as cytoscape.Ext);

const POS_KEY = 'switchyard.positions.v1';
/** Fitting a handful of nodes would zoom them to giant size. */
const MAX_FIT_ZOOM = 1.25;
const PALETTE = ['#00897b', '#8e24aa', '#f4511e', '#3949ab', '#7cb342', '#d81b60', '#6d4c41', '#00acc1'];

export { switchNodeId, linkEdgeId } from './ids.js';

export function networkColor(network: string | null): string {
  if (network === null) return '#5b7fa6';
  let h = 0;
  for (let i = 0; i < network.length; i++) h = (h * 31 + network.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

/** Name, else IPv4, else a global IPv6 address, else the MAC (a link-local fe80:: says less than the MAC does). */
function hostLabel(h: HostNode): string {
  return h.name ?? h.ipv4[0] ?? h.ipv6.find((a) => !/^fe80:/i.test(a)) ?? h.mac;
}

export interface StorageLike {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
}

export class GraphView {
  readonly cy: Core;
  private positions: Record<string, Position>;
  private drawn = false;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** ms the first layout took (the page reports it). */
  layoutMs = 0;

  constructor(container: HTMLElement, private readonly storage: StorageLike, big: boolean) {
    this.positions = this.loadPositions();
    this.cy = cytoscape({
      container,
      style: graphStyle(big),
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 4,
      textureOnViewport: big,
      hideEdgesOnViewport: big,
      pixelRatio: big ? 1 : 'auto',
      boxSelectionEnabled: false,
    });
    // The side panel opening narrows the map: cytoscape must hear of it.
    // Keep what was in the middle in the middle, so opening or closing the panel does not push the map aside.
    let size = { w: container.clientWidth, h: container.clientHeight };
    new ResizeObserver(() => {
      const w = container.clientWidth;
      const hgt = container.clientHeight;
      this.cy.resize();
      if (size.w > 0 && size.h > 0) this.cy.panBy({ x: (w - size.w) / 2, y: (hgt - size.h) / 2 });
      size = { w, h: hgt };
    }).observe(container);
    this.cy.on('dragfree', 'node', (e) => {
      const n = e.target as NodeSingular;
      this.positions[n.id()] = { ...n.position() };
      this.savePositionsSoon();
    });
  }

  private loadPositions(): Record<string, Position> {
    try {
      return JSON.parse(this.storage.getItem(POS_KEY) ?? '{}') as Record<string, Position>;
    } catch {
      return {};
    }
  }

  private savePositionsSoon(): void {
    if (this.saveTimer !== null) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      try {
        this.storage.setItem(POS_KEY, JSON.stringify(this.positions));
      } catch {
        // storage full or disabled: positions stay for this page only
      }
    }, 500);
  }

  private rememberAll(): void {
    this.cy.nodes().forEach((n) => {
      this.positions[n.id()] = { ...n.position() };
    });
    this.savePositionsSoon();
  }

  /** Bring the elements in line with the model. */
  sync(model: TopologyModel): void {
    const want = new Map<string, ElementDefinition>();
    for (const sw of model.switches.values()) {
      want.set(switchNodeId(sw.dpid), { group: 'nodes', data: { id: switchNodeId(sw.dpid), kind: 'switch', label: sw.name, dpid: sw.dpid } });
    }
    for (const h of model.hosts.values()) {
      const attached = h.dpid !== null && model.switches.has(h.dpid);
      want.set(h.id, { group: 'nodes', data: { id: h.id, kind: h.kind, label: hostLabel(h), color: networkColor(h.network), network: h.network ?? '' } });
      if (attached) {
        const up = h.port_no === null || model.switches.get(h.dpid!)?.ports.get(h.port_no)?.up !== false;
        want.set(attachId(h.id), { group: 'edges', data: { id: attachId(h.id), kind: 'attach', source: h.id, target: switchNodeId(h.dpid!), up: up ? 1 : 0 }, classes: up ? '' : 'down' });
      }
    }
    for (const l of model.links.values()) {
      if (!model.switches.has(l.a.dpid) || !model.switches.has(l.b.dpid)) continue;
      const lvl = levelOf(l.bps);
      want.set(linkEdgeId(l.id), {
        group: 'edges',
        data: { id: linkEdgeId(l.id), kind: 'link', source: switchNodeId(l.a.dpid), target: switchNodeId(l.b.dpid), up: l.up ? 1 : 0, color: LEVELS[lvl]!.color, width: widthOf(l.bps), bps: l.bps, label: `${l.a.port_no} — ${l.b.port_no}` },
        classes: l.up ? '' : 'down',
      });
    }
    const added: string[] = [];
    this.cy.batch(() => {
      this.cy.elements().forEach((el) => {
        if (!want.has(el.id())) el.remove();
      });
      const newNodes: ElementDefinition[] = [];
      const newEdges: ElementDefinition[] = [];
      for (const [id, def] of want) {
        const el = this.cy.getElementById(id);
        if (el.nonempty()) {
          const d = def.data as Record<string, unknown>;
          for (const [k, v] of Object.entries(d)) if (k !== 'id' && k !== 'source' && k !== 'target' && el.data(k) !== v) el.data(k, v);
          if (def.group === 'edges') el.toggleClass('down', d.up === 0);
          continue;
        }
        (def.group === 'nodes' ? newNodes : newEdges).push(def);
      }
      for (const n of newNodes) {
        const p = this.positions[n.data.id!];
        if (p) n.position = { ...p };
        added.push(n.data.id!);
      }
      this.cy.add(newNodes);
      this.cy.add(newEdges);
    });
    if (!this.drawn) {
      this.drawn = true;
      this.firstLayout();
    } else if (added.length > 0) {
      this.placeNew(added);
    }
  }

  /** Rates only: colours and widths of links, no structure. */
  updateStats(model: TopologyModel): void {
    this.cy.batch(() => {
      for (const l of model.links.values()) {
        const el = this.cy.getElementById(linkEdgeId(l.id));
        if (el.empty()) continue;
        const color = LEVELS[levelOf(l.bps)]!.color;
        const width = widthOf(l.bps);
        if (el.data('color') !== color) el.data('color', color);
        if (Math.abs((el.data('width') as number) - width) > 0.2) el.data('width', width);
        el.data('bps', l.bps);
      }
    });
  }

  private firstLayout(): void {
    const nodes = this.cy.nodes();
    const known = nodes.filter((n) => this.positions[n.id()] !== undefined);
    if (nodes.length > 0 && known.length === nodes.length) {
      this.fit();
      return;
    }
    this.runLayout(known.length > 0 ? known.map((n) => ({ nodeId: n.id(), position: this.positions[n.id()]! })) : []);
  }

  relayout(): void {
    this.positions = {};
    this.runLayout([]);
  }

  private runLayout(fixed: { nodeId: string; position: Position }[]): void {
    const t0 = performance.now();
    const n = this.cy.nodes().length;
    if (n === 0) return;
    const layout = this.cy.layout({
      name: 'fcose',
      quality: n > 400 ? 'draft' : 'default',
      randomize: fixed.length === 0,
      animate: false,
      nodeDimensionsIncludeLabels: false,
      idealEdgeLength: (e: cytoscape.EdgeSingular) => (e.data('kind') === 'attach' ? 40 : 110),
      nodeRepulsion: (node: NodeSingular) => (node.data('kind') === 'switch' ? 9000 : 2500),
      edgeElasticity: (e: cytoscape.EdgeSingular) => (e.data('kind') === 'attach' ? 0.9 : 0.45),
      numIter: n > 400 ? 1200 : 2500,
      packComponents: true,
      fit: false,
      padding: 40,
      ...(fixed.length > 0 ? { fixedNodeConstraint: fixed } : {}),
    } as cytoscape.LayoutOptions);
    layout.one('layoutstop', () => {
      this.layoutMs = performance.now() - t0;
      this.fit();
      this.rememberAll();
    });
    layout.run();
  }

  /** New nodes go next to a neighbour that has a place (a host next to its switch), so nothing else moves. */
  private placeNew(ids: string[]): void {
    for (const id of ids) {
      const n = this.cy.getElementById(id);
      if (this.positions[id]) continue;
      const anchor = n.neighborhood('node').filter((m) => !ids.includes(m.id()) || this.positions[m.id()] !== undefined).first() as NodeSingular;
      const base = anchor.nonempty() ? anchor.position() : { x: this.cy.width() / 2, y: this.cy.height() / 2 };
      const angle = Math.random() * 2 * Math.PI;
      const r = n.data('kind') === 'switch' ? 140 : 55;
      n.position({ x: base.x + r * Math.cos(angle), y: base.y + r * Math.sin(angle) });
      this.positions[id] = { ...n.position() };
    }
    this.savePositionsSoon();
  }

  /** Mark elements with a class (path, trace, match), clearing it everywhere else first. */
  mark(cls: string, ids: readonly string[]): void {
    this.cy.batch(() => {
      this.cy.elements(`.${cls}`).removeClass(cls);
      for (const id of ids) this.cy.getElementById(id).addClass(cls);
    });
  }

  focus(ids: readonly string[]): void {
    const els = this.cy.collection();
    for (const id of ids) els.merge(this.cy.getElementById(id));
    if (els.empty()) return;
    this.cy.stop();
    this.cy.fit(els.closedNeighborhood(), 80);
    if (this.cy.zoom() > MAX_FIT_ZOOM) {
      this.cy.zoom(MAX_FIT_ZOOM);
      this.cy.center(els);
    }
  }

  /** Everything in view, but a small network not blown up past a readable size. */
  fit(): void {
    this.cy.fit(undefined, 50);
    if (this.cy.zoom() > MAX_FIT_ZOOM) {
      this.cy.zoom(MAX_FIT_ZOOM);
      this.cy.center();
    }
  }
}
