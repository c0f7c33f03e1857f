// Mininet for tests: the one client (mininet/client.ts, shared with the
// benchmarks) plus the availability check tests use, which also starts Open
// vSwitch.
//
//   const skip = missingTool(await mininetAvailable());
//   t.test('...', { skip }, async (t) => {
//     const net = await startMininet('linear,3', { controllerPort: port });
//     t.teardown(() => net.stop());
//     const { dropped_pct } = await net.pingAll();
//   });
import { mininetUsable, type Unavailable } from '../../mininet/client.js';
import { ovsAvailable } from './ovs.js';

export * from '../../mininet/client.js';

let availability: Promise<true | Unavailable> | undefined;

/** Root, Mininet under Debian's python, the driver, and a running Open vSwitch (cached per process). */
export function mininetAvailable(): Promise<true | Unavailable> {
  availability ??= (async (): Promise<true | Unavailable> => {
    const m = await mininetUsable();
    return m === true ? ovsAvailable() : m;
  })();
  return availability;
}
