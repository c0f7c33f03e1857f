import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingTool } from '../../helpers/ovs.js';
import { LldpProber, lldpFlowSpecs } from '../../../src/core/topology/lldp-probe.js';
import { ARP_REQUEST, buildArp, buildEthernet, buildLldp, ETHERTYPE_ARP, ETHERTYPE_LLDP, LLDP_MULTICAST } from '../../../src/packet/index.js';

const secret = Buffer.from('test secret, 32 bytes long......');
const prober = new LldpProber(secret);
const T0 = 1_000_000;
const probe = (): Buffer => prober.build({ dpid: 0x2an, port: 7, srcMac: '0a:2a:00:00:00:07', timestamp: T0, ttlSeconds: 15 });

/** TLVs by an independent walk of the bytes: [type, value][]. */
function tlvs(frame: Buffer): [number, Buffer][] {
  const out: [number, Buffer][] = [];
  for (let p = 14; p + 2 <= frame.length; ) {
    const h = frame.readUInt16BE(p);
    const v = frame.subarray(p + 2, p + 2 + (h & 0x1ff));
    out.push([h >> 9, v]);
    if (h >> 9 === 0) break;
    p += 2 + (h & 0x1ff);
  }
  return out;
}

t.test('a probe: LLDP multicast, ethertype 0x88cc, chassis = dpid, port id = port, our signed TLV', async (t) => {
  const f = probe();
  t.equal(f.subarray(0, 6).toString('hex'), '0180c200000e');
  t.equal(f.subarray(6, 12).toString('hex'), '0a2a00000007', 'source MAC is the port MAC');
  t.equal(f.readUInt16BE(12), 0x88cc);
  const list = tlvs(f);
  t.same(list.map(([ty]) => ty), [1, 2, 3, 127, 0]);
  t.equal(list[0]![1].toString('hex'), '07' + Buffer.from('dpid:000000000000002a').toString('hex'), 'chassis: locally assigned "dpid:..."');
  t.equal(list[1]![1].toString('hex'), '07' + Buffer.from('7').toString('hex'), 'port id: locally assigned, the port number as text');
  t.equal(list[2]![1].readUInt16BE(0), 15, 'TTL');
  const org = list[3]![1];
  t.equal(org.subarray(0, 4).toString('hex'), '0a535901', 'OUI 0a:53:59, subtype 1');
  t.equal(org.length, 4 + 8 + 4 + 8 + 16, 'dpid, port, timestamp, 16-byte HMAC');
});

t.test('read: our probe comes back with what was signed', async (t) => {
  t.same(prober.read(probe(), T0 + 100, 15_000), { kind: 'probe', dpid: 0x2an, port: 7, timestamp: T0 });
});

