import { Registry, Histogram, collectDefaultMetrics } from 'prom-client';
import type { Controller } from '../controller.js';

/**
 * Prometheus metrics of one controller, in its own registry (several
 * controllers in one process, as in tests, do not mix).
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly latency: Histogram<'method' | 'route' | 'status'>;

  constructor(readonly ctl: Controller) {
    collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_process_' });
    this.latency = new Histogram({
      name: 'switchyard_rest_request_duration_seconds',
      help: 'REST request latency by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.latency.observe({ method, route, status: String(status) }, seconds);
  }
}
