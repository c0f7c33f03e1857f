import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LOG_FORMATS, type LogFormatChoice } from './log.js';
import { ClusterConfigError, parseCluster, type ClusterConfig } from './cluster-config.js';

export type { ClusterConfig } from './cluster-config.js';

/** Everything `switchyard start` can be told, by flag or config file (flags win). */
export interface ControllerConfig {
  readonly of: { readonly port: number; readonly address: string; readonly tls?: { readonly key: string; readonly cert: string; readonly ca?: string } };
  /** REST and event stream; port -1 turns them off. Tokens guard mutating calls (and reads unless openReads). */
  readonly http: { readonly port: number; readonly address: string; readonly tokens?: readonly string[]; readonly openReads?: boolean; readonly bodyLimit?: number };
  readonly apps: readonly string[];
  readonly echoIntervalMs: number;
  readonly deadAfterMs: number;
  /** A switch must finish HELLO..FEATURES..DESC within this; a started frame must be whole within frameTimeoutMs. */
  readonly handshakeTimeoutMs: number;
  readonly frameTimeoutMs: number;
  /** Connections open but not yet identified beyond this are refused (slow-loris cap). */
  readonly maxPendingSwitches: number;
  readonly missSendLen: number | 'no_buffer';
  readonly statsIntervalMs: number;
  readonly lldpIntervalMs: number;
  readonly hostIdleMs: number;
  /** A host whose switch left is kept (marked detached) this long, then forgotten. */
  readonly hostDetachedMs: number;
  /** Packet-in storm limits (issue 15 item 2): packet-ins accepted per switch per second (the rest dropped, counted). */
  readonly packetInRate: number;
  /** OFPMF_PKTPS rate of the controller meter installed on switches with meters; 0 = none installed. */
  readonly packetInMeter: number;
  readonly maxHostsPerSwitch: number;
  readonly maxHosts: number;
  /** Flow batches waiting for their barrier, per switch and in all, before the oldest is given up. */
  readonly maxPendingFlowsPerSwitch: number;
  readonly maxPendingFlows: number;
  readonly stateDir: string;
  readonly logLevel: string;
  /** pretty (for people), json (for machines), or auto: pretty on a terminal. */
  readonly logFormat: LogFormatChoice;
  /** Per-app settings, by app name. */
  readonly appConfig: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Set with --cluster: the state lives on etcd (not in stateDir) and switches' roles are elected there. */
  readonly cluster?: ClusterConfig;
}

export const DEFAULT_APPS: readonly string[] = ['l2-switch', 'container-net'];

export const defaults: ControllerConfig = {
  of: { port: 6653, address: '0.0.0.0' },
  http: { port: 8080, address: '127.0.0.1', tokens: [], openReads: false, bodyLimit: 1_048_576 },
  apps: DEFAULT_APPS,
  echoIntervalMs: 5000,
  deadAfterMs: 15000,
  handshakeTimeoutMs: 10000,
  frameTimeoutMs: 10000,
  maxPendingSwitches: 256,
  missSendLen: 'no_buffer',
  statsIntervalMs: 10000,
  lldpIntervalMs: 5000,
  hostIdleMs: 300000,
  hostDetachedMs: 60000,
  packetInRate: 500,
  packetInMeter: 500,
  maxHostsPerSwitch: 4096,
  maxHosts: 16384,
  maxPendingFlowsPerSwitch: 1024,
  maxPendingFlows: 8192,
  stateDir: '.switchyard',
  logLevel: 'info',
  logFormat: 'auto',
  appConfig: {},
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function port(v: string | number | undefined, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${what} must be a TCP port (0-65535), got ${String(v)}`);
  return n;
}
function ms(v: string | number | undefined, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${what} must be a positive number of milliseconds, got ${String(v)}`);
  return n;
}

