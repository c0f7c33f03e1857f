import t from 'tap';
import { startApi } from '../helpers/api.js';
import { FakeFlowTable } from '../helpers/fake-switch.js';
import { pollUntil } from '../helpers/ovs.js';

// The codec's strictness as a REST client meets it: a flow whose match holds
// a basic-class OXM TLV (given raw) with the wrong length is a 400 whose
// message names the OFPT_ERROR a switch would have sent; nothing reaches the switch.

const FLOWS = '/api/v1/switches/0000000000000001/flows';

t.test('a raw basic OXM with the wrong length: 400 naming bad_match/bad_len', async (t) => {
  const api = await startApi(t);
  const table = new FakeFlowTable();
  const sw = await api.addSwitch({ dpid: 1n, ports: 2, flowTable: table });
  await pollUntil('controller flows installed', () => table.flows.length >= 2 || undefined, 5000);
  const before = sw.received.filter((m) => m.type === 'flow_mod').length;
  // eth_type (2 bytes) with oxm_length 4
  const r = await api.json('POST', FLOWS, { match: [{ raw: '80000a0408000000' }], actions: [] });
  t.equal(r.status, 400, JSON.stringify(r.body));
  t.equal(r.body.error, 'bad_request');
  t.match(r.body.message, /eth_type.*bad_match\/bad_len/);
  // field 40 is not defined by OpenFlow 1.3
  const f = await api.json('POST', FLOWS, { match: [{ raw: '8000500401020304' }], actions: [] });
  t.equal(f.status, 400, JSON.stringify(f.body));
  t.match(f.body.message, /bad_match\/bad_field/);
  // a well-formed one in raw form is accepted
  const ok = await api.json('POST', FLOWS, { match: [{ raw: '80000a020800' }], actions: [] });
  t.equal(ok.status, 201, JSON.stringify(ok.body));
  const mods = (): number => sw.received.filter((m) => m.type === 'flow_mod').length;
  await pollUntil('the good flow reaches the switch', () => mods() > before || undefined, 5000);
  t.equal(mods(), before + 1, 'only the good flow reached the switch');
});
