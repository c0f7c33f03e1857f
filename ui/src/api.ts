// The REST client the page uses: same origin as the page, a bearer token
// when the API has tokens (from ?token= once, then remembered).

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class ApiClient {
  constructor(
    private readonly base: string,
    private readonly token: string | null,
  ) {}

  private headers(json: boolean): Record<string, string> {
    const h: Record<string, string> = {};
    if (json) h['content-type'] = 'application/json';
    if (this.token) h.authorization = `Bearer ${this.token}`;
    return h;
  }

  private async answer<T>(r: Response): Promise<T> {
    const text = await r.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    if (!r.ok) {
      const msg = typeof body === 'object' && body !== null && 'message' in body ? String((body as { message: unknown }).message) : `${r.status} ${r.statusText}`;
      throw new ApiError(r.status, msg);
    }
    return body as T;
  }

  async get<T>(path: string): Promise<T> {
    return this.answer<T>(await fetch(this.base + path, { headers: this.headers(false) }));
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.answer<T>(await fetch(this.base + path, { method: 'POST', headers: this.headers(true), body: JSON.stringify(body) }));
  }

  wsUrl(path: string): string {
    const u = new URL(this.base + path, location.href);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.token) u.searchParams.set('access_token', this.token);
    return u.toString();
  }
}