function count(v: string | number | undefined, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${what} must be a whole number >= 1, got ${String(v)}`);
  return n;
}

const OPTIONS = {
  config: { type: 'string' },
  'of-port': { type: 'string' },
  'of-address': { type: 'string' },
  'http-port': { type: 'string' },
  'http-address': { type: 'string' },
  'api-token-file': { type: 'string' },
  'open-reads': { type: 'boolean' },
  'body-limit': { type: 'string' },
  apps: { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-ca': { type: 'string' },
  'echo-interval': { type: 'string' },
  'dead-after': { type: 'string' },
  'handshake-timeout': { type: 'string' },
  'frame-timeout': { type: 'string' },
  'max-pending-switches': { type: 'string' },
  'miss-send-len': { type: 'string' },
  'stats-interval': { type: 'string' },
  'lldp-interval': { type: 'string' },
  'host-idle': { type: 'string' },
  'host-detached': { type: 'string' },
  'packet-in-rate': { type: 'string' },
  'packet-in-meter': { type: 'string' },
  'max-hosts-per-switch': { type: 'string' },
  'max-hosts': { type: 'string' },
  'max-pending-flows-per-switch': { type: 'string' },
  'max-pending-flows': { type: 'string' },
  'state-dir': { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  cluster: { type: 'string' },
  'node-id': { type: 'string' },
  'cluster-ca': { type: 'string' },
  'cluster-cert': { type: 'string' },
  'cluster-key': { type: 'string' },
} as const;

export const START_USAGE = `switchyard start [options]
  --of-port N            OpenFlow port (default 6653; 6633 also works)
  --of-address A         OpenFlow listen address (default 0.0.0.0)
  --http-port N          REST port (default 8080)
  --http-address A       REST listen address (default 127.0.0.1)
  --api-token-file F     bearer tokens, one per line (or env SWITCHYARD_API_TOKENS=a,b);
                         with tokens, every mutating call and the event stream need one
  --open-reads           with tokens set, let GET requests through without one
  --body-limit BYTES     largest REST request body (default 1048576)
  --apps a,b             apps to enable (default ${DEFAULT_APPS.join(',')}; "" for none)
  --tls-key F --tls-cert F [--tls-ca F]   OpenFlow over TLS (mutual with --tls-ca)
  --echo-interval MS --dead-after MS      keepalive (default 5000 / 15000)
  --handshake-timeout MS --frame-timeout MS   a switch must finish the handshake, and each
                         frame it starts, within these (default 10000 / 10000)
  --max-pending-switches N   connections not yet identified before new ones are refused (default 256)
  --miss-send-len N|no_buffer             table-miss bytes sent up (default no_buffer)
  --stats-interval MS --lldp-interval MS --host-idle MS
  --host-detached MS     keep a host whose switch left this long, marked detached (default 60000)
  --packet-in-rate N     packet-ins accepted per switch per second; the rest are dropped
                         before decoding and counted (default 500)
  --packet-in-meter N|off   on switches with meters, an OFPMF_PKTPS meter on OFPM_CONTROLLER
                         limits packet-ins to N/s at the switch (default 500; off: none)
  --max-hosts-per-switch N --max-hosts N   hosts tracked per switch / in all; the least
                         recently seen is evicted for a new one (default 4096 / 16384)
  --max-pending-flows-per-switch N --max-pending-flows N   flow batches waiting for their
                         barrier; the oldest is given up (default 1024 / 8192)
  --state-dir DIR        where user-created state is kept (default .switchyard)
  --log-level L          pino level (default info)
  --log-format F         pretty | json | auto (default auto: pretty on a terminal, JSON when piped)
  --cluster etcd://HOST:PORT[,HOST:PORT...][/PREFIX]   join a cluster: state on etcd (instead of
                         --state-dir), each switch's master elected there; needs --node-id
  --node-id NAME         this instance's name in the cluster (unique, stable across restarts)
  --cluster-ca F [--cluster-cert F --cluster-key F]   TLS to etcd (with etcds://)
  --config FILE          JSON file with the same settings (camelCase keys); flags win`;

/** Tokens from a file (one per line, # comments) or SWITCHYARD_API_TOKENS; never from argv, where `ps` would show them. */
function readTokens(file: string | undefined): string[] {
  let text = process.env.SWITCHYARD_API_TOKENS?.replaceAll(',', '\n') ?? '';
  if (file !== undefined) {
    try {
      text += '\n' + readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read API token file ${file}: ${(e as Error).message}`);
    }
  }
  const tokens = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  for (const t of tokens) if (t.length < 16 || /\s/.test(t)) throw new ConfigError('API tokens must be at least 16 characters without spaces');
  return tokens;
}

