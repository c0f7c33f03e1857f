import type { WebSocket } from 'ws';
import type { AnyCoreEvent, CoreEventType, EventBus } from '../core/events.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { EventFilter } from './event-filter.js';

export interface EventStreamOptions {
  /** Bytes a client may have outstanding (waiting here plus buffered in its socket) before it is dropped. */
  readonly maxQueuedBytes: number;
  /** Messages go to the socket only while it buffers less than this; the rest wait here, counted against maxQueuedBytes. */
  readonly highWaterBytes: number;
  /** A ping this often; a client that has not answered the previous one is gone (half-open TCP). */
  readonly pingIntervalMs: number;
  /** How long a dropped client's close handshake may take before its socket is destroyed. */
  readonly closeGraceMs: number;
}

export const defaultEventStreamOptions: EventStreamOptions = {
  maxQueuedBytes: 1024 * 1024,
  highWaterBytes: 64 * 1024,
  pingIntervalMs: 30_000,
  closeGraceMs: 5_000,
};

export interface EventStreamLog {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface Subscription {
  readonly filter: EventFilter;
  /** Resume after this sequence number (replayed from the bus's ring). */
  readonly since: number | undefined;
}

/** What the stream reports to /metrics. */
export interface EventStreamStats {
  readonly clients: number;
  readonly dropped: number;
  readonly messages: number;
}

/** The stream's own message: the client asked to resume from a sequence number the ring no longer holds (or never did). */
export interface GapMessage {
  readonly seq: number;
  readonly time: number;
  readonly type: 'stream.gap';
  readonly data: { readonly from: number; readonly oldest: number; readonly latest: number; readonly reason: 'evicted' | 'ahead' };
}

/**
 * The WebSocket event stream's fan-out: one subscription to the bus, each
 * event serialised once however many clients want it, and per client a
 * bounded queue. Nothing here ever waits for a client: one that falls more
 * than maxQueuedBytes behind is closed with 1008 "too slow".
 */
export class EventStream {
  private readonly clients = new Set<StreamClient>();
  private readonly unsubscribe: () => void;
  private readonly pinger: TimerHandle;
  private nextId = 1;
  dropped = 0;
  messages = 0;

  constructor(
    private readonly bus: EventBus,
    readonly clock: Clock,
    readonly log: EventStreamLog,
    readonly opts: EventStreamOptions = defaultEventStreamOptions,
  ) {
    this.unsubscribe = bus.subscribe((e) => this.publish(e));
    this.pinger = clock.setInterval(() => this.ping(), opts.pingIntervalMs);
  }

  get size(): number {
    return this.clients.size;
  }
  /**
   * Start streaming to a socket that just opened. The ring is read and the
   * client added in the same synchronous step, so no event falls between
   * the replay and the live stream and none comes twice.
   */
  attach(ws: WebSocket, sub: Subscription): void {
    const client = new StreamClient(this.nextId++, ws, sub.filter, this);
    if (sub.since !== undefined) {
      const latest = this.bus.seq;
      const oldest = this.bus.oldest;
      // Ahead: a sequence number from an earlier run of the controller (seq restarts at 0 with it).
      const ahead = sub.since > latest;
      let backlog = this.bus.since(sub.since);
      if (backlog === undefined || ahead) {
        const gap: GapMessage = { seq: oldest - 1, time: this.clock.now(), type: 'stream.gap', data: { from: sub.since, oldest, latest, reason: ahead ? 'ahead' : 'evicted' } };
        client.push(JSON.stringify(gap));
        backlog = this.bus.since(oldest - 1) ?? [];
      }
      client.replay(backlog);
    }
    this.clients.add(client);
    ws.on('close', () => this.detach(client));
    ws.on('pong', () => {
      client.alive = true;
    });
    this.log.debug({ client: client.id, types: [...sub.filter], since: sub.since ?? null, clients: this.clients.size }, 'event stream client connected');
  }

  get(): EventStreamStats {
    return { clients: this.clients.size, dropped: this.dropped, messages: this.messages };
  }

  /** Stop: every client's socket is destroyed (their close handshakes are not waited for). */
  close(): void {
    this.unsubscribe();
    this.clock.clearInterval(this.pinger);
    for (const c of this.clients) c.terminate();
    this.clients.clear();
  }

