import type { RouteModule } from './route.js';
import { healthRoutes } from './health.js';
import { switchRoutes } from './switches.js';
import { flowRoutes } from './flows.js';
import { groupRoutes } from './groups.js';
import { meterRoutes } from './meters.js';
import { statsRoutes } from './stats.js';
import { topologyRoutes } from './topology.js';
import { hostRoutes } from './hosts.js';
import { pathRoutes } from './paths.js';
import { packetOutRoutes } from './packet-out.js';
import { appRoutes } from './apps.js';
import { eventRoutes } from './events.js';
import { metricsRoutes } from './metrics.js';
import { traceRoutes } from './trace.js';
import { clusterRoutes } from './cluster.js';

/** Every /api/v1 resource, one module each. */
export const ROUTES: readonly RouteModule[] = [
  healthRoutes, switchRoutes, flowRoutes, groupRoutes, meterRoutes, statsRoutes, topologyRoutes,
  hostRoutes, pathRoutes, packetOutRoutes, appRoutes, eventRoutes, metricsRoutes, traceRoutes, clusterRoutes,
];
