import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import type { OfpMessage } from '../message.js';
import { SwitchConnection, defaultChannelOptions, type ChannelCounters, type ChannelLog, type ChannelOptions, type SwitchInfo } from './connection.js';

export interface TlsFiles {
  /** PEM contents (not paths): the caller reads files so secrets never pass through logs. */
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** CA that switch certificates must chain to; mutual authentication when set. */
  readonly ca?: string | Buffer;
}

export interface ServerOptions extends Partial<Omit<ChannelOptions, 'log'>> {
  readonly port: number;
  readonly host: string;
  readonly tls?: TlsFiles;
  readonly log: ChannelLog;
}

/**
 * The OpenFlow listener. Emits 'switch-up' (conn, info) once a switch has
 * finished the handshake, 'switch-down' (conn, reason), and 'message'
 * (conn, msg) for asynchronous messages from switches that are up.
 * A second connection with the same datapath id replaces the first.
 */
export class OpenFlowServer extends EventEmitter {
  private server: net.Server | undefined;
  private readonly byDpid = new Map<bigint, SwitchConnection>();
  private readonly all = new Set<SwitchConnection>();
  private readonly channel: ChannelOptions;
  /** Counters of connections that have closed, so totals never go backwards when a switch leaves. */
  private readonly retired: ChannelCounters = { rxMessages: 0, txMessages: 0, rxErrors: 0, droppedTx: 0, droppedPacketIns: 0 };

  constructor(private readonly opts: ServerOptions) {
    super();
    this.channel = { ...defaultChannelOptions, ...stripUndefined(opts), log: opts.log };
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

  async listen(): Promise<{ port: number; host: string }> {
    const onSocket = (sock: net.Socket): void => this.accept(sock);
    const t = this.opts.tls;
    this.server = t
      ? tls.createServer({ key: t.key, cert: t.cert, ca: t.ca, requestCert: t.ca !== undefined, rejectUnauthorized: t.ca !== undefined }, onSocket)
      : net.createServer(onSocket);
    if (t) {
      this.server.on('tlsClientError', (err: Error, sock: tls.TLSSocket) => {
        this.opts.log.warn({ peer: `${sock.remoteAddress}:${sock.remotePort}`, err: err.message }, 'TLS handshake with switch failed');
      });
    }
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port, this.opts.host, () => {
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
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(sock: net.Socket): void {
    const conn = new SwitchConnection(sock, this.channel);
    this.all.add(conn);
    this.opts.log.debug({ peer: conn.peer }, 'switch connecting');
    conn.on('up', (info: SwitchInfo) => {
      const old = this.byDpid.get(info.dpid);
      this.byDpid.set(info.dpid, conn);
      if (old && old !== conn) old.close('replaced by a new connection from the same datapath');
      this.opts.log.info({ switch: info.id, peer: conn.peer, ports: info.ports.length, hw: info.desc.hw_desc, sw: info.desc.sw_desc }, 'switch up');
      this.emit('switch-up', conn, info);
    });
    conn.on('message', (msg: OfpMessage) => this.emit('message', conn, msg));
    conn.on('close', (reason: string) => {
      this.all.delete(conn);
      for (const k of Object.keys(this.retired) as (keyof ChannelCounters)[]) this.retired[k] += conn.counters[k];
      const dpid = conn.dpid;
      if (dpid !== undefined && this.byDpid.get(dpid) === conn) {
        this.byDpid.delete(dpid);
        this.emit('switch-down', conn, reason);
      } else if (dpid !== undefined) {
        // A replaced connection: the new one already announced itself.
        this.emit('switch-replaced', conn, reason);
      }
    });
    conn.start();
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
