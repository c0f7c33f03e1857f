// The storm's switch and generator in a worker thread: writing as fast as
// the socket drains keeps an event loop busy, and the REST probe measuring
// the controller must not wait behind it. Messages: in {port, macs, dpid, rate?};
// out 'up' once connected, then {sent} after 'stop'.
import { parentPort, workerData } from 'node:worker_threads';
import { EmulatedSwitch } from './emulated-switch.js';
import { startStorm } from './packet-in-storm.js';

const { port, macs, dpid, rate } = workerData as { port: number; macs: number; dpid: string; rate?: number };
const sw = new EmulatedSwitch({ dpid: BigInt(dpid), ports: 4 });
await sw.connect(port);
parentPort!.postMessage({ kind: 'connected' });
parentPort!.on('message', (m: { kind: string }) => {
  if (m.kind === 'start') {
    const storm = startStorm(sw.socket!, { macs, inPort: 1, ...(rate ? { rate } : {}) });
    parentPort!.once('message', () => {
      void storm.stop().then(() => parentPort!.postMessage({ kind: 'stopped', sent: storm.sent() }));
    });
  } else if (m.kind === 'close') {
    sw.close();
    parentPort!.close();
  }
});
