import type { RouteModule } from '../routes/route.js';
import { ofctlRestRoutes } from './ofctl-rest.js';
import { restTopologyRoutes } from './rest-topology.js';

/** Ryu's ofctl_rest and rest_topology paths, at the root as Ryu serves them. */
export const RYU_ROUTES: readonly RouteModule[] = [ofctlRestRoutes, restTopologyRoutes];
