// Issue 15 item 2 on a real switch: the controller sets an OFPMF_PKTPS meter
// on OFPM_CONTROLLER when a switch comes up, and Open vSwitch (userspace
// datapath) then limits the packet-ins it sends: a flood from a namespace
// with a new source MAC per frame reaches the controller at about the
// meter's rate, the rest dropped at the switch (meter band counters).
import t from 'tap';
import { addHost, createBridge, inHost, missingTool, ofctl, ovsAvailable, pollUntil } from '../helpers/ovs.js';
import { ofPort, startController, switchesUp } from '../helpers/controller.js';

const skip = missingTool(await ovsAvailable());
const RATE = 200;
const SECONDS = 4;

// Raw frames from eth0 of the namespace: broadcast ARP-typed frames, a new source MAC each, as fast as Python sends.
const FLOOD = `
import socket, struct, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('eth0', 0))
end = time.time() + ${SECONDS}
n = 0
while time.time() < end:
    for _ in range(200):
        src = struct.pack('!HI', 0x025e, n & 0xffffffff)
        s.send(b'\\xff' * 6 + src + b'\\x08\\x06' + bytes(46))
        n += 1
print(n)
`;

t.test('the controller meter is installed and holds packet-ins near its rate', { skip, timeout: 90_000 }, async (t) => {
  // The controller's own budget far above the meter: what it sees is what the switch let through.
  const c = await startController({ apps: [], packetInMeter: RATE, packetInRate: 100_000 });
  t.teardown(() => c.stop());
  const br = await createBridge('pim', { controllerPort: ofPort(c) });
  await addHost(br.name, 'pim1', '10.77.0.1/24');
  await switchesUp(c, [br.dpid]);
  const meters = await pollUntil('the controller meter on the switch', async () => {
    const out = await ofctl(br.name, 'dump-meters');
    return /meter=controller pktps/.test(out) ? out : undefined;
  }, 10_000);
  t.match(meters, new RegExp(`type=drop rate=${RATE}\\b`), `dump-meters: ${meters.replace(/\s+/g, ' ').trim()}`);
  t.equal(c.packetInMeter.counters.installed, 1, 'counted as installed');

  const before = c.packets.counters.packetIns;
  const flood = await inHost('pim1', '/usr/bin/python3', '-c', FLOOD);
  const sent = Number(flood.stdout.trim());
  // Packet-ins still in flight when the flood ends: give the channel a moment to read them.
  await pollUntil('packet-ins settle', async () => {
    const a = c.packets.counters.packetIns;
    await new Promise((r) => setTimeout(r, 300)); // sampling interval of the settling check
    return c.packets.counters.packetIns === a || undefined;
  }, 10_000);
  const got = c.packets.counters.packetIns - before;
  const perSec = got / SECONDS;
  const stats = await ofctl(br.name, 'meter-stats');
  const dropped = Number(/bands:\s*0:\s*packet_count:(\d+)/.exec(stats.replace(/\s+/g, ' '))?.[1] ?? 0);
  t.comment(`sent ${sent} frames in ${SECONDS} s; controller received ${got} packet-ins (${perSec.toFixed(0)}/s, meter ${RATE}/s); meter-stats: ${stats.replace(/\s+/g, ' ').trim()}`);
  t.ok(sent > RATE * SECONDS * 5, `a flood: ${sent} frames, more than 5x what the meter lets through`);
  t.ok(perSec <= RATE * 1.5 + 50, `packet-ins at the controller ${perSec.toFixed(0)}/s stay near the meter rate ${RATE}/s`);
  t.ok(perSec >= RATE * 0.3, `and do reach it (${perSec.toFixed(0)}/s)`);
  t.ok(dropped > 0, `the switch's meter band dropped ${dropped}`);
  t.equal(c.server.totals().droppedPacketIns, 0, 'nothing had to be dropped at the controller');
});
