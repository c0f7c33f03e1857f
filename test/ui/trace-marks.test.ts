// What the page marks on the map for a trace answer: the switches and cables
// it took, the host it reached, where it was dropped or sent to the controller.
import t from 'tap';
import { TopologyModel } from '../../ui/src/model.js';
import { traceMarks, type TraceJson } from '../../ui/src/trace-marks.js';

const D1 = '0000000000000001';
const D2 = '0000000000000002';
const model = new TopologyModel();
model.applySnapshot({
  seq: 1,
  switches: [{ dpid: D1, dp_desc: 's1', ports: [] }, { dpid: D2, dp_desc: 's2', ports: [] }],
  links: [{ src: { dpid: D1, port_no: 1 }, dst: { dpid: D2, port_no: 2 } }],
  hosts: [
    { mac: '02:00:00:00:00:01', vlan: null, ipv4: ['10.0.0.1'], ipv6: [], dpid: D1, port_no: 3 },
    { mac: '02:00:00:00:00:02', vlan: null, ipv4: ['10.0.0.2'], ipv6: [], dpid: D2, port_no: 3 },
  ],
});
const hop = (id: number, dpid: string, outputs: TraceJson['hops'][number]['outputs']): TraceJson['hops'][number] =>
  ({ id, parent: id === 0 ? null : id - 1, dpid, in_port: 3, header: {}, tables: [], actions: [], outputs });

t.test('delivered across a cable', async (t) => {
  const tr: TraceJson = {
    verdict: 'delivered', truncated: false, ingress: { dpid: D1, port_no: 3 },
    hops: [
      hop(0, D1, [{ outcome: { kind: 'forwarded', port_no: 1, to: { dpid: D2, port_no: 2 } }, header: {}, via: 'apply' }]),
      hop(1, D2, [{ outcome: { kind: 'delivered', port_no: 3, host: { mac: '02:00:00:00:00:02', ipv4: ['10.0.0.2'] } }, header: {}, via: 'apply' }]),
    ],
  };
  t.same(traceMarks(tr, model, 'host:02:00:00:00:00:01'), {
    trace: ['host:02:00:00:00:00:01', 'a:host:02:00:00:00:00:01', `s:${D1}`, `l:${D1}:1-${D2}:2`, `s:${D2}`, 'a:host:02:00:00:00:00:02'],
    'trace-end': ['host:02:00:00:00:00:02'], 'trace-drop': [], 'trace-ctl': [],
  });
});

t.test('dropped, looped and to the controller mark the switch', async (t) => {
  const tr: TraceJson = {
    verdict: 'mixed', truncated: false, ingress: { dpid: D1, port_no: 3 },
    hops: [hop(0, D1, [
      { outcome: { kind: 'dropped', reason: 'no_match', detail: 'x' }, header: {}, via: 'table 0' },
      { outcome: { kind: 'controller', port_no: 'controller' }, header: {}, via: 'apply' },
      { outcome: { kind: 'looped', port_no: 1, to: { dpid: D2, port_no: 2 }, first_hop: 0 }, header: {}, via: 'apply' },
    ])],
  };
  const m = traceMarks(tr, model, null);
  t.same(m['trace-drop'], [`s:${D1}`, `s:${D1}`]);
  t.same(m['trace-ctl'], [`s:${D1}`]);
  t.ok(m.trace.includes(`l:${D1}:1-${D2}:2`), 'the cable it looped over');
});
