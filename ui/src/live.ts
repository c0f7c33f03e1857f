// Keeps a TopologyModel live: snapshot, then the event stream from the
// snapshot's seq; a gap refetches the snapshot; a lost connection reports
// "reconnecting" (the page shows a banner) and tries again with backoff,
// resuming from the last seq it applied. The socket, fetch and timers are
// injected so tests run it without a browser or a server.
import { TopologyModel, type Change, type StreamEvent, type TopologySnapshot } from './model.js';

export interface SocketLike {
  onopen: (() => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: (() => void) | null;
  onerror: (() => void) | null;
  close(): void;
}

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export interface LiveDeps {
  fetchSnapshot(): Promise<TopologySnapshot>;
  openSocket(since: number): SocketLike;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(t: unknown): void;
  onChange(c: Change, model: TopologyModel): void;
  onStatus(s: LiveStatus, detail: string): void;
  /**
   * Refetch the snapshot this often while live: a host gains an address
   * without an event, and apps' sections change with their own events.
   */
  readonly refreshMs?: number;
}

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];

export class LiveTopology {
  readonly model = new TopologyModel();
  status: LiveStatus = 'connecting';
  private socket: SocketLike | null = null;
  private attempt = 0;
  private retry: unknown = null;
  private refetchTimer: unknown = null;
  private fetching: Promise<void> | null = null;
  private stopped = false;
  /** How many snapshots were fetched (tests and the page's status line read it). */
  snapshots = 0;

  constructor(private readonly deps: LiveDeps) {}

  start(): Promise<void> {
    return this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry !== null) this.deps.clearTimer(this.retry);
    if (this.refetchTimer !== null) this.deps.clearTimer(this.refetchTimer);
    if (this.periodic !== null) this.deps.clearTimer(this.periodic);
    this.socket?.close();
    this.socket = null;
  }

  private setStatus(s: LiveStatus, detail: string): void {
    this.status = s;
    this.deps.onStatus(s, detail);
  }

  private async connect(): Promise<void> {
    try {
      await this.refetch();
    } catch (e) {
      this.scheduleReconnect(`could not load the topology: ${String(e)}`);
      return;
    }
    if (this.stopped) return;
    const s = this.deps.openSocket(this.model.seq);
    this.socket = s;
    s.onopen = () => {
      this.attempt = 0;
      this.setStatus('live', `live from event ${this.model.seq}`);
      this.schedulePeriodic();
    };
    s.onmessage = (ev) => this.onMessage(ev.data);
    s.onerror = () => s.close();
    s.onclose = () => {
      if (this.socket !== s) return;
      this.socket = null;
      if (!this.stopped) this.scheduleReconnect('lost the connection to the controller');
    };
  }

  private scheduleReconnect(why: string): void {
    if (this.stopped || this.retry !== null) return;
    const ms = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt++;
    this.setStatus('reconnecting', `${why}; retrying in ${Math.round(ms / 100) / 10} s`);
    this.retry = this.deps.setTimer(() => {
      this.retry = null;
      void this.connect();
    }, ms);
  }

  /** One snapshot at a time; a second ask while one is in flight shares it. */
  refetch(): Promise<void> {
    this.fetching ??= (async () => {
      try {
        const snap = await this.deps.fetchSnapshot();
        this.snapshots++;
        this.deps.onChange(this.model.applySnapshot(snap), this.model);
      } finally {
        this.fetching = null;
      }
    })();
    return this.fetching;
  }

  private onMessage(data: unknown): void {
    let e: StreamEvent;
    try {
      e = JSON.parse(String(data)) as StreamEvent;
    } catch {
      return;
    }
    const c = this.model.apply(e);
    if (c.structure || c.stats) this.deps.onChange(c, this.model);
    if (c.refetch === 'gap') void this.refetch().catch(() => this.socket?.close());
    else if (c.refetch) this.refetchSoon();
  }

  private periodic: unknown = null;

  private schedulePeriodic(): void {
    const ms = this.deps.refreshMs;
    if (ms === undefined || this.periodic !== null || this.stopped) return;
    this.periodic = this.deps.setTimer(() => {
      this.periodic = null;
      if (this.socket === null || this.stopped) return;
      void this.refetch().catch(() => {}).finally(() => this.schedulePeriodic());
    }, ms);
  }

  /** Switch-up and app events: one snapshot a little later covers a burst of them. */
  private refetchSoon(): void {
    if (this.refetchTimer !== null) return;
    this.refetchTimer = this.deps.setTimer(() => {
      this.refetchTimer = null;
      void this.refetch().catch(() => this.socket?.close());
    }, 300);
  }
}
