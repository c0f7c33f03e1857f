// The page's model without a browser: snapshot, deltas in sequence, gaps,
// down links, rates, apps' sections (container endpoints), search.
import t from 'tap';
import { TopologyModel, type TopologySnapshot } from '../../ui/src/model.js';
import { levelOf, LEVELS, formatBps, instructionsText, matchText } from '../../ui/src/format.js';

const D1 = '0000000000000001';
const D2 = '0000000000000002';
const port = (n: number, up = true) => ({ port_no: n, name: `s-eth${n}`, hw_addr: `02:00:00:00:00:0${n}`, up, inter_switch: false, on_tree: true });

function snap(seq: number, extra: Record<string, unknown> = {}): TopologySnapshot {
  return {
    seq,
    switches: [{ dpid: D1, dp_desc: 's1', ports: [port(1), port(2)] }, { dpid: D2, dp_desc: '', ports: [port(1), port(2)] }],
    links: [{ src: { dpid: D1, port_no: 1 }, dst: { dpid: D2, port_no: 1 } }, { src: { dpid: D2, port_no: 1 }, dst: { dpid: D1, port_no: 1 } }],
    hosts: [{ mac: '02:00:00:00:00:aa', vlan: null, ipv4: ['10.0.0.1'], ipv6: [], dpid: D1, port_no: 2 }],
    ...extra,
  };
}

t.test('a snapshot: switches named, one edge per cable, hosts attached', async (t) => {
  const m = new TopologyModel();
  const c = m.applySnapshot(snap(10));
  t.equal(c.structure, true);
  t.equal(m.seq, 10);
  t.same([...m.switches.values()].map((s) => s.name), ['s1', '2'], 'dp_desc, else the dpid without leading zeros');
  t.equal(m.links.size, 1, 'both directions are one cable');
  const l = [...m.links.values()][0]!;
  t.same([l.up, l.directions.size], [true, 2]);
  t.same(m.hosts.get('host:02:00:00:00:00:aa')?.dpid, D1);
});

t.test('deltas in order apply; old ones are ignored; a jump asks for a snapshot', async (t) => {
  const m = new TopologyModel();
  m.applySnapshot(snap(10));
  t.same(m.apply({ seq: 9, type: 'host.removed', data: { mac: '02:00:00:00:00:aa' } }), { structure: false, stats: false, refetch: false }, 'already in the snapshot');
  t.equal(m.hosts.size, 1);
  const c = m.apply({ seq: 11, type: 'port.modified', data: { dpid: D2, port_no: 1, name: 's2-eth1', hw_addr: 'x', up: false, config: ['port_down'], state: [] } });
  t.equal(c.structure, true);
  t.equal([...m.links.values()][0]!.up, false, 'a port down marks its link down at once, before LLDP notices');
  m.apply({ seq: 12, type: 'port.modified', data: { dpid: D2, port_no: 1, name: 's2-eth1', hw_addr: 'x', up: true, config: [], state: [] } });
  t.equal([...m.links.values()][0]!.up, true);
  m.apply({ seq: 13, type: 'link.down', data: { src: { dpid: D1, port_no: 1 }, dst: { dpid: D2, port_no: 1 }, reason: 'timeout' } });
  t.equal([...m.links.values()][0]!.up, true, 'one direction left');
  m.apply({ seq: 14, type: 'link.down', data: { src: { dpid: D2, port_no: 1 }, dst: { dpid: D1, port_no: 1 }, reason: 'timeout' } });
  t.equal([...m.links.values()][0]!.up, false, 'both gone: down, still drawn');
  m.apply({ seq: 15, type: 'host.added', data: { mac: '02:00:00:00:00:bb', vlan: 5, ipv4: ['10.0.0.2'], ipv6: [], dpid: D2, port_no: 2 } });
  t.equal(m.hosts.size, 2);
  t.same(m.hosts.get('host:02:00:00:00:00:aa')?.ipv4, ['10.0.0.1'], 'the snapshot\'s address');
  t.equal(m.apply({ seq: 16, type: 'host.updated', data: { mac: '02:00:00:00:00:aa', vlan: null, ipv4: ['10.0.0.1', '10.0.0.9'], ipv6: [], dpid: D1, port_no: 2, change: 'address', attached: true, detached_at: null } }).structure, true);
  t.same(m.hosts.get('host:02:00:00:00:00:aa')?.ipv4, ['10.0.0.1', '10.0.0.9'], 'host.updated brings the address it learned');
  t.same(m.apply({ seq: 18, type: 'host.removed', data: { mac: '02:00:00:00:00:bb' } }).refetch, 'gap', '17 is missing');
  t.equal(m.hosts.size, 2, 'nothing applied past a gap');
  t.equal(m.seq, 16);
  t.same(m.apply({ seq: 0, type: 'stream.gap', data: {} }).refetch, 'gap', 'the stream says it lost events');
  t.same(m.apply({ seq: 17, type: 'switch.up', data: { dpid: '0000000000000003', ports: 2, hw_desc: '', sw_desc: '' } }).refetch, 'switch', 'a new switch: the snapshot has its ports');
  t.ok(m.switches.has('0000000000000003'));
  m.apply({ seq: 18, type: 'switch.down', data: { dpid: D2, reason: 'closed' } });
  t.equal(m.links.size, 0, 'its links go');
  t.notOk(m.hosts.has('host:02:00:00:00:00:bb'), 'and its hosts');
});

