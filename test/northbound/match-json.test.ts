import t from 'tap';
import { matchFromJson, matchToJson } from '../../src/northbound/json/match.js';
import { ApiError } from '../../src/northbound/errors.js';

// Object form in, the form the API prints out, and that printed form read back to the same OXM fields.
const CASES: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['ports by number and name', { in_port: 'LOCAL', in_phy_port: 3 }, { in_port: 'local', in_phy_port: 3 }],
  ['IPv4 prefix, host bits cleared', { eth_type: 2048, ipv4_src: '10.9.8.7/8' }, { eth_type: 2048, ipv4_src: '10.0.0.0/8' }],
  ['IPv4 dotted mask, not a prefix', { eth_type: 2048, ipv4_dst: '10.1.2.3/255.0.255.0' }, { eth_type: 2048, ipv4_dst: '10.0.2.0/255.0.255.0' }],
  ['IPv4 /32 is exact', { eth_type: 2048, ipv4_dst: '10.1.2.3/32' }, { eth_type: 2048, ipv4_dst: '10.1.2.3' }],
  ['IPv4 /0 matches anything: dropped', { eth_type: 2048, ipv4_dst: '10.1.2.3/0' }, { eth_type: 2048 }],
  ['IPv6 prefix', { eth_type: 0x86dd, ipv6_src: '2001:DB8::1/32' }, { eth_type: 34525, ipv6_src: '2001:db8::/32' }],
  ['MAC mask', { eth_dst: '01:00:5E:00:00:00/ff:ff:ff:80:00:00' }, { eth_dst: '01:00:5e:00:00:00/ff:ff:ff:80:00:00' }],
  ['metadata masked as text', { metadata: '0x1234/0xff' }, { metadata: { value: '52', mask: '255' } }],
  ['metadata as an object', { metadata: { value: '18446744073709551615', mask: '0xf0' } }, { metadata: { value: '240', mask: '240' } }],
  ['tunnel_id unmasked', { tunnel_id: 5 }, { tunnel_id: '5' }],
  ['vlan: id, none, present, raw', { vlan_vid: '0x1005' }, { vlan_vid: 5 }],
  ['vlan none', { vlan_vid: 'none' }, { vlan_vid: 'none' }],
  ['vlan present with pcp', { vlan_vid: 'present', vlan_pcp: 3 }, { vlan_vid: 'present', vlan_pcp: 3 }],
  ['vlan with a partial mask', { vlan_vid: { value: '0x1005', mask: '0x1f0f' } }, { vlan_vid: { value: '0x1005', mask: '0x1f0f' } }],
  ['TCP with prerequisites', { eth_type: 2048, ip_proto: 6, tcp_dst: '0x50' }, { eth_type: 2048, ip_proto: 6, tcp_dst: 80 }],
  ['ND target needs ICMPv6 135/136', { eth_type: 0x86dd, ip_proto: 58, icmpv6_type: 135, ipv6_nd_target: 'fe80::1', ipv6_nd_sll: '00:00:00:00:00:01' },
    { eth_type: 34525, ip_proto: 58, icmpv6_type: 135, ipv6_nd_target: 'fe80::1', ipv6_nd_sll: '00:00:00:00:00:01' }],
  ['ipv6_flabel full 20 bits is exact', { eth_type: 0x86dd, ipv6_flabel: { value: 7, mask: '0xfffff' } }, { eth_type: 34525, ipv6_flabel: 7 }],
  ['another OXM class, raw', { raw: ['00010404deadbeef'] }, { raw: ['00010404deadbeef'] }],
];

t.test('match JSON: object form in, printed form out, and back', async (t) => {
  for (const [what, input, printed] of CASES) {
    const m = matchFromJson(input);
    t.same(matchToJson(m), printed, what);
    t.same(matchFromJson(printed), m, `${what}: the printed form reads back to the same fields`);
  }
});

t.test('the list form is the codec\'s own: vlan_vid raw, masks as given', async (t) => {
  const m = matchFromJson([{ field: 'vlan_vid', value: 0x1005 }, { field: 'eth_type', value: 2048 }, { field: 'ipv4_dst', value: '10.0.0.1', mask: '255.255.255.0' }]);
  t.same(matchToJson(m), { vlan_vid: 5, eth_type: 2048, ipv4_dst: '10.0.0.0/24' });
  t.same(matchFromJson([{ raw: '00010404deadbeef' }]).length, 1);
});

t.test('bad matches throw a 400 naming the field', async (t) => {
  const bad: [unknown, RegExp][] = [
    [{ vlan_pcp: 1 }, /vlan_pcp needs a vlan_vid/],
    [{ vlan_vid: 'none', vlan_pcp: 1 }, /vlan_pcp needs a vlan_vid/],
    [{ eth_type: 0x86dd, ip_proto: 58, icmpv6_type: 1, ipv6_nd_target: 'fe80::1' }, /ipv6_nd_target needs icmpv6_type 135 or 136/],
    [{ eth_type: { value: 2048, mask: 0xff00 }, ipv4_dst: '10.0.0.1' }, /cannot be masked/],
    [{ eth_type: 2048, ipv4_dst: { value: '10.0.0.1', colour: 1 } }, /must be \{"value": \.\.\., "mask": \.\.\.\}/],
    [{ metadata: '0x1/0xfffffffffffffffff' }, /metadata mask must be a 64-bit/],
    [{ raw: ['0001'] }, /raw\[0\] must be one whole OXM TLV/],
    [{ raw: ['0001040cdeadbeef'] }, /declares 16/],
    [{ raw: 'x' }, /raw must be a list/],
    [[{ field: 'in_port', value: 1, masks: 2 }], /unknown key "masks"/],
    [[5], /match\[0\] must be an object/],
    ['in_port=1', /match must be an object like/],
    [null, /match must be an object like/],
  ];
  for (const [m, msg] of bad) {
    const e = (() => {
      try {
        matchFromJson(m);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    t.ok(e instanceof ApiError && e.status === 400, JSON.stringify(m));
    t.match((e as Error).message, msg, (e as Error).message);
  }
});
