// A WebSocket client for /api/v1/events in tests: collects messages and
// waits for the one a test needs (no sleeps).
import WebSocket from 'ws';

export interface StreamMessage {
  readonly seq: number;
  readonly time: number;
  readonly type: string;
  readonly data: any;
}

export interface EventClient {
  readonly ws: WebSocket;
  readonly messages: StreamMessage[];
  /** The first message (already received or to come) that satisfies `pred`. */
  next(pred: (m: StreamMessage) => boolean, what: string, ms?: number): Promise<StreamMessage>;
  /** Wait until `n` messages have arrived. */
  count(n: number, ms?: number): Promise<StreamMessage[]>;
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** `base` is http://host:port; path and query are appended. Rejects with the HTTP status when the upgrade is refused. */
export function openEvents(base: string, query = '', headers: Record<string, string> = {}): Promise<EventClient> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/events${query}`, { headers });
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as StreamMessage);
    for (const w of waiters) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const until = <T>(probe: () => T | undefined, what: string, ms: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const v = probe();
        if (v === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(v);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${ms} ms waiting for ${what} (got ${messages.length} messages: ${messages.slice(-5).map((m) => m.type).join(', ')})`));
      }, ms);
      waiters.add(check);
      check();
    });
  const client: EventClient = {
    ws,
    messages,
    next: (pred, what, ms = 5000) => until(() => messages.find(pred), what, ms),
    count: (n, ms = 5000) => until(() => (messages.length >= n ? messages.slice(0, n) : undefined), `${n} messages`, ms),
    closed,
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    // The socket is left open on purpose: the server must close a refused upgrade itself (socketClosed says it did).
    ws.once('unexpected-response', (req, res) => {
      const sock = req.socket;
      const socketClosed = new Promise<true>((r) => (sock === null || sock.destroyed ? r(true) : sock.once('close', () => r(true))));
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode} ${body}`), { status: res.statusCode, body, socketClosed })));
    });
    ws.once('error', reject);
  });
}
