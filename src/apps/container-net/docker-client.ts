// A small Docker Engine API client over /var/run/docker.sock with node:http.
// Why not dockerode: the app needs three GETs (a container's state and pid,
// a network's name, a ping); dockerode would bring a dependency tree
// (docker-modem, ssh2, tar-fs...) for them, and its stream and auth
// machinery is of no use here.

import { request } from 'node:http';

export interface ContainerInfo {
  readonly id: string;
  readonly name: string;
  readonly running: boolean;
  readonly pid: number;
}

export class DockerError extends Error {
  override readonly name = 'DockerError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class DockerClient {
  constructor(readonly socketPath = '/var/run/docker.sock') {}

  private get(path: string, timeoutMs = 5000): Promise<{ status: number; body: unknown }> {
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.socketPath, path, method: 'GET', timeout: timeoutMs, headers: { host: 'docker' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* a plain-text answer (e.g. "OK" from /_ping) */
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`Docker did not answer GET ${path} within ${timeoutMs} ms`)));
      req.on('error', (e) => reject(new DockerError(503, `cannot reach the Docker engine at ${this.socketPath}: ${e.message}`)));
      req.end();
    });
  }

  async ping(): Promise<boolean> {
    return this.get('/_ping', 2000).then((r) => r.status === 200, () => false);
  }

  /** A container by name or id; a 404 DockerError when Docker does not know it. */
  async container(ref: string): Promise<ContainerInfo> {
    const r = await this.get(`/containers/${encodeURIComponent(ref)}/json`);
    if (r.status === 404) throw new DockerError(404, `Docker has no container ${JSON.stringify(ref)}`);
    if (r.status !== 200) throw new DockerError(502, `Docker answered ${r.status} for container ${ref}: ${JSON.stringify(r.body)}`);
    const b = r.body as { Id: string; Name: string; State: { Running: boolean; Pid: number } };
    return { id: b.Id, name: b.Name.replace(/^\//, ''), running: b.State.Running, pid: b.State.Pid };
  }

  /** The containers on a network by container id, with their endpoint ids (undefined while Docker does not list it). */
  async networkContainers(id: string): Promise<Record<string, { Name: string; EndpointID: string }> | undefined> {
    const r = await this.get(`/networks/${encodeURIComponent(id)}`);
    return r.status === 200 ? ((r.body as { Containers?: Record<string, { Name: string; EndpointID: string }> }).Containers ?? {}) : undefined;
  }

  /** A network's name by id, or undefined while Docker does not list it (yet). */
  async networkName(id: string): Promise<string | undefined> {
    const r = await this.get(`/networks/${encodeURIComponent(id)}`);
    return r.status === 200 ? (r.body as { Name: string }).Name : undefined;
  }
}
