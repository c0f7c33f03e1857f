import type { RouteModule } from './route.js';

// Being written (issue 4); registered in routes/index.ts.
export const meterRoutes: RouteModule = () => {};
