// Which events the log shows, at what level, and in what words: one place,
// one exhaustive switch, so a new core event type does not compile until it
// has a line here.
//
// Events that come in bursts (a reconnecting network moves every host and
// flaps every link within a second or two) are rate-limited per type: the
// first `burst` of a window are logged one by one, the rest are counted and
// summarised in one line when the window ends. Nothing is lost: every event
// is still on the bus and the event stream.

import type { Clock, TimerHandle } from './clock.js';
import { CORE_EVENT_TYPES, type AnyCoreEvent, type CoreEvent, type CoreOwnedEventType, type EventBus, type HostEventData } from './events.js';

export type EventLogLevel = 'warn' | 'info' | 'debug';

/** What logs events: pino's Logger fits. */
export interface EventLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** How one event is logged; `off` ones are not logged at all. */
export type EventLine =
  | { readonly level: EventLogLevel; readonly msg: string; readonly limited: boolean; readonly fields?: object }
  | { readonly level: 'off' };

type CoreOwnedEvent = { [K in CoreOwnedEventType]: CoreEvent<K> }[CoreOwnedEventType];

const at = (dpid: string, port: number): string => `${dpid}/${port}`;
const hostText = (h: HostEventData): string => `${h.mac}${h.ipv4.length ? ` (${h.ipv4.join(', ')})` : ''}`;

/** The line for a core event. */
export function coreEventLine(e: CoreOwnedEvent): EventLine {
  switch (e.type) {
    // The channel already logs "switch up" and "switch connection closed" with the peer.
    case 'switch.up':
    case 'switch.down':
      return { level: 'debug', msg: e.type, limited: false };
    case 'port.added':
    case 'port.modified':
    case 'port.removed':
      return { level: 'debug', msg: `${e.type} ${at(e.data.dpid, e.data.port_no)}`, limited: true };
    case 'link.up':
      return { level: 'info', msg: `link up ${at(e.data.src.dpid, e.data.src.port_no)} -> ${at(e.data.dst.dpid, e.data.dst.port_no)}`, limited: true };
    case 'link.down':
      return { level: 'info', msg: `link down ${at(e.data.src.dpid, e.data.src.port_no)} -> ${at(e.data.dst.dpid, e.data.dst.port_no)} (${e.data.reason})`, limited: true };
    case 'host.added':
      return { level: 'info', msg: `host added ${hostText(e.data)} at ${at(e.data.dpid, e.data.port_no)}`, limited: true };
    case 'host.moved':
      return { level: 'info', msg: `host moved ${hostText(e.data)} ${at(e.data.from.dpid, e.data.from.port_no)} -> ${at(e.data.dpid, e.data.port_no)}`, limited: true };
    case 'host.updated':
      return { level: 'info', msg: `host ${e.data.change} ${hostText(e.data)} at ${at(e.data.dpid, e.data.port_no)}`, limited: true };
    case 'host.removed':
      return { level: 'info', msg: `host removed ${hostText(e.data)}`, limited: true };
    case 'flow.removed':
      return { level: 'debug', msg: `flow removed on ${e.data.dpid} (${e.data.reason})`, limited: true };
    case 'flow.error':
      return { level: 'warn', msg: `switch ${e.data.dpid} refused a flow of ${e.data.owner ?? 'unknown owner'}: ${e.data.hint}`, limited: true };
    case 'port.claimed':
    case 'port.released':
      return { level: 'info', msg: `${e.type} by ${e.data.owner} on ${e.data.dpid}`, limited: false };
    case 'app.enabled':
    case 'app.disabled':
      return { level: 'info', msg: `${e.type} ${e.data.name}`, limited: false };
    // The CLI prints where it listens once everything is up.
    case 'openflow.listening':
      return { level: 'debug', msg: e.type, limited: false };
    case 'cluster.role':
      return { level: 'info', msg: `role on ${e.data.dpid}: ${e.data.previous} -> ${e.data.role} (generation ${e.data.generation ?? 'none'}, master ${e.data.master ?? 'none'})`, limited: true };
    case 'cluster.member':
      return { level: 'info', msg: `cluster member ${e.data.node_id} ${e.data.change}`, limited: false };
    // The coordinator logs reachability itself, with the reason.
    case 'cluster.etcd':
      return { level: 'debug', msg: `etcd ${e.data.reachable ? 'reachable' : 'unreachable'}`, limited: false };
    // Every switch every stats interval: the metrics endpoint is the place for it.
    case 'stats.ports':
      return { level: 'off' };
    default: {
      const unhandled: never = e;
      return unhandled;
    }
  }
}

const CORE = new Set<string>(CORE_EVENT_TYPES);

/** Keys pino writes itself: an event field of that name (a port's or an app's `name`) would shadow it in the JSON. */
const RESERVED = new Set(['name', 'msg', 'level', 'time', 'pid', 'hostname']);

function unreserved(data: object): object {
  if (!Object.keys(data).some((k) => RESERVED.has(k))) return data;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [RESERVED.has(k) ? `event_${k}` : k, v]));
}

/** The line for any event: apps' own types at debug, rate-limited. */
export function eventLine(e: AnyCoreEvent): EventLine {
  if (CORE.has(e.type)) return coreEventLine(e as CoreOwnedEvent);
  return { level: 'debug', msg: e.type, limited: true };
}

export interface EventLogOptions {
  readonly clock: Clock;
  readonly log: EventLogger;
  /** Length of a rate-limit window (default 2000 ms). */
  readonly windowMs?: number;
  /** Lines per type per window logged one by one (default 5). */
  readonly burst?: number;
}

interface Window {
  logged: number;
  suppressed: number;
  level: EventLogLevel;
  timer: TimerHandle | undefined;
  /** The first few suppressed events' messages, so the summary says what kind of thing happened. */
  samples: string[];
}

/** Log the bus's events as eventLine says; returns the unsubscribe (which also flushes pending summaries). */
export function logEvents(events: EventBus, o: EventLogOptions): () => void {
  const windowMs = o.windowMs ?? 2000;
  const burst = o.burst ?? 5;
  const windows = new Map<string, Window>();
  const write = (level: EventLogLevel, obj: object, msg: string): void => o.log[level](obj, msg);

  const flush = (type: string): void => {
    const w = windows.get(type);
    if (!w) return;
    windows.delete(type);
    o.clock.clearTimeout(w.timer);
    if (w.suppressed > 0) {
      write(w.level, { event: type, suppressed: w.suppressed, window_ms: windowMs, examples: w.samples }, `${type}: ${w.suppressed} more in the last ${windowMs / 1000} s, not logged one by one`);
    }
  };

  const unsubscribe = events.subscribe((e) => {
    const line = eventLine(e);
    if (line.level === 'off') return;
    const obj = { event: e.type, seq: e.seq, ...unreserved(line.fields ?? e.data) };
    if (!line.limited) {
      write(line.level, obj, line.msg);
      return;
    }
    let w = windows.get(e.type);
    if (!w) {
      w = { logged: 0, suppressed: 0, level: line.level, timer: undefined, samples: [] };
      windows.set(e.type, w);
      w.timer = o.clock.setTimeout(() => flush(e.type), windowMs);
    }
    if (w.logged < burst) {
      w.logged++;
      write(line.level, obj, line.msg);
    } else {
      w.suppressed++;
      if (w.samples.length < 3) w.samples.push(line.msg);
    }
  });

  return () => {
    unsubscribe();
    for (const type of [...windows.keys()]) flush(type);
  };
}
