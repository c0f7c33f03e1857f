import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import type { OfpMessage } from '../message.js';
import {
  SwitchConnection, defaultChannelOptions, zeroCounters, type ChannelCounters, type ChannelLog, type ChannelOptions, type SwitchInfo,
} from './connection.js';
import { RateLimitedWarn } from './rate-limited-warn.js';

export interface TlsFiles {
  /** PEM contents (not paths): the caller reads files so secrets never pass through logs. */
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** CA that switch certificates must chain to; mutual authentication when set. */
  readonly ca?: string | Buffer;
}

export interface GuardOptions {
  /** Connections accepted but not yet identified (handshake not finished, TLS included) beyond this are refused at once. */
  readonly maxUnidentified: number;
  /** How long the established connection has to answer an ECHO when another claims its datapath id. */
  readonly takeoverProbeMs: number;
}

export const defaultGuardOptions: GuardOptions = { maxUnidentified: 256, takeoverProbeMs: 2000 };

export interface ServerOptions extends Partial<Omit<ChannelOptions, 'log'>>, Partial<GuardOptions> {
  readonly port: number;
  readonly host: string;
  readonly tls?: TlsFiles;
  readonly log: ChannelLog;
}

/**
 * The OpenFlow listener. Emits 'switch-up' (conn, info) once a switch has
 * finished the handshake, 'switch-down' (conn, reason), and 'message'
 * (conn, msg) for asynchronous messages from switches that are up.
 *
 * A second connection with a datapath id that is already connected does not
 * simply replace the first: anyone who can reach the port can claim any
 * datapath id. It takes over only when it proves itself: it comes from the
 * same address (a switch reconnecting), or presents a client certificate our
 * CA signed, or the established connection fails an ECHO within
 * takeoverProbeMs (the old connection was dead and not yet noticed).
 * Otherwise it is closed and the attempt is logged and counted.
 */
export class OpenFlowServer extends EventEmitter {
  private server: net.Server | undefined;
  private readonly byDpid = new Map<bigint, SwitchConnection>();
  private readonly all = new Set<SwitchConnection>();
  /** Open and not yet identified: these count against maxUnidentified. */
  private readonly unidentified = new Set<SwitchConnection>();
  /** Raw sockets still in the TLS handshake (no SwitchConnection yet), by peer address:port (the TLS socket has the same). */
  private readonly tlsPending = new Map<string, net.Socket>();
  /** Connections that were the datapath's connection at some point (their close is a down or a replacement). */
  private readonly admitted = new WeakSet<SwitchConnection>();
  /** Datapath ids whose established connection is being probed for a challenger. */
  private readonly contested = new Set<bigint>();
  private readonly channel: ChannelOptions;
  private readonly guard: GuardOptions;
  /** Counters of connections that have closed, so totals never go backwards when a switch leaves. */
  private readonly retired: ChannelCounters = zeroCounters();
  private readonly refusedWarn: RateLimitedWarn;
  private readonly tlsWarn: RateLimitedWarn;

  constructor(private readonly opts: ServerOptions) {
    super();
    const given = stripUndefined(opts);
    this.channel = { ...defaultChannelOptions, ...given, log: opts.log };
    this.guard = { ...defaultGuardOptions, ...given };
    this.refusedWarn = new RateLimitedWarn(opts.log, this.channel.timers, 10_000);
    this.tlsWarn = new RateLimitedWarn(opts.log, this.channel.timers, 1_000);
  }

  get switches(): ReadonlyMap<bigint, SwitchConnection> {
    return this.byDpid;
  }

  get(dpid: bigint): SwitchConnection | undefined {
    return this.byDpid.get(dpid);
  }

  /** Channel counters summed over every connection, open and closed. */
  totals(): ChannelCounters {
    const t = { ...this.retired };
    for (const c of this.all) for (const k of Object.keys(t) as (keyof ChannelCounters)[]) t[k] += c.counters[k];
    return t;
  }