t.test('a cable gone from a later snapshot stays, marked down, while both switches stay', async (t) => {
  const m = new TopologyModel();
  m.applySnapshot(snap(1));
  m.applySnapshot({ ...snap(5), links: [] });
  t.equal(m.links.size, 1);
  t.equal([...m.links.values()][0]!.up, false);
  m.applySnapshot({ ...snap(6), links: [], switches: snap(6).switches.slice(0, 1) });
  t.equal(m.links.size, 0, 'gone with a switch');
});

t.test('rates: the busier end sets a link\'s level', async (t) => {
  const m = new TopologyModel();
  m.applySnapshot(snap(1));
  const c = m.apply({ seq: 2, type: 'stats.ports', data: { dpid: D2, ports: [{ port_no: 1, rx_bps: 2_000, tx_bps: 25_000_000, rx_pps: 1, tx_pps: 1 }] } });
  t.same([c.structure, c.stats], [false, true], 'stats are not structure: no relayout');
  const l = [...m.links.values()][0]!;
  t.equal(l.bps, 25_000_000);
  t.equal(LEVELS[levelOf(l.bps)]!.label, '≥ 10 Mbit/s');
  m.applySnapshot(snap(3));
  t.equal([...m.links.values()][0]!.bps, 25_000_000, 'a new snapshot keeps the last rates');
  t.equal(formatBps(25_000_000), '25.0 Mbit/s');
  t.equal(formatBps(0), '0 bit/s');
});

t.test('apps\' sections: endpoints grouped by network, networks listed', async (t) => {
  const m = new TopologyModel();
  const fake = {
    networks: [{ id: 'n1', name: 'blue', subnet: '10.9.0.0/24' }, { id: 'n2', name: 'red', subnet: '10.8.0.0/24' }],
    endpoints: [
      { name: 'web1', mac: '02:42:00:00:00:01', ipv4: '10.9.0.2/24', network: 'blue', dpid: D1, port_no: 7 },
      { name: 'db1', mac: '02:00:00:00:00:aa', ip: '10.8.0.3', network: 'red', dpid: D1, port_no: 2 },
      { note: 'no address: not an endpoint' },
    ],
  };
  m.applySnapshot(snap(1, fake));
  t.same([...m.networks.values()].map((n) => [n.name, n.subnet]), [['blue', '10.9.0.0/24'], ['red', '10.8.0.0/24']]);
  const web = m.hosts.get('ep:endpoints:02:42:00:00:00:01');
  t.match(web, { kind: 'endpoint', name: 'web1', network: 'blue', ipv4: ['10.9.0.2'], dpid: D1, port_no: 7 });
  const db = m.hosts.get('host:02:00:00:00:00:aa');
  t.match(db, { kind: 'host', name: 'db1', network: 'red' }, 'a tracked host that is an endpoint takes its name and network');
  t.equal(m.hosts.size, 2);
  t.same(m.apply({ seq: 2, type: 'network.created', data: { name: 'green' } }).refetch, 'section', 'an app event: its sections come with a snapshot');
  t.same(m.search('web'), ['ep:endpoints:02:42:00:00:00:01'], 'search by name');
});

t.test('search by name, dpid, MAC and IP', async (t) => {
  const m = new TopologyModel();
  m.applySnapshot(snap(1));
  t.same(m.search('s1'), [D1]);
  t.same(m.search('0000000000000002'), [D2]);
  t.same(m.search('02:00:00:00:00:aa'), ['host:02:00:00:00:00:aa']);
  t.same(m.search('10.0.0.1'), ['host:02:00:00:00:00:aa']);
  t.same(m.search('  '), []);
});

t.test('flow text for the switch panel', async (t) => {
  t.equal(matchText({ in_port: 1, ipv4_dst: { value: '10.0.0.0', mask: '255.255.255.0' } }), 'in_port=1, ipv4_dst=10.0.0.0/255.255.255.0');
  t.equal(matchText({}), '(any)');
  t.equal(instructionsText([{ type: 'apply_actions', actions: [{ type: 'set_field', field: 'eth_dst', value: '02:00:00:00:00:01' }, { type: 'output', port: 2 }] }, { type: 'goto_table', table_id: 3 }]), 'set eth_dst=02:00:00:00:00:01, output:2; goto:3');
  t.equal(instructionsText([]), 'drop');
});