/** `off` (or 0) installs no meter; else packets per second. */
function meterRate(v: string | number | undefined): number {
  if (v === undefined) return defaults.packetInMeter;
  if (v === 'off') return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`--packet-in-meter must be a whole number of packets per second, or off; got ${String(v)}`);
  return n;
}

function logFormat(v: string | number | undefined): LogFormatChoice {
  if (v === undefined) return defaults.logFormat;
  const choice = LOG_FORMATS.find((x) => x === v);
  if (choice === undefined) throw new ConfigError(`--log-format must be one of ${LOG_FORMATS.join(', ')}, got ${String(v)}`);
  return choice;
}

function bodyLimit(v: string | number | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1024) throw new ConfigError(`--body-limit must be a number of bytes >= 1024, got ${String(v)}`);
  return n;
}

function clusterOf(
  url: string | undefined,
  nodeId: string | undefined,
  files: { ca: string | undefined; cert: string | undefined; key: string | undefined },
  readPem: (p: string, what: string) => string,
): ClusterConfig | undefined {
  if (url === undefined) {
    if (nodeId !== undefined) throw new ConfigError('--node-id names this instance in a cluster: give --cluster etcd://HOST:PORT too');
    if (files.ca ?? files.cert ?? files.key) throw new ConfigError('--cluster-ca/--cluster-cert/--cluster-key need --cluster');
    return undefined;
  }
  if (files.ca === undefined && (files.cert ?? files.key) !== undefined) throw new ConfigError('--cluster-cert/--cluster-key need --cluster-ca too');
  const tls = files.ca === undefined ? undefined : {
    ca: readPem(files.ca, 'etcd CA'),
    ...(files.cert !== undefined ? { cert: readPem(files.cert, 'etcd client certificate') } : {}),
    ...(files.key !== undefined ? { key: readPem(files.key, 'etcd client key') } : {}),
  };
  try {
    return parseCluster(url, nodeId, tls);
  } catch (e) {
    if (e instanceof ClusterConfigError) throw new ConfigError(e.message);
    throw e;
  }
}