t.test('read: forged, altered, replayed and foreign frames make no probe', async (t) => {
  const other = new LldpProber(Buffer.from('another controller'));
  t.same(other.read(probe(), T0, 15_000), { kind: 'rejected', reason: 'bad_hmac' }, 'signed with another secret');
  const forged = other.build({ dpid: 0x2an, port: 7, srcMac: '0a:2a:00:00:00:07', timestamp: T0, ttlSeconds: 15 });
  t.same(prober.read(forged, T0, 15_000), { kind: 'rejected', reason: 'bad_hmac' }, 'a host forging a probe without our secret');

  const f = probe();
  const orgAt = f.indexOf(Buffer.from('0a535901', 'hex'));
  const portInBody = Buffer.from(f);
  portInBody[orgAt + 4 + 8 + 3] = 8;
  t.same(prober.read(portInBody, T0, 15_000), { kind: 'rejected', reason: 'bad_hmac' }, 'signed port changed');
  const macBit = Buffer.from(f);
  macBit[orgAt + 4 + 20] ^= 1;
  t.same(prober.read(macBit, T0, 15_000), { kind: 'rejected', reason: 'bad_hmac' }, 'one HMAC bit flipped');

  const chassis = Buffer.from(f);
  chassis[f.indexOf(Buffer.from('dpid:')) + 20] = 0x62; // ...2a -> ...2b in the readable chassis id only
  t.same(prober.read(chassis, T0, 15_000), { kind: 'rejected', reason: 'malformed' }, 'readable chassis disagrees with the signed dpid');

  t.same(prober.read(f, T0 + 15_001, 15_000), { kind: 'rejected', reason: 'stale' }, 'older than a link lives');
  t.same(prober.read(f, T0 - 101, 15_000), { kind: 'rejected', reason: 'stale' }, 'from the future (beyond the 100 ms a bumped send time may be ahead)');
  t.same(prober.read(f, T0 - 100, 15_000).kind, 'probe', 'a send time bumped to be unique is ahead by a few ms at most');

  const plainLldp = buildEthernet({
    dst: LLDP_MULTICAST,
    src: '02:00:00:00:00:99',
    ethertype: ETHERTYPE_LLDP,
    payload: buildLldp({ chassisId: { subtype: 4, value: '02:00:00:00:00:99' }, portId: { subtype: 5, value: 'eth0' }, ttl: 120 }),
  });
  t.same(prober.read(plainLldp, T0, 15_000), { kind: 'rejected', reason: 'not_ours' }, "a host's lldpd");
  t.same(prober.read(f.subarray(0, 20), T0, 15_000), { kind: 'rejected', reason: 'malformed' }, 'cut short');

  const arp = buildEthernet({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', ethertype: ETHERTYPE_ARP, payload: buildArp({ op: ARP_REQUEST, sha: '02:00:00:00:00:01', spa: '10.0.0.1', tpa: '10.0.0.2' }) });
  t.same(prober.read(arp, T0, 15_000), { kind: 'not_lldp' });
  t.same(prober.read(Buffer.alloc(5), T0, 15_000), { kind: 'not_lldp' }, 'runt');
});

t.test('lldpFlowSpecs: eth_type 0x88cc to the controller, unbuffered, above apps', async (t) => {
  t.same(lldpFlowSpecs(), [{ priority: 65000, match: [{ field: 'eth_type', value: 0x88cc }], actions: [{ type: 'output', port: 'controller', max_len: 'no_buffer' }] }]);
});

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// As root (CI) a missing tshark fails: scripts/test.sh installs it.
const tsharkSkip = missingTool(hasTshark() || 'tshark not found (Debian package tshark); skipping the LLDP oracle check');
t.test('tshark, a decoder we did not write, reads chassis, port and TTL from a probe', { skip: tsharkSkip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lldp-probe-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const f = probe();
  // pcap: global header (LINKTYPE_ETHERNET), one record header, the frame.
  const g = Buffer.alloc(24);
  g.writeUInt32LE(0xa1b2c3d4, 0);
  g.writeUInt16LE(2, 4);
  g.writeUInt16LE(4, 6);
  g.writeUInt32LE(65535, 16);
  g.writeUInt32LE(1, 20);
  const r = Buffer.alloc(16);
  r.writeUInt32LE(f.length, 8);
  r.writeUInt32LE(f.length, 12);
  const file = join(dir, 'probe.pcap');
  writeFileSync(file, Buffer.concat([g, r, f]));
  const out = execFileSync('tshark', ['-r', file, '-V'], { encoding: 'utf8' });
  t.match(out, /Chassis Subtype = Locally assigned, Id: dpid:000000000000002a/);
  t.match(out, /Port Subtype = Locally assigned, Id: 7\n/);
  t.match(out, /Time To Live = 15 sec/);
  t.match(out, /Organization Unique Code: 0a:53:59/);
  t.notMatch(out, /Malformed/);
  const expert = execFileSync('tshark', ['-r', file, '-q', '-z', 'expert,warn'], { encoding: 'utf8' });
  t.notMatch(expert, /Trailing stray|Warns \(/, 'no expert warning (a binary Port ID drew "Trailing stray characters")');
});
