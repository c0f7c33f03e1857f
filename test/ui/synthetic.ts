// A synthetic network served the way the controller serves it (the built
// page at /, GET /api/v1/topology, the event stream at /api/v1/events), for
// measuring the page at sizes no lab machine can emulate with OVS. Not a
// test file.
import { createServer, type Server } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { REPO_ROOT } from '../helpers/ovs.js';

const dp = (n: number): string => n.toString(16).padStart(16, '0');
const mac = (n: number): string => `02:00:${[24, 16, 8, 0].map((s) => ((n >> s) & 0xff).toString(16).padStart(2, '0')).join(':')}`;

export interface Synthetic {
  readonly topology: Record<string, unknown> & { seq: number; switches: { dpid: string; ports: unknown[] }[]; links: unknown[]; hosts: unknown[] };
  readonly cables: number;
}

/** `spines` core switches, the rest leaves each cabled to two spines; hosts spread over the leaves. */
export function synthetic(switches: number, hosts: number, spines = 10): Synthetic {
  const sw = Array.from({ length: switches }, (_, i) => ({ dpid: dp(i + 1), dp_desc: i < spines ? `spine${i + 1}` : `leaf${i + 1 - spines}`, ports: [] as { port_no: number; name: string; hw_addr: string; up: boolean; inter_switch: boolean; on_tree: boolean }[] }));
  const nextPort = new Map<string, number>();
  const port = (s: (typeof sw)[number], inter: boolean): number => {
    const n = (nextPort.get(s.dpid) ?? 0) + 1;
    nextPort.set(s.dpid, n);
    s.ports.push({ port_no: n, name: `${s.dp_desc}-eth${n}`, hw_addr: mac(parseInt(s.dpid, 16) * 256 + n), up: true, inter_switch: inter, on_tree: true });
    return n;
  };
  const links: { src: { dpid: string; port_no: number }; dst: { dpid: string; port_no: number } }[] = [];
  let cables = 0;
  for (let i = spines; i < switches; i++) {
    for (const s of [(i * 7) % spines, (i * 7 + 3) % spines]) {
      const a = sw[i]!;
      const b = sw[s]!;
      const pa = port(a, true);
      const pb = port(b, true);
      links.push({ src: { dpid: a.dpid, port_no: pa }, dst: { dpid: b.dpid, port_no: pb } }, { src: { dpid: b.dpid, port_no: pb }, dst: { dpid: a.dpid, port_no: pa } });
      cables++;
    }
  }
  const hs = Array.from({ length: hosts }, (_, i) => {
    const leaf = sw[spines + (i % (switches - spines))]!;
    return { mac: mac(0x10000 + i), vlan: null, ipv4: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`], ipv6: [], dpid: leaf.dpid, port_no: port(leaf, false) };
  });
  return { topology: { seq: 1000, switches: sw, links, hosts: hs }, cables };
}

export interface SyntheticServer {
  readonly url: string;
  /** Events sent so far. */
  sent(): number;
  /** Send stats.ports for every switch (random rates) `perSecond` times a second, plus a port flap now and then. */
  startDeltas(perSecond: number): void;
  stopDeltas(): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export async function serveSynthetic(s: Synthetic): Promise<SyntheticServer> {
  const dir = join(REPO_ROOT, 'dist', 'ui');
  const body = JSON.stringify(s.topology);
  let seq = s.topology.seq;
  const clients = new Set<WebSocket>();
  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v1/topology') {
      // The real route answers a snapshot at the current seq; the synthetic topology's structure does not change.
      res.writeHead(200, { 'content-type': 'application/json' }).end(body.replace(/^\{"seq":\d+/, `{"seq":${seq}`));
      return;
    }
    const file = url.pathname === '/' ? 'index.html' : url.pathname.replace(/^\/ui\//, '');
    const path = join(dir, file);
    if (!/^[\w.-]+$/.test(file) || !existsSync(path)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  const wss = new WebSocketServer({ server: http, path: '/api/v1/events' });
  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const addr = http.address() as { port: number };
  let timer: ReturnType<typeof setInterval> | null = null;
  let sent = 0;
  const emit = (type: string, data: unknown): void => {
    const text = JSON.stringify({ seq: ++seq, time: Date.now(), type, data });
    sent++;
    for (const c of clients) c.send(text);
  };
  const stop = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    sent: () => sent,
    startDeltas(perSecond) {
      let round = 0;
      timer = setInterval(() => {
        round++;
        for (const sw of s.topology.switches) {
          const ports = (sw.ports as { port_no: number }[]).map((p) => {
            const bps = Math.random() < 0.7 ? Math.random() * 2e6 : Math.random() * 2e8;
            return { port_no: p.port_no, rx_bps: bps, tx_bps: bps * Math.random(), rx_pps: bps / 8000, tx_pps: bps / 9000 };
          });
          emit('stats.ports', { dpid: sw.dpid, ports });
        }
        // A port flap: structure changes too, not only colours.
        const victim = s.topology.switches[10 + (round % 50)]!;
        emit('port.modified', { dpid: victim.dpid, port_no: 1, name: 'x', hw_addr: '02:00:00:00:00:00', up: round % 2 === 0, config: [], state: round % 2 === 0 ? [] : ['link_down'] });
      }, 1000 / perSecond);
    },
    stopDeltas: stop,
    async close() {
      stop();
      for (const c of clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
