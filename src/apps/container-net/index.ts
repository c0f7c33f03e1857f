import type { AppDefinition } from '../../core/apps/app-context.js';
import { CNET_EVENTS, ContainerNet } from './container-net.js';
import { routes } from './routes.js';

export const containerNetApp: AppDefinition<ContainerNet> = {
  name: 'container-net',
  description: 'Container networks on OVS: Docker network/IPAM plugin, REST attach, isolation in flows',
  events: CNET_EVENTS,
  routes,
  create: () => new ContainerNet(),
};
