import type { ControllerConfig } from '../config.js';

/** What `switchyard start` tells an operator is reachable, and how to close it. */
export interface Exposure {
  readonly openflow: string;
  readonly rest: string;
  readonly tls: 'off' | 'on' | 'on, client certificates required';
  readonly tokens: 'on' | 'off';
  /** One line: what is exposed, and the flags that protect what is open. */
  readonly line: string;
}

const LOOPBACK = /^(127\.|::1$|localhost$)/;
const ANY = /^(0\.0\.0\.0|::|)$/;

function where(host: string): string {
  if (ANY.test(host)) return 'every interface';
  if (LOOPBACK.test(host)) return 'localhost only';
  return `address ${host} only`;
}

/**
 * The start-up summary. OpenFlow has no authentication of its own: without
 * TLS and a CA, any host that reaches the port can connect a switch, so the
 * advice names the flags (bind address, TLS with client certificates,
 * tokens) that close each thing left open.
 */
export function describeExposure(
  config: Pick<ControllerConfig, 'of' | 'http'>,
  of: { host: string; port: number } | undefined,
  rest: { host: string; port: number } | undefined,
): Exposure {
  const tls = config.of.tls ? (config.of.tls.ca ? 'on, client certificates required' : 'on') : 'off';
  const tokens = (config.http.tokens?.length ?? 0) > 0 ? 'on' : 'off';
  const ofHost = of?.host ?? config.of.address;
  const openflow = `${ofHost}:${of?.port ?? config.of.port} (${where(ofHost)}, TLS ${tls})`;
  const restText = rest ? `http://${rest.host}:${rest.port} (${where(rest.host)}, tokens ${tokens}${tokens === 'on' && config.http.openReads ? ', reads open' : ''})` : 'off';
  const advice: string[] = [];
  if (ANY.test(ofHost)) advice.push('--of-address <switch-facing address> to listen on one interface');
  if (tls !== 'on, client certificates required') advice.push('--tls-key/--tls-cert/--tls-ca so only switches with a certificate from your CA connect');
  if (rest && !LOOPBACK.test(rest.host) && tokens === 'off') advice.push('--api-token-file (REST is reachable from the network without a token)');
  else if (rest && tokens === 'off') advice.push('--api-token-file so local users need a token too');
  const line = `exposed: OpenFlow ${openflow}; REST ${restText}. ${advice.length ? 'To protect: ' + advice.join('; ') + ' (see docs/security.md).' : 'Protected: bound, TLS with client certificates, tokens.'}`;
  return { openflow, rest: restText, tls, tokens, line };
}
