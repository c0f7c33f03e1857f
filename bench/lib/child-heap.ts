// The heap of a child controller after a full GC, through its inspector
// (spawnController(..., { inspect: true })): /metrics reports the heap as
// it is, garbage included, which says little about a leak.
import WebSocket from 'ws';

export async function childHeapAfterGc(url: string): Promise<{ heapUsed: number; rss: number }> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let id = 0;
  const call = (method: string, params: object = {}): Promise<{ result?: { result?: { value?: string } } }> => new Promise((resolve, reject) => {
    const my = ++id;
    const on = (data: WebSocket.RawData): void => {
      const m = JSON.parse(data.toString()) as { id?: number; result?: { result?: { value?: string } }; error?: { message: string } };
      if (m.id !== my) return;
      ws.off('message', on);
      if (m.error) reject(new Error(`${method}: ${m.error.message}`));
      else resolve(m);
    };
    ws.on('message', on);
    ws.send(JSON.stringify({ id: my, method, params }));
  });
  try {
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const r = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    const m = JSON.parse(r.result?.result?.value ?? '{}') as { heapUsed: number; rss: number };
    return { heapUsed: m.heapUsed, rss: m.rss };
  } finally {
    ws.close();
  }
}
