import type { FastifyReply } from 'fastify';

/**
 * JSON as Python's json.dumps writes Ryu's answers: integers of any size
 * exactly (a cookie or byte counter above 2^53 is not rounded; Python
 * clients read it back exact), non-ASCII escaped, keys in insertion order.
 * The text goes out as is, so no bigint ever reaches fastify's serializer.
 */
export function ryuJson(value: unknown): string {
  return write(value);
}

function write(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return '[' + v.map(write).join(',') + ']';
  if (Buffer.isBuffer(v)) return JSON.stringify(v.toString('hex'));
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x !== undefined) parts.push(write(k) + ':' + write(x));
  }
  return '{' + parts.join(',') + '}';
}

/** 200 with a body already in Ryu's JSON. */
export function sendRyu(reply: FastifyReply, value: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(ryuJson(value));
}
