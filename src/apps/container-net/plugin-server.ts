// Docker's legacy plugin transport: JSON over HTTP POSTs on a unix socket
// in /run/docker/plugins, found by its file name (Docker 20.10 looks there
// when `docker network create -d NAME` names an unknown driver). Only the
// transport lives here; docker-plugin.ts answers the calls.

import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { mkdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppLog } from '../../core/apps/app-context.js';

export type PluginHandler = (method: string, body: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** A refusal for Docker: goes back in the protocol's Err field, worded for the person at the docker command. */
export class PluginError extends Error {
  override readonly name = 'PluginError';
}

const CONTENT_TYPE = 'application/vnd.docker.plugins.v1.2+json';

/** Whether a live process answers on the socket (then it is somebody else's and we leave it alone). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export class PluginServer {
  private server: Server | undefined;
  private ino: number | undefined;
  readonly path: string;

  constructor(
    dir: string,
    readonly pluginName: string,
    private readonly handler: { handle: PluginHandler },
    private readonly log: AppLog,
  ) {
    this.path = join(dir, `${pluginName}.sock`);
  }

  async start(): Promise<boolean> {
    await mkdir(join(this.path, '..'), { recursive: true });
    if (await answers(this.path)) {
      this.log.warn({ socket: this.path }, 'another process serves this Docker plugin socket; not serving it (set apps_config.container-net.pluginName for a second controller)');
      return false;
    }
    await unlink(this.path).catch(() => undefined); // a stale socket of a killed controller
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const method = (req.url ?? '/').replace(/^\//, '');
        let body: Record<string, unknown> = {};
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          if (text.trim() !== '') body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          /* Docker always sends JSON; an empty object is what a bare call means */
        }
        this.handler.handle(method, body).then(
          (out) => {
            res.writeHead(200, { 'content-type': CONTENT_TYPE });
            res.end(JSON.stringify(out));
          },
          (e: unknown) => {
            const known = e instanceof PluginError;
            if (!known) this.log.error({ method, err: (e as Error).stack ?? String(e) }, 'Docker plugin call failed');
            else this.log.info({ method, err: (e as Error).message }, 'Docker plugin call refused');
            // As Docker's own plugin helpers do: a failed call is a 500 whose body carries Err.
            res.writeHead(500, { 'content-type': CONTENT_TYPE });
            res.end(JSON.stringify({ Err: (e as Error).message }));
          },
        );
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => resolve());
    });
    this.server = server;
    this.ino = (await stat(this.path)).ino;
    this.log.info({ socket: this.path, driver: this.pluginName }, 'Docker network and IPAM plugin listening');
    return true;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
    // Only our own socket file: a controller started after us may have taken the name.
    const now = await stat(this.path).catch(() => undefined);
    if (now && now.ino === this.ino) await unlink(this.path).catch(() => undefined);
  }
}