  /** @internal: a client fell too far behind. */
  drop(c: StreamClient, outstanding: number): void {
    this.dropped++;
    this.clients.delete(c);
    this.log.info({ client: c.id, outstanding, limit: this.opts.maxQueuedBytes }, 'event stream client too slow; closing it');
  }

  private detach(c: StreamClient): void {
    c.closed = true;
    if (this.clients.delete(c)) this.log.debug({ client: c.id, clients: this.clients.size }, 'event stream client left');
  }

  private publish(e: AnyCoreEvent): void {
    if (this.clients.size === 0) return;
    let text: string | undefined;
    for (const c of this.clients) if (c.wants(e.type)) c.push((text ??= JSON.stringify(e)));
  }

  private ping(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        this.log.debug({ client: c.id }, 'event stream client did not answer a ping; closing it');
        this.clients.delete(c);
        c.terminate();
        continue;
      }
      c.alive = false;
      c.ping();
    }
  }
}

/**
 * One connected client: replay backlog first, then live messages, paced by
 * the socket's buffer. The backlog is a cursor into the bus's ring, not
 * copies, so a long replay costs no extra memory and is not counted
 * against the client; live messages that pile up during it are.
 */
class StreamClient {
  alive = true;
  closed = false;
  private backlog: readonly AnyCoreEvent[] = [];
  private next = 0;
  private readonly queue: string[] = [];
  private head = 0;
  private queuedBytes = 0;
  /** A send callback will resume pumping once the socket has flushed. */
  private waiting = false;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    private readonly filter: EventFilter,
    private readonly hub: EventStream,
  ) {}

  wants(type: CoreEventType): boolean {
    return this.filter.has(type);
  }

  replay(events: readonly AnyCoreEvent[]): void {
    this.backlog = events;
    this.next = 0;
    this.pump();
  }

  push(text: string): void {
    if (this.closed) return;
    // The common case: nothing waiting and room in the socket. String length stands in for bytes (JSON here is ASCII but for names).
    if (!this.waiting && this.head === this.queue.length && this.next >= this.backlog.length && this.ws.bufferedAmount + text.length < this.hub.opts.highWaterBytes) {
      this.send(text);
      return;
    }
    this.queue.push(text);
    this.queuedBytes += text.length;
    const outstanding = this.queuedBytes + this.ws.bufferedAmount;
    if (outstanding > this.hub.opts.maxQueuedBytes) {
      this.tooSlow(outstanding);
      return;
    }
    this.pump();
  }

  ping(): void {
    if (!this.closed) this.ws.ping();
  }

  terminate(): void {
    this.closed = true;
    this.clear();
    this.ws.terminate();
  }

  private pump(): void {
    while (!this.closed && !this.waiting) {
      const text = this.take();
      if (text === undefined) return;
      if (this.ws.bufferedAmount + text.length >= this.hub.opts.highWaterBytes) {
        // The socket is filling: this message's write completing means everything before it left too.
        this.waiting = true;
        this.send(text, () => {
          this.waiting = false;
          this.pump();
        });
        return;
      }
      this.send(text);
    }
  }

  private take(): string | undefined {
    while (this.next < this.backlog.length) {
      const e = this.backlog[this.next++]!;
      if (this.filter.has(e.type)) return JSON.stringify(e);
    }
    if (this.backlog.length > 0) this.backlog = [];
    if (this.head === this.queue.length) return undefined;
    const text = this.queue[this.head]!;
    this.queue[this.head++] = '';
    this.queuedBytes -= text.length;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    return text;
  }

  private send(text: string, done?: () => void): void {
    this.hub.messages++;
    if (done) this.ws.send(text, done);
    else this.ws.send(text);
  }

  private tooSlow(outstanding: number): void {
    this.closed = true;
    this.clear();
    this.hub.drop(this, outstanding);
    // 1008 (policy violation) with a reason the client can show; the frame queues behind what the socket already holds.
    this.ws.close(1008, 'too slow');
    const timer = this.hub.clock.setTimeout(() => this.ws.terminate(), this.hub.opts.closeGraceMs);
    this.ws.once('close', () => this.hub.clock.clearTimeout(timer));
  }

  private clear(): void {
    this.queue.length = 0;
    this.head = 0;
    this.queuedBytes = 0;
    this.backlog = [];
  }
}
