// POST /api/v1/trace against real Open vSwitch: three bridges joined by
// veths (A—B, B—C, C—A), flows in several tables, an all and an indirect
// group, a drop rule and a loop. For every hop the trace reports, the same
// packet goes to `ovs-appctl ofproto/trace` on that bridge: the tables and
// priorities it met and where it left (ports, controller, or drop) must be
// the same.
import t from 'tap';
import type { Controller } from '../../src/controller.js';
import { addHost, cleanup, createBridge, must, ovsAvailable, pollUntil, type Bridge, missingTool } from '../helpers/ovs.js';
import { ofPort, startController, switchesUp } from '../helpers/controller.js';

const avail = await ovsAvailable();
const skip = missingTool(avail);

async function call(c: Controller, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<{ status: number; body: any }> {
  const r = await c.api!.app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: r.statusCode, body: r.json() };
}

/** The flow API's header JSON as an ovs-ofctl flow (ovs-fields(7) names). */
function ovsFlow(inPort: number, h: Record<string, unknown>): string {
  const parts = [`in_port=${inPort}`];
  const map: Record<string, (v: any) => string> = {
    eth_src: (v) => `dl_src=${v}`, eth_dst: (v) => `dl_dst=${v}`, eth_type: (v) => `dl_type=0x${Number(v).toString(16).padStart(4, '0')}`,
    ip_proto: (v) => `nw_proto=${v}`, ipv4_src: (v) => `nw_src=${v}`, ipv4_dst: (v) => `nw_dst=${v}`, ip_dscp: (v) => `nw_tos=${Number(v) << 2}`,
    ip_ecn: (v) => `nw_ecn=${v}`, icmpv4_type: (v) => `icmp_type=${v}`, icmpv4_code: (v) => `icmp_code=${v}`, tcp_src: (v) => `tp_src=${v}`, tcp_dst: (v) => `tp_dst=${v}`,
    udp_src: (v) => `tp_src=${v}`, udp_dst: (v) => `tp_dst=${v}`, vlan_vid: (v) => `dl_vlan=${Number(v) & 0xfff}`, vlan_pcp: (v) => `dl_vlan_pcp=${v}`,
  };
  for (const [k, v] of Object.entries(h)) {
    const f = map[k];
    if (f === undefined) throw new Error(`no ovs-ofctl name for ${k} in this test`);
    parts.push(f(v));
  }
  return parts.join(',');
}

/** OpenFlow port of each datapath port, per bridge, from `ovs-appctl dpif/show` ("name ofport/odpport: (type)"). */
async function odpToOf(bridge: string): Promise<Map<number, number>> {
  const out = await must('ovs-appctl', ['dpif/show']);
  const m = new Map<number, number>();
  let inBridge = false;
  for (const line of out.split('\n')) {
    const b = /^ {2}(\S+):$/.exec(line);
    if (b) inBridge = b[1] === bridge;
    const p = /^ {4}\S+ (\d+)\/(\d+):/.exec(line);
    if (p && inBridge) m.set(Number(p[2]), Number(p[1]));
  }
  return m;
}

interface Verdict {
  readonly tables: string[];
  readonly ends: string[];
}

/** Top-level table lines and the datapath actions of one ofproto/trace, as OpenFlow ports. */
async function ovsVerdict(bridge: string, flow: string): Promise<Verdict & { text: string }> {
  const text = await must('ovs-appctl', ['ofproto/trace', bridge, flow]);
  const tables: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\. (.*)$/.exec(line); // nested deeper after each goto_table
    if (!m) continue;
    const prio = /(?:^|, )priority (\d+)/.exec(m[2]!);
    tables.push(m[2] === 'No match.' ? `${m[1]}:miss` : `${m[1]}:${prio?.[1] ?? '?'}`);
  }
  const dp = /^Datapath actions: (.*)$/m.exec(text)?.[1] ?? '';
  const map = await odpToOf(bridge);
  const ends: string[] = [];
  // Split at top-level commas only (actions nest parentheses).
  let depth = 0;
  let cur = '';
  const acts: string[] = [];
  for (const ch of dp) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      acts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) acts.push(cur);
  for (const a of acts) {
    if (/^\d+$/.test(a)) ends.push(`port:${map.get(Number(a)) ?? `odp${a}`}`);
    else if (/controller\(/.test(a)) ends.push('controller');
  }
  return { tables, ends: [...new Set(ends)].sort(), text };
}

