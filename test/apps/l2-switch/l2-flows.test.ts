// The l2-switch's flow specs as data, and reading them back from a flow.removed match.
import t from 'tap';
import { catchFlow, dstFlow, flowOfMatch } from '../../../src/apps/l2-switch/l2-flows.js';
import { floodKey } from '../../../src/apps/l2-switch/in-switch-flood.js';
import { toJsonValue } from '../../../src/openflow/json.js';

const O = { priority: 10, idleTimeout: 60 };
const M = '00:00:00:00:00:05';

t.test('one dst flow per (VLAN, MAC): keyed so that learning it elsewhere replaces it', async (t) => {
  const a = dstFlow(null, M, 1, O);
  const b = dstFlow(null, M, 2, O);
  t.equal(a.key, b.key, 'same key whatever the port');
  t.not(dstFlow(7, M, 1, O).key, a.key, 'another VLAN is another MAC');
  t.same(a.match, [{ field: 'vlan_vid', value: 0 }, { field: 'eth_dst', value: M }]);
  t.same(dstFlow(7, M, 1, O).match[0], { field: 'vlan_vid', value: 0x1007 });
  t.same(a.actions, [{ type: 'output', port: 1, max_len: 0 }]);
  t.equal(a.idleTimeout, 60);
});

t.test('a catch sends the MAC\'s unicast packets to the controller, above the dst flows', async (t) => {
  const c = catchFlow(null, M, O);
  t.equal(c.priority, 11);
  t.same(c.match, [{ field: 'vlan_vid', value: 0 }, { field: 'eth_src', value: M }, { field: 'eth_dst', value: '00:00:00:00:00:00', mask: '01:00:00:00:00:00' }]);
  t.same(c.actions, [{ type: 'output', port: 'controller', max_len: 'no_buffer' }]);
});

t.test('flow.removed matches are read back into what they stood for', async (t) => {
  t.same(flowOfMatch(toJsonValue(dstFlow(3, M, 1, O).match)), { kind: 'dst', vlan: 3, mac: M });
  t.same(flowOfMatch(toJsonValue(dstFlow(null, M, 1, O).match)), { kind: 'dst', vlan: null, mac: M });
  t.same(flowOfMatch(toJsonValue(catchFlow(null, M, O).match)), { kind: 'catch', vlan: null, mac: M });
  t.equal(flowOfMatch([{ field: 'in_port', value: 1 }, { field: 'eth_dst', value: '01:00:00:00:00:00', mask: '01:00:00:00:00:00' }]), undefined, 'a flood flow');
  t.equal(flowOfMatch('nonsense'), undefined);
  t.equal(floodKey(3), 'flood/3');
});
