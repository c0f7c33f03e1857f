// The controller's logger: pino, in one of two shapes. On a terminal a person
// reads it (pino-pretty: one coloured line per event); piped to a file or a
// collector it is JSON lines. Secrets never reach either: known fields are
// redacted by path, and any string that carries a private key or one of the
// configured API tokens is replaced wherever it sits.

import { pino, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import type { ChannelLog } from './openflow/channel/connection.js';

export type LogFormat = 'pretty' | 'json';
/** `auto`: pretty when stdout is a terminal, JSON otherwise. */
export type LogFormatChoice = LogFormat | 'auto';
export const LOG_FORMATS: readonly LogFormatChoice[] = ['auto', 'pretty', 'json'];

export interface LogOptions {
  readonly level?: string;
  readonly format?: LogFormatChoice;
  /** Strings never to print (API tokens); each occurrence becomes "[redacted]". */
  readonly secrets?: readonly string[];
  /** Where lines go (default stdout); with `format: 'auto'` its isTTY decides. */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Pretty output in colour (default: when the stream is a terminal). */
  readonly colorize?: boolean;
}

export const REDACTED = '[redacted]';

/** Field paths that hold secrets whatever their value looks like. */
export const REDACT_PATHS: readonly string[] = [
  'tls.key', '*.tls.key', 'config.of.tls.key', 'of.tls.key', 'key_pem', 'privateKey', '*.privateKey', 'passphrase', '*.passphrase',
  'token', 'tokens', '*.token', '*.tokens', 'http.tokens', 'config.http.tokens',
  'authorization', 'headers.authorization', 'req.headers.authorization', 'req.headers.cookie', 'headers.cookie',
];

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

/** `s` with private keys, bearer credentials and the given secrets replaced. */
export function scrub(s: string, secrets: readonly string[]): string {
  let out = s.replace(PRIVATE_KEY, REDACTED).replace(BEARER, `$1${REDACTED}`);
  for (const t of secrets) if (t !== '' && out.includes(t)) out = out.split(t).join(REDACTED);
  return out;
}

/** A copy of `v` with every string scrubbed; depth-limited (log objects are shallow; a cycle must not hang us). */
function scrubDeep(v: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof v === 'string') return scrub(v, secrets);
  if (depth > 6 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => scrubDeep(x, secrets, depth + 1));
  if (v instanceof Error) return { type: v.name, message: scrub(v.message, secrets), stack: v.stack && scrub(v.stack, secrets) };
  if (Buffer.isBuffer(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = scrubDeep(x, secrets, depth + 1);
  return out;
}

export function resolveFormat(choice: LogFormatChoice | undefined, stream: { isTTY?: boolean }): LogFormat {
  if (choice === 'pretty' || choice === 'json') return choice;
  return stream.isTTY === true ? 'pretty' : 'json';
}

/** The controller's root logger. */
export function createLog(o: LogOptions = {}): Logger {
  const stream = o.stream ?? process.stdout;
  const format = resolveFormat(o.format, stream);
  const secrets = (o.secrets ?? []).filter((s) => s.length > 0);
  const opts: LoggerOptions = {
    name: 'switchyard',
    level: o.level ?? 'info',
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    // Runs only for lines at an enabled level, after the path redaction.
    formatters: { log: (obj) => scrubDeep(obj, secrets) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        // The message text too: `log.info('connecting with ' + url)` must not leak a token.
        const out = args.map((a) => (typeof a === 'string' ? scrub(a, secrets) : a)) as typeof args;
        method.apply(this, out);
      },
    },
  };
  if (format === 'json') return pino(opts, stream);
  const prettyStream = pretty({
    destination: stream,
    colorize: o.colorize ?? stream.isTTY === true,
    // Synchronous: a crash must not lose the lines just before it.
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,name',
    singleLine: true,
  });
  return pino(opts, prettyStream);
}

/**
 * The channel's log as the controller wants it. A TCP connect that closes
 * before the OpenFlow handshake finished (Mininet and monitoring probe the
 * port this way) is not a switch: the channel reports it as "switch
 * connection closed" with wasUp false, which becomes one debug line here.
 */
export function openflowLog(log: Logger): ChannelLog {
  return {
    info(obj, msg) {
      const o = obj as { switch?: unknown; wasUp?: unknown; reason?: unknown };
      if (msg === 'switch connection closed' && o.wasUp === false) log.debug({ peer: o.switch, reason: o.reason }, 'connection closed before the OpenFlow handshake (a port probe?)');
      else log.info(obj, msg);
    },
    warn: (obj, msg) => log.warn(obj, msg),
    debug: (obj, msg) => log.debug(obj, msg),
  };
}
