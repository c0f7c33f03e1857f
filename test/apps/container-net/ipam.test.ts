// IPAM arithmetic: CIDR parsing, reserved addresses, lowest free, requested addresses, MACs.
import t from 'tap';
import { checkRequested, gatewayMac, gatewayOf, lowestFree, macForIp, overlaps, parseSubnet } from '../../../src/apps/container-net/ipam.js';
import { NetError } from '../../../src/apps/container-net/types.js';

const refused = (fn: () => unknown, code: string, message: RegExp): void => {
  try {
    fn();
  } catch (e) {
    t.ok(e instanceof NetError, 'a NetError');
    t.equal((e as NetError).code, code);
    t.match((e as NetError).message, message);
    return;
  }
  t.fail(`expected ${code}`);
};

t.test('subnets: canonical form, host bits, bad text, prefix limits', async (t) => {
  t.match(parseSubnet('10.20.0.0/24'), { cidr: '10.20.0.0/24', prefix: 24 });
  refused(() => parseSubnet('10.20.0.5/24'), 'invalid_subnet', /host bits set; did you mean 10\.20\.0\.0\/24\?/);
  refused(() => parseSubnet('10.20.0.0'), 'invalid_subnet', /not an IPv4 CIDR/);
  refused(() => parseSubnet('300.1.1.0/24'), 'invalid_subnet', /not an IPv4 CIDR/);
  refused(() => parseSubnet('10.0.0.0/31'), 'invalid_subnet', /prefix length must be 8 to 30/);
  refused(() => parseSubnet('fe80::/64'), 'invalid_subnet', /IPv4 CIDR/);
  t.ok(overlaps(parseSubnet('10.0.0.0/16'), parseSubnet('10.0.5.0/24')));
  t.notOk(overlaps(parseSubnet('10.0.0.0/24'), parseSubnet('10.0.1.0/24')));
});

t.test('addresses: gateway first, lowest free skips network/broadcast, requested ones checked', async (t) => {
  const s = parseSubnet('10.9.0.0/29'); // .1-.6 usable
  t.equal(gatewayOf(s), '10.9.0.1');
  t.equal(gatewayOf(s, '10.9.0.6'), '10.9.0.6');
  refused(() => gatewayOf(s, '10.9.0.7'), 'invalid_gateway', /not a usable address/);
  const taken = new Set(['10.9.0.1', '10.9.0.2', '10.9.0.4']);
  t.equal(lowestFree(s, taken), '10.9.0.3', 'the lowest free one');
  t.equal(checkRequested(s, '10.9.0.5', taken), '10.9.0.5');
  refused(() => checkRequested(s, '10.9.0.4', taken), 'address_taken', /already allocated/);
  refused(() => checkRequested(s, '10.9.0.0', taken), 'address_reserved', /network or broadcast/);
  refused(() => checkRequested(s, '10.9.0.7', taken), 'address_reserved', /network or broadcast/);
  refused(() => checkRequested(s, '10.9.1.2', taken), 'address_outside_subnet', /outside the subnet 10\.9\.0\.0\/29/);
  refused(() => checkRequested(s, 'ten', taken), 'invalid_address', /not an IPv4 address/);
  const full = new Set(['1', '2', '3', '4', '5', '6'].map((x) => `10.9.0.${x}`));
  refused(() => lowestFree(s, full), 'pool_exhausted', /no free address left in 10\.9\.0\.0\/29 \(6 usable/);
});

t.test('MACs are locally administered unicast and derived from the address', async (t) => {
  t.equal(macForIp('10.20.0.2'), '0a:58:0a:14:00:02');
  t.equal(gatewayMac(3), '0a:53:59:00:00:03');
  t.equal(parseInt(macForIp('10.20.0.2').slice(0, 2), 16) & 3, 2, 'local bit set, group bit clear');
});
