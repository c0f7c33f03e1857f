import net from 'node:net';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Framer } from '../openflow/framer.js';
import { tryDecode, encodeMessage } from '../openflow/codec.js';
import { CodecError } from '../openflow/codec-error.js';

/**
 * For now the controller is only an OpenFlow listener that greets switches
 * and logs what they send; the channel and core services replace this.
 */
export async function start(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'of-port': { type: 'string', default: '6653' },
      'of-address': { type: 'string', default: '0.0.0.0' },
      'http-port': { type: 'string' },
    },
    strict: true,
  });
  const log = pino({ name: 'switchyard' });
  const port = Number(values['of-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--of-port must be a TCP port number, got ${values['of-port']}\n`);
    return 2;
  }
  const server = net.createServer((sock) => {
    const peer = `${sock.remoteAddress}:${sock.remotePort}`;
    const framer = new Framer();
    log.info({ peer }, 'switch connected');
    sock.write(encodeMessage({ type: 'hello', xid: 1, version: 4, elements: [{ type: 'versionbitmap', bitmaps: [0x10] }] }));
    sock.on('data', (chunk) => {
      try {
        framer.push(chunk, (frame) => {
          const r = tryDecode(frame);
          if (!r.ok) log.warn({ peer, err: r.error.message }, 'undecodable message');
          else if (r.msg.type === 'echo_request') sock.write(encodeMessage({ type: 'echo_reply', xid: r.msg.xid, data: r.msg.data }));
          else log.info({ peer, type: r.msg.type, xid: r.msg.xid }, 'message');
        });
      } catch (e) {
        log.warn({ peer, err: e instanceof CodecError ? e.message : String(e) }, 'closing connection');
        sock.destroy();
      }
    });
    sock.on('error', (err) => log.warn({ peer, err: err.message }, 'socket error'));
    sock.on('close', () => log.info({ peer }, 'switch disconnected'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, values['of-address'], resolve);
  });
  log.info({ address: values['of-address'], port }, 'OpenFlow 1.3 listener ready (codec only: the channel and core services come next)');
  if (values['http-port'] !== undefined) log.warn({ httpPort: values['http-port'] }, 'the REST API is not built yet; --http-port is ignored');
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'shutting down');
      server.close(() => resolve());
      for (const s of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(s);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