  /** Where the listener is bound, once listen() has resolved. */
  address: { port: number; host: string } | undefined;

  /** Connections open now, including ones that have not finished the handshake. */
  get connectionCount(): number {
    return this.all.size;
  }

  /** Connections (and TLS handshakes) open now that have not finished the handshake. */
  get unidentifiedCount(): number {
    return this.unidentified.size + this.tlsPending.size;
  }

  async listen(): Promise<{ port: number; host: string }> {
    const onSocket = (sock: net.Socket): void => this.accept(sock);
    const t = this.opts.tls;
    this.server = t
      ? tls.createServer({
        // With a CA, every switch must present a certificate that chains to it. Node would refuse others
        // itself (rejectUnauthorized) but only says "socket hang up"; checking in accept() logs the reason.
        key: t.key, cert: t.cert, ca: t.ca, requestCert: t.ca !== undefined, rejectUnauthorized: false,
        // Node's default is 120 s: a peer that opens TCP and says nothing would hold a slot that long.
        handshakeTimeout: this.channel.handshakeTimeoutMs,
      }, onSocket)
      : net.createServer(onSocket);
    if (t) {
      // The cap must hold before TLS too: the handshake costs us more than it costs the peer.
      this.server.on('connection', (raw: net.Socket) => {
        if (this.unidentifiedCount >= this.guard.maxUnidentified) {
          this.refuse(raw);
          return;
        }
        const key = peerKey(raw);
        this.tlsPending.set(key, raw);
        raw.once('close', () => {
          if (this.tlsPending.get(key) === raw) this.tlsPending.delete(key);
        });
      });
      this.server.on('tlsClientError', (err: Error & { code?: string }, sock: tls.TLSSocket) => {
        // code says why in a word (ERR_SSL_CERTIFICATE_VERIFY_FAILED, ERR_SSL_WRONG_VERSION_NUMBER...), for the log and for tests.
        this.tlsWarn.warn({ peer: `${sock.remoteAddress}:${sock.remotePort}`, err: err.message, code: err.code }, 'TLS handshake with switch failed');
      });
    }
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      // Node's default backlog (511) overflows when a few thousand switches (or an attacker) connect at once: SYNs are
      // dropped and retried seconds later, before the cap in accept() can refuse anything. The kernel caps it at somaxconn.
      this.server!.listen({ port: this.opts.port, host: this.opts.host, backlog: LISTEN_BACKLOG }, () => {
        this.server!.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address() as net.AddressInfo;
    this.opts.log.info({ host: addr.address, port: addr.port, tls: t !== undefined }, 'OpenFlow listener ready');
    this.address = { port: addr.port, host: addr.address };
    return this.address;
  }

  async close(): Promise<void> {
    for (const c of this.all) c.close('controller shutting down');
    for (const s of this.tlsPending.values()) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private refuse(sock: net.Socket): void {
    this.retired.refusedUnidentified++;
    this.refusedWarn.warn(
      { peer: `${sock.remoteAddress}:${sock.remotePort}`, unidentified: this.unidentifiedCount, max: this.guard.maxUnidentified },
      'too many connections have not finished the OpenFlow handshake; refusing new ones',
    );
    sock.destroy();
  }

  private accept(sock: net.Socket): void {
    // A TLS socket that finished its handshake moves from tlsPending to unidentified.
    this.tlsPending.delete(peerKey(sock));
    if (this.opts.tls?.ca !== undefined && sock instanceof tls.TLSSocket && !sock.authorized) {
      this.retired.refusedCertificates++;
      const err = sock.authorizationError;
      this.tlsWarn.warn(
        { peer: peerKey(sock), code: typeof err === 'string' ? err : ((err as { code?: string } | null)?.code ?? String(err)), subject: sock.getPeerCertificate()?.subject?.CN },
        'switch certificate refused: it does not chain to the CA given with --tls-ca',
      );
      sock.destroy();
      return;
    }
    if (this.unidentifiedCount >= this.guard.maxUnidentified) {
      this.refuse(sock);
      return;
    }
    const conn = new SwitchConnection(sock, this.channel);
    this.all.add(conn);
    this.unidentified.add(conn);
    this.opts.log.debug({ peer: conn.peer }, 'switch connecting');
    conn.on('up', (info: SwitchInfo) => {
      this.unidentified.delete(conn);
      const old = this.byDpid.get(info.dpid);
      if (old === undefined || old === conn || old.state === 'closed') this.admit(conn, info, undefined);
      else void this.contest(old, conn, info);
    });
    conn.on('message', (msg: OfpMessage) => this.emit('message', conn, msg));
    conn.on('close', (reason: string) => {
      this.all.delete(conn);
      this.unidentified.delete(conn);
      for (const k of Object.keys(this.retired) as (keyof ChannelCounters)[]) this.retired[k] += conn.counters[k];
      const dpid = conn.dpid;
      if (dpid !== undefined && this.byDpid.get(dpid) === conn) {
        this.byDpid.delete(dpid);
        this.emit('switch-down', conn, reason);
      } else if (dpid !== undefined && this.admitted.has(conn)) {
        // A replaced connection: the new one already announced itself.
        this.emit('switch-replaced', conn, reason);
      }
    });
    conn.start();
  }

  private admit(conn: SwitchConnection, info: SwitchInfo, old: SwitchConnection | undefined): void {
    this.byDpid.set(info.dpid, conn);
    this.admitted.add(conn);
    if (old && old !== conn) old.close('replaced by a new connection from the same datapath');
    this.opts.log.info({ switch: info.id, peer: conn.peer, ports: info.ports.length, hw: info.desc.hw_desc, sw: info.desc.sw_desc }, 'switch up');
    this.emit('switch-up', conn, info);
  }

  /** A second connection claims a datapath id that is connected: it takes over only if it proves itself. */
  private async contest(old: SwitchConnection, conn: SwitchConnection, info: SwitchInfo): Promise<void> {
    const log = { switch: info.id, established: old.peer, challenger: conn.peer, ...(conn.verifiedCert ? { cert: conn.verifiedCert } : {}) };
    const proof = conn.verifiedCert !== undefined ? 'verified client certificate' : conn.peerAddress === old.peerAddress ? 'same peer address' : undefined;
    if (proof !== undefined) {
      conn.counters.takeoversAccepted++;
      this.opts.log.info({ ...log, proof }, 'a new connection takes over a connected datapath id');
      this.admit(conn, info, old);
      return;
    }
    if (this.contested.has(info.dpid)) {
      this.refuseTakeover(conn, log, 'another claim on this datapath id is being checked');
      return;
    }
    this.opts.log.warn(log, 'a connection from another address claims a connected datapath id; probing the established connection');
    this.contested.add(info.dpid);
    const alive = await old.probe(this.guard.takeoverProbeMs);
    this.contested.delete(info.dpid);
    if (conn.state === 'closed') return;
    if (alive && old.state !== 'closed' && this.byDpid.get(info.dpid) === old) {
      this.refuseTakeover(conn, log, `the established connection answered an echo within ${this.guard.takeoverProbeMs} ms`);
      return;
    }
    conn.counters.takeoversAccepted++;
    this.opts.log.warn({ ...log, proof: 'established connection silent' }, 'a new connection takes over a datapath id whose connection did not answer an echo');
    const current = this.byDpid.get(info.dpid);
    this.admit(conn, info, current);
  }

  private refuseTakeover(conn: SwitchConnection, log: object, why: string): void {
    conn.counters.takeoversRefused++;
    this.opts.log.warn({ ...log, why }, 'refused a connection claiming a connected datapath id');
    conn.close(`datapath id ${conn.info?.id ?? '?'} is already connected and ${why}`);
  }
}

const LISTEN_BACKLOG = 4096;

const peerKey = (s: net.Socket): string => `${s.remoteAddress}:${s.remotePort}`;

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
