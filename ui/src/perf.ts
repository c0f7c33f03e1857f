// Frame times while the page works: a requestAnimationFrame loop the
// performance test starts and stops through window.__switchyard.perf.

export interface FrameReport {
  readonly frames: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly mean: number;
}

export class FrameMonitor {
  private times: number[] = [];
  private last = 0;
  private running = false;

  start(): void {
    this.times = [];
    this.running = true;
    this.last = performance.now();
    const tick = (now: number): void => {
      if (!this.running) return;
      this.times.push(now - this.last);
      this.last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  stop(): FrameReport {
    this.running = false;
    const s = [...this.times].sort((a, b) => a - b);
    const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
    const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0;
    return { frames: s.length, p50: q(0.5), p95: q(0.95), max: s[s.length - 1] ?? 0, mean };
  }
}
