// How Ryu bodies and numbers are read: ofctl_rest parses bodies with
// Python's ast.literal_eval and numbers with int(str(v), 0).
import t from 'tap';
import { parseRyuBody } from '../../src/northbound/ryu/ryu-body.js';
import { parseRyuDpid, portFromUser, portToUser, pyInt, tableToUser } from '../../src/northbound/ryu/ryu-values.js';
import { matchFromRyu, matchToRyu } from '../../src/northbound/ryu/ryu-match.js';
import { ApiError } from '../../src/northbound/errors.js';

t.test('JSON and the Python literals Ryu scripts send', async (t) => {
  t.same(parseRyuBody('{"dpid": 1, "match": {"in_port": 1}, "actions": []}'), { dpid: 1, match: { in_port: 1 }, actions: [] });
  t.same(parseRyuBody("{'dpid': 1, 'x': (1, 2,), 'y': [True, False, None], 'z': 'it\\'s'}"), { dpid: 1, x: [1, 2], y: [true, false, null], z: "it's" });
  t.same(parseRyuBody('{"a": true, "b": null, "c": -3, "d": 1.5e1, "e": "\\u00e9\\n"}'), { a: true, b: null, c: -3, d: 15, e: 'é\n' });
  t.same(parseRyuBody('{\n  "metadata": 0x3,  # a comment\n  "mask": 0o17, "b": 0b101, "big": 1_000,\n}'), { metadata: 3, mask: 15, b: 5, big: 1000 });
  t.same(parseRyuBody('{"cookie": 18446744073709551615, "n": -9007199254740993}'), { cookie: '18446744073709551615', n: '-9007199254740993' }, 'integers beyond 2^53 stay exact, as strings');
  t.same(parseRyuBody(''), {}, 'an empty body is {}');
  t.same(parseRyuBody('  # only a comment\n'), {});
  const o = parseRyuBody('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
  t.same(Object.keys(o), ['__proto__'], '__proto__ is an ordinary key');
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was touched');
  t.equal(Object.getPrototypeOf(o), Object.prototype);
});

t.test('malformed bodies are a 400 naming where', async (t) => {
  for (const [text, why] of [
    ['{"a": 1', /ends early|expected "," or "}"/], ['{"a" 1}', /expected ":"/], ['{"a": "x}', /not closed/], ['{"a": 1} extra', /after the value/],
    ['{a: 1}', /expected a value/], ['{"a": [1 2]}', /expected "," or "]"/], ['{"a": "\\q"}', /unknown escape/], ['[' .repeat(100), /nested deeper/],
    ['{"a": tru}', /expected a value/], ['{1.5: 2}', /key must be a string/],
  ] as const) {
    try {
      parseRyuBody(text);
      t.fail(`accepted ${text}`);
    } catch (e) {
      t.ok(e instanceof ApiError && e.status === 400, `${text.slice(0, 20)}: a 400`);
      t.match((e as Error).message, why);
      t.match((e as Error).message, /offset \d+/);
    }
  }
});

t.test("int(str(v), 0) and ofctl's reserved names", async (t) => {
  t.equal(pyInt(' 7 ', 'x'), 7n);
  t.equal(pyInt('0x1F', 'x'), 31n);
  t.equal(pyInt('1_000', 'x'), 1000n);
  t.equal(pyInt('-5', 'x'), -5n);
  t.equal(pyInt(12, 'x'), 12n);
  for (const bad of ['01', '1.5', 1.5, true, null, '0x', '', 'ten', '1__0']) t.throws(() => pyInt(bad, 'x'), /x must be an integer/, `int(${JSON.stringify(bad)}) fails, as in Python`);
  t.equal(portFromUser('LOCAL', 'p'), 'local');
  t.equal(portFromUser('OFPP_CONTROLLER', 'p'), 'controller');
  t.equal(portFromUser('in_port', 'p'), 'in_port');
  t.equal(portFromUser('MAX', 'p'), 0xffffff00);
  t.equal(portFromUser('0xfffffffe', 'p'), 'local');
  t.equal(portToUser('local'), 'LOCAL');
  t.equal(portToUser(0xffffff00), 'MAX');
  t.equal(portToUser(3), 3);
  t.equal(tableToUser(254), 'MAX');
  t.equal(tableToUser('all'), 'ALL');
  t.throws(() => portFromUser('SIDEWAYS', 'port'), /port "SIDEWAYS" is neither a number nor one of OFPP_MAX/);
});

t.test('dpids as ofctl_rest reads them, plus our 16-hex form', async (t) => {
  t.equal(parseRyuDpid('1'), 1n);
  t.equal(parseRyuDpid(1), 1n);
  t.equal(parseRyuDpid('0x10'), 16n);
  t.equal(parseRyuDpid('0000000000000010'), 16n, '16 hex digits (Python would refuse the leading zero)');
  t.equal(parseRyuDpid('a000000000000001'), 0xa000000000000001n);
  t.equal(parseRyuDpid('1000000000000000'), 1000000000000000n, 'a decimal of 16 digits stays decimal, as Ryu reads it');
  t.equal(parseRyuDpid('00:00:00:00:00:00:00:0a'), 10n);
  t.equal(parseRyuDpid('18446744073709551615'), 0xffffffffffffffffn);
  for (const bad of ['18446744073709551616', '-1', '01', 'zz', '', 1.5, null]) t.equal(parseRyuDpid(bad), undefined, `${JSON.stringify(bad)} is not a dpid`);
});

t.test('match round trip: the names and value forms match_to_str prints', async (t) => {
  const m = matchFromRyu({ in_port: 'LOCAL', dl_vlan: 5, dl_type: 2048, nw_proto: 6, tp_dst: 80, nw_src: '10.1.2.3/16', metadata: '0x12/0xff' });
  t.same(matchToRyu(m), { in_port: 'LOCAL', metadata: '18/255', dl_vlan: '5', dl_type: 2048, nw_proto: 6, nw_src: '10.1.0.0/255.255.0.0', tp_dst: 80 }, 'in OXM order; masks applied');
  t.same(matchToRyu(matchFromRyu({ dl_vlan: '0x0000' })), { dl_vlan: '0x0000' });
  t.same(matchToRyu(matchFromRyu({ dl_vlan: '0x1000/0x1000' })), { dl_vlan: '0x1000/0x1000' });
  t.same(matchToRyu(matchFromRyu({ eth_type: 0x86dd, ipv6_dst: '2001:db8::1/64' })), { dl_type: 0x86dd, ipv6_dst: '2001:db8::/ffff:ffff:ffff:ffff::' });
  t.same(matchToRyu(matchFromRyu({ dl_type: 2054, nw_dst: '10.0.0.1' })), { dl_type: 2054, arp_tpa: '10.0.0.1' }, 'ARP addresses as nw_* become arp_*');
});
