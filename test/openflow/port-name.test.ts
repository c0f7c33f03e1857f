import t from 'tap';
import { decodeMessage, encodeMessage } from '../../src/openflow/codec.js';
import { messageFromJson, toJsonValue } from '../../src/openflow/json.js';
import type { OfpMessage } from '../../src/openflow/message.js';
import { hex } from '../helpers/hex.js';

// ofp_port.name is UTF-8 in a 16-byte NUL-padded field (OFP_MAX_PORT_NAME_LEN).
// Expected bytes are Node's own UTF-8 encoder output, not our writer's.

/** OFPT_PORT_STATUS (add) of port 1 with a 16-byte name field; ofp_port is 64 bytes. */
function portStatus(nameField: Buffer): Buffer {
  if (nameField.length !== 16) throw new Error('name field must be 16 bytes');
  return Buffer.concat([
    hex('04 0c 0050 00000001  00 00000000000000'), // header, reason add, pad(7)
    hex('00000001 00000000 0a0000000001 0000'), // port_no, pad, hw_addr, pad
    nameField,
    hex('00000000 00000004 00000840 00000000 00000000 00000000 00989680 00000000'),
  ]);
}
const field = (bytes: Buffer): Buffer => Buffer.concat([bytes, Buffer.alloc(16 - bytes.length)]);
const nameOf = (m: OfpMessage): string => (m as Extract<OfpMessage, { type: 'port_status' }>).desc.name;

t.test('a Japanese name comes back as written, on decode and on encode', async (t) => {
  const name = '東京ポート'; // 5 characters, 15 bytes of UTF-8
  const bytes = portStatus(field(Buffer.from(name, 'utf8')));
  t.equal(bytes.length, 0x50);
  const m = decodeMessage(bytes);
  t.equal(nameOf(m), name, 'decoded as UTF-8');
  t.equal(encodeMessage(m).toString('hex'), bytes.toString('hex'), 'encode(decode(x)) === x');
  t.equal(encodeMessage(messageFromJson(toJsonValue(m))).toString('hex'), bytes.toString('hex'), 'through JSON too');
  t.strictSame((m as { padding?: unknown }).padding, undefined, 'nothing kept on the side for valid UTF-8');
  const built = { ...m, desc: { ...(m as Extract<OfpMessage, { type: 'port_status' }>).desc, name } } as OfpMessage;
  t.equal(encodeMessage(built).toString('hex'), bytes.toString('hex'), 'encoded from the string');
});

t.test('too long: cut on a character boundary, NUL-terminated, never half a character', async (t) => {
  const base = decodeMessage(portStatus(field(Buffer.from('eth0')))) as Extract<OfpMessage, { type: 'port_status' }>;
  const withName = (name: string): Buffer => encodeMessage({ ...base, desc: { ...base.desc, name } });
  const cases: [string, string][] = [
    ['ポート名前が長すぎる', 'ポート名前'], // 30 bytes -> 5 characters, 15 bytes
    ['abcdefghijklm😀x', 'abcdefghijklm'], // the 4-byte emoji would straddle byte 15
    ['abcdefghijklmnopq', 'abcdefghijklmno'], // ASCII: 15 bytes and the NUL
    ['aé東京ポートです', 'aé東京ポー'], // 1 + 2 + 3*4 = 15 bytes
  ];
  for (const [name, kept] of cases) {
    const b = withName(name);
    t.equal(b.subarray(32, 48).toString('hex'), field(Buffer.from(kept, 'utf8')).toString('hex'), `${name} -> ${kept}`);
    t.equal(nameOf(decodeMessage(b)), kept, `${kept} decodes back`);
  }
  // Exactly 16 bytes fit as before (what a switch may send), with no NUL.
  const sixteen = 'abcdefghijklmnop';
  t.equal(withName(sixteen).subarray(32, 48).toString('latin1'), sixteen);
  t.equal(nameOf(decodeMessage(withName(sixteen))), sixteen);
});

t.test('bytes that are not UTF-8 still re-encode exactly', async (t) => {
  // "café" in Latin-1, then junk after the NUL.
  const bytes = portStatus(hex('636166e9 00 aabb 000000000000000000'));
  const m = decodeMessage(bytes);
  t.equal(nameOf(m), 'caf\ufffd', 'the undecodable byte shows as U+FFFD');
  t.equal(encodeMessage(m).toString('hex'), bytes.toString('hex'), 'encode(decode(x)) === x');
  t.equal(encodeMessage(messageFromJson(toJsonValue(m))).toString('hex'), bytes.toString('hex'), 'through JSON too');
  // A changed name is written as the new UTF-8 text, not as the kept bytes.
  const edited = { ...m, desc: { ...(m as Extract<OfpMessage, { type: 'port_status' }>).desc, name: 'café' } } as OfpMessage;
  t.equal(encodeMessage(edited).subarray(32, 48).toString('hex'), field(Buffer.from('café', 'utf8')).toString('hex'));
});

t.test('port_desc replies decode names the same way', async (t) => {
  const port = portStatus(field(Buffer.from('ポート1', 'utf8'))).subarray(16);
  const reply = Buffer.concat([hex('04 13 0050 00000002  000d 0000 00000000'), port]);
  t.equal(reply.length, 0x50);
  const m = decodeMessage(reply);
  t.match(m, { body: { type: 'port_desc', ports: [{ name: 'ポート1' }] } });
  t.equal(encodeMessage(m).toString('hex'), reply.toString('hex'));
});