/** The same verdict from one hop of our trace. */
function ourVerdict(hop: any): Verdict {
  const tables = hop.tables.map((s: any) => (s.flow === null ? `${s.table_id}:miss` : `${s.table_id}:${s.flow.priority}`));
  const ends: string[] = [];
  for (const o of hop.outputs) {
    const k = o.outcome.kind;
    if (k === 'controller') ends.push('controller');
    else if (k === 'forwarded' || k === 'delivered' || k === 'looped' || k === 'truncated') ends.push(`port:${o.outcome.port_no}`);
  }
  return { tables, ends: [...new Set(ends)].sort() };
}

t.test('trace hops equal ofproto/trace on every bridge', { skip, timeout: 180_000 }, async (t) => {
  t.teardown(cleanup);
  const c = await startController({ apps: [] });
  t.teardown(() => c.stop());
  const port = ofPort(c);
  const A: Bridge = await createBridge('uia', { controllerPort: port, ports: 2, dpid: 0xa1n });
  const B: Bridge = await createBridge('uib', { controllerPort: port, ports: 1, dpid: 0xb1n });
  const C: Bridge = await createBridge('uic', { controllerPort: port, dpid: 0xc1n });
  const h1 = await addHost(A.name, 'uih1', '10.0.0.1/24'); // A:3
  const h2 = await addHost(C.name, 'uih2', '10.0.0.2/24'); // C:1
  // A:1—B:10, B:1—C:10, A:2—C:11: the far ends of the bridges' own veths joined to the next bridge.
  await must('ovs-vsctl', ['add-port', B.name, A.ports[0]!.peer, '--', 'set', 'Interface', A.ports[0]!.peer, 'ofport_request=10']);
  await must('ovs-vsctl', ['add-port', C.name, B.ports[0]!.peer, '--', 'set', 'Interface', B.ports[0]!.peer, 'ofport_request=10']);
  await must('ovs-vsctl', ['add-port', C.name, A.ports[1]!.peer, '--', 'set', 'Interface', A.ports[1]!.peer, 'ofport_request=11']);
  await switchesUp(c, [A.dpid, B.dpid, C.dpid]);
  await pollUntil('three cables (six link directions)', () => c.topology.links().length === 6 || undefined, 30_000);

  const flows = async (br: Bridge, list: object[]) => {
    for (const f of list) {
      const r = await call(c, 'POST', `/api/v1/switches/${br.dpid}/flows`, f);
      t.equal(r.status, 201, `${br.name} ${JSON.stringify(f)} → ${JSON.stringify(r.body)}`);
    }
  };
  const group = async (br: Bridge, g: object) => {
    const r = await call(c, 'POST', `/api/v1/switches/${br.dpid}/groups`, g);
    t.equal(r.status, 201, `${br.name} group ${JSON.stringify(r.body)}`);
  };
  const IP = { eth_type: 2048 };
  await group(A, { group_id: 1, type: 'all', buckets: [{ actions: [{ type: 'output', port: 1 }] }, { actions: [{ type: 'output', port: 2 }] }] });
  await flows(A, [
    { priority: 100, match: { in_port: h1, ...IP }, instructions: [{ type: 'goto_table', table_id: 1 }] },
    { priority: 100, match: { in_port: 2, ...IP }, actions: [{ type: 'output', port: 1 }] },
    { table_id: 1, priority: 10, match: { ...IP, ipv4_dst: '10.0.0.0/24' }, actions: [{ type: 'set_field', field: 'ip_dscp', value: 8 }, { type: 'output', port: 1 }] },
    { table_id: 1, priority: 20, match: { ...IP, ipv4_dst: '10.0.0.99' }, actions: [] },
    { table_id: 1, priority: 20, match: { ...IP, ipv4_dst: '10.0.0.77' }, actions: [{ type: 'group', group_id: 1 }] },
  ]);
  await group(B, { group_id: 2, type: 'indirect', buckets: [{ actions: [{ type: 'set_field', field: 'eth_dst', value: '02:00:00:00:00:02' }, { type: 'output', port: 1 }] }] });
  await flows(B, [
    { priority: 10, match: { in_port: 10, ...IP }, instructions: [{ type: 'write_actions', actions: [{ type: 'group', group_id: 2 }] }, { type: 'goto_table', table_id: 2 }] },
    { table_id: 2, priority: 1, match: {}, instructions: [] },
  ]);
  await flows(C, [
    { priority: 10, match: { in_port: 10, ...IP, ipv4_dst: '10.0.0.2' }, actions: [{ type: 'output', port: h2 }] },
    { priority: 10, match: { in_port: 10, ...IP, ipv4_dst: '10.0.0.66' }, actions: [{ type: 'output', port: 11 }] },
  ]);

  const bridgeOf = new Map([A, B, C].map((b) => [b.dpid, b.name]));
  const packet = (dst: string) => ({ eth_src: '02:00:00:00:00:01', eth_dst: '02:00:00:00:00:ff', eth_type: 2048, ip_proto: 1, ipv4_src: '10.0.0.1', ipv4_dst: dst });
  const cases: [string, string, string[]][] = [
    ['10.0.0.2', 'delivered', [A.dpid, B.dpid, C.dpid]],
    ['10.0.0.99', 'dropped', [A.dpid]],
    ['10.0.0.66', 'looped', [A.dpid, B.dpid, C.dpid, A.dpid, B.dpid]],
    ['10.0.0.77', 'controller', [A.dpid, B.dpid, C.dpid, C.dpid]],
  ];
  for (const [dst, verdict, path] of cases) {
    const r = await call(c, 'POST', '/api/v1/trace', { from: { dpid: A.dpid, port: h1 }, packet: packet(dst) });
    t.equal(r.status, 200, JSON.stringify(r.body));
    t.equal(r.body.verdict, verdict, `to ${dst}: ${verdict}`);
    t.same(r.body.hops.map((h: any) => h.dpid), path, `to ${dst}: the switches visited`);
    for (const hop of r.body.hops) {
      const br = bridgeOf.get(hop.dpid)!;
      const ovs = await ovsVerdict(br, ovsFlow(hop.in_port, hop.header));
      const ours = ourVerdict(hop);
      t.same(ours, { tables: ovs.tables, ends: ovs.ends }, `to ${dst}, ${br} in_port ${hop.in_port}: same tables and ends as ofproto/trace\n${ovs.text}`);
    }
  }
  const drop = (await call(c, 'POST', '/api/v1/trace', { from: { dpid: A.dpid, port: h1 }, packet: packet('10.0.0.99') })).body;
  t.match(drop.hops[0].outputs[0].outcome, { kind: 'dropped', reason: 'no_actions', table_id: 1 }, 'the drop rule named');
  t.equal(drop.hops[0].tables[1].flow.owner, 'api', 'owned by the API');
  const loop = (await call(c, 'POST', '/api/v1/trace', { from: { dpid: A.dpid, port: h1 }, packet: packet('10.0.0.66') })).body;
  // B's group rewrote eth_dst the first time round, so B sees a new packet once more; C then sees the very packet it saw before.
  t.match(loop.hops[4].outputs[0].outcome, { kind: 'looped', to: { dpid: C.dpid, port_no: 10 }, first_hop: 2 }, 'back into C as before');
  const ok = (await call(c, 'POST', '/api/v1/trace', { from: { dpid: A.dpid, port: h1 }, packet: packet('10.0.0.2') })).body;
  t.match(ok.hops[2].outputs[0].outcome, { kind: 'delivered', port_no: h2 });
  t.equal(ok.hops[2].header.eth_dst, '02:00:00:00:00:02', 'B\'s group rewrote eth_dst on the way');
  t.equal(ok.hops[1].header.ip_dscp, 8, 'A\'s set_field is in the header B saw');
});