/** Parse `switchyard start` arguments (and the config file they name). Throws ConfigError. */
export function parseStartArgs(args: readonly string[]): ControllerConfig {
  let values: Partial<Record<Exclude<keyof typeof OPTIONS, 'open-reads'>, string>> & { 'open-reads'?: boolean };
  try {
    values = parseArgs({ args: [...args], options: OPTIONS, strict: true }).values;
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  let file: Record<string, unknown> = {};
  if (values.config !== undefined) {
    try {
      file = JSON.parse(readFileSync(values.config, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(`cannot read config file ${values.config}: ${(e as Error).message}`);
    }
  }
  const f = (k: string): string | number | undefined => {
    const v = file[k];
    return typeof v === 'string' || typeof v === 'number' ? v : undefined;
  };
  const tlsKey = values['tls-key'] ?? (f('tlsKey') as string | undefined);
  const tlsCert = values['tls-cert'] ?? (f('tlsCert') as string | undefined);
  const tlsCa = values['tls-ca'] ?? (f('tlsCa') as string | undefined);
  if ((tlsKey === undefined) !== (tlsCert === undefined)) throw new ConfigError('TLS needs both --tls-key and --tls-cert');
  const readPem = (p: string, what: string): string => {
    try {
      return readFileSync(p, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read ${what} ${p}: ${(e as Error).message}`);
    }
  };
  const appsText = values.apps ?? (Array.isArray(file.apps) ? (file.apps as string[]).join(',') : undefined);
  const missText = values['miss-send-len'] ?? f('missSendLen');
  let missSendLen: number | 'no_buffer' = defaults.missSendLen;
  if (missText !== undefined && missText !== 'no_buffer') {
    const n = Number(missText);
    if (!Number.isInteger(n) || n < 0 || n > 0xffe5) throw new ConfigError(`--miss-send-len must be 0..65509 or no_buffer, got ${String(missText)}`);
    missSendLen = n;
  }
  const cluster = clusterOf(values.cluster ?? (f('cluster') as string | undefined), values['node-id'] ?? (f('nodeId') as string | undefined), {
    ca: values['cluster-ca'] ?? (f('clusterCa') as string | undefined),
    cert: values['cluster-cert'] ?? (f('clusterCert') as string | undefined),
    key: values['cluster-key'] ?? (f('clusterKey') as string | undefined),
  }, readPem);
  return {
    ...(cluster ? { cluster } : {}),
    of: {
      port: port(values['of-port'] ?? f('ofPort'), '--of-port', defaults.of.port),
      address: values['of-address'] ?? (f('ofAddress') as string | undefined) ?? defaults.of.address,
      ...(tlsKey && tlsCert
        ? { tls: { key: readPem(tlsKey, 'TLS key'), cert: readPem(tlsCert, 'TLS certificate'), ...(tlsCa ? { ca: readPem(tlsCa, 'TLS CA') } : {}) } }
        : {}),
    },
    http: {
      port: port(values['http-port'] ?? f('httpPort'), '--http-port', defaults.http.port),
      address: values['http-address'] ?? (f('httpAddress') as string | undefined) ?? defaults.http.address,
      tokens: readTokens(values['api-token-file'] ?? (f('apiTokenFile') as string | undefined)),
      openReads: values['open-reads'] ?? file.openReads === true,
      bodyLimit: values['body-limit'] ?? f('bodyLimit') ? bodyLimit(values['body-limit'] ?? f('bodyLimit')) : 1_048_576,
    },
    apps: appsText === undefined ? defaults.apps : appsText.split(',').map((s) => s.trim()).filter(Boolean),
    echoIntervalMs: ms(values['echo-interval'] ?? f('echoIntervalMs'), '--echo-interval', defaults.echoIntervalMs),
    deadAfterMs: ms(values['dead-after'] ?? f('deadAfterMs'), '--dead-after', defaults.deadAfterMs),
    handshakeTimeoutMs: ms(values['handshake-timeout'] ?? f('handshakeTimeoutMs'), '--handshake-timeout', defaults.handshakeTimeoutMs),
    frameTimeoutMs: ms(values['frame-timeout'] ?? f('frameTimeoutMs'), '--frame-timeout', defaults.frameTimeoutMs),
    maxPendingSwitches: count(values['max-pending-switches'] ?? f('maxPendingSwitches'), '--max-pending-switches', defaults.maxPendingSwitches),
    missSendLen,
    statsIntervalMs: ms(values['stats-interval'] ?? f('statsIntervalMs'), '--stats-interval', defaults.statsIntervalMs),
    lldpIntervalMs: ms(values['lldp-interval'] ?? f('lldpIntervalMs'), '--lldp-interval', defaults.lldpIntervalMs),
    hostIdleMs: ms(values['host-idle'] ?? f('hostIdleMs'), '--host-idle', defaults.hostIdleMs),
    hostDetachedMs: ms(values['host-detached'] ?? f('hostDetachedMs'), '--host-detached', defaults.hostDetachedMs),
    packetInRate: count(values['packet-in-rate'] ?? f('packetInRate'), '--packet-in-rate', defaults.packetInRate),
    packetInMeter: meterRate(values['packet-in-meter'] ?? f('packetInMeter')),
    maxHostsPerSwitch: count(values['max-hosts-per-switch'] ?? f('maxHostsPerSwitch'), '--max-hosts-per-switch', defaults.maxHostsPerSwitch),
    maxHosts: count(values['max-hosts'] ?? f('maxHosts'), '--max-hosts', defaults.maxHosts),
    maxPendingFlowsPerSwitch: count(values['max-pending-flows-per-switch'] ?? f('maxPendingFlowsPerSwitch'), '--max-pending-flows-per-switch', defaults.maxPendingFlowsPerSwitch),
    maxPendingFlows: count(values['max-pending-flows'] ?? f('maxPendingFlows'), '--max-pending-flows', defaults.maxPendingFlows),
    stateDir: values['state-dir'] ?? (f('stateDir') as string | undefined) ?? defaults.stateDir,
    logLevel: values['log-level'] ?? (f('logLevel') as string | undefined) ?? defaults.logLevel,
    logFormat: logFormat(values['log-format'] ?? f('logFormat')),
    appConfig: (typeof file.apps_config === 'object' && file.apps_config !== null ? file.apps_config : {}) as ControllerConfig['appConfig'],
  };
}
