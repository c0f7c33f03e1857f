import type { RouteModule } from '../routes/route.js';

// Being written (issue 4); registered in ryu/index.ts.
export const ofctlRestRoutes: RouteModule = () => {};
