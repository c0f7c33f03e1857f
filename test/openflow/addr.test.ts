import t from 'tap';
import { Reader } from '../../src/openflow/reader.js';
import { Writer } from '../../src/openflow/writer.js';
import { readIpv6, writeIpv6, readMac, writeMac, parseIpv6 } from '../../src/openflow/structs/addr.js';

t.test('ipv6 text round trips in canonical form', async (t) => {
  const cases: [string, string][] = [
    ['fe80::1', 'fe800000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['2001:db8::ff00:42:8329', '20010db8000000000000ff0000428329'],
    ['::ffff:10.0.0.1', '00000000000000000000ffff0a000001'],
    ['1:0:0:1:0:0:0:1', '00010000000000010000000000000001'],
  ];
  for (const [text, hex] of cases) {
    const w = new Writer();
    writeIpv6(w, text);
    t.equal(w.finish().toString('hex'), hex, text);
  }
  t.equal(readIpv6(new Reader(Buffer.from('00010000000000010000000000000001', 'hex'))), '1:0:0:1::1');
  t.equal(readIpv6(new Reader(Buffer.from('00000000000000000000ffff0a000001', 'hex'))), '::ffff:a00:1');
  t.equal(parseIpv6('1::2::3'), undefined);
  t.equal(parseIpv6('12345::'), undefined);
});

t.test('mac', async (t) => {
  const w = new Writer();
  writeMac(w, 'AA:bb:cc:00:01:02');
  t.equal(readMac(new Reader(w.finish())), 'aa:bb:cc:00:01:02');
  t.throws(() => writeMac(new Writer(), 'aa:bb'), { name: 'CodecError' });
});
