// A schema-driven fuzzer: every operation in /api/v1/openapi.json (the
// versioned API, Ryu's ofctl_rest and rest_topology, /metrics, app routes)
// gets random valid and invalid path parameters, queries and bodies from a
// fixed seed, against a controller with two fake switches that answer every
// request. No response may be a 5xx, and every response must be one the
// document lists for that operation, with its content type, valid against
// its schema (ajv).
import t from 'tap';
import { Ajv, type ValidateFunction } from 'ajv';
import { startApi } from '../helpers/api.js';
import { FakeFlowTable } from '../helpers/fake-switch.js';
import { MULTIPART_MESSAGES } from '../helpers/every-multipart.js';
import type { OfpMessage } from '../../src/openflow/message.js';

/** Requests per operation; about 85 operations, so a few thousand in all. */
const PER_OP = Number(process.env.SY_FUZZ_PER_OP ?? 30);
const SEED = Number(process.env.SY_FUZZ_SEED ?? 20261203);

type Schema = Record<string, any>;
interface Operation {
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

/** mulberry32: small, fast, and the same sequence everywhere for a seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const chance = (p: number): boolean => rand() < p;

/** Values that are valid for names the API uses everywhere; the generator falls back to the schema. */
const POOLS: Record<string, readonly unknown[]> = {
  dpid: ['1', '2', '0000000000000001', '0x2', 1, 2],
  mac: ['00:00:00:00:00:01', '0a:01:00:00:00:01', '0a:02:00:00:00:02'],
  eth_src: ['00:00:00:00:00:01'], eth_dst: ['0a:02:00:00:00:02'], dl_src: ['00:00:00:00:00:01'], dl_dst: ['0a:02:00:00:00:02'],
  ipv4_src: ['10.0.0.1', '10.0.0.0/24'], ipv4_dst: ['10.0.0.2'], nw_src: ['10.0.0.1'], nw_dst: ['10.0.0.2/8'],
  port: ['1', '2', 'ALL', 1, 2], port_no: ['1', '2', 1, 2], in_port: [1, 2], queue_id: ['ALL', '0', 0],
  group_id: ['1', '2', 'ALL', 1, 2], meter_id: ['1', '2', 'ALL', 1, 2], table_id: [0, 1, '0'], priority: [1, 100, 32768],
  name: ['l2-switch', 'forwarding', 'blocklist'], src: ['0000000000000001', '00:00:00:00:00:01'], dst: ['0000000000000002', '0a:02:00:00:00:02'],
  eth_type: [2048, 2054, '0x800'], dl_type: [2048, '0x0806'],
};

/** What breaks parsers and validators: wrong types, huge and odd strings, numbers out of every range. */
const HOSTILE: readonly unknown[] = [
  null, true, -1, 0, 1.5, 1e300, -9007199254740993, 18446744073709551616, '', ' ', 'x'.repeat(300), 'ALL', '0x', '0xzz', '%00',
  '../../etc', '\u0000', '😀', '1e5', 'NaN', [], [1, 2], {}, { a: { b: { c: [] } } }, '00:00:00:00:00', '10.0.0.256', '-1',
];

function gen(schema: Schema | undefined, name: string, depth = 0): unknown {
  if (!schema || depth > 6) return pick([1, 'x', true]);
  if (POOLS[name] && chance(0.8)) return pick(POOLS[name]!);
  if (schema.enum) return pick(schema.enum as unknown[]);
  if (schema.const !== undefined) return schema.const;
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt) return gen(pick(alt as Schema[]), name, depth + 1);
  if (schema.allOf) return gen(Object.assign({}, ...(schema.allOf as Schema[])), name, depth + 1);
  const type = Array.isArray(schema.type) ? pick(schema.type as string[]) : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set<string>((schema.required ?? []) as string[]);
      for (const [k, s] of Object.entries(props)) if (required.has(k) || chance(0.3)) out[k] = gen(s, k, depth + 1);
      return out;
    }
    case 'array': {
      const n = Math.max(schema.minItems ?? 0, Math.floor(rand() * 3));
      return Array.from({ length: n }, () => gen(schema.items as Schema, name, depth + 1));
    }
    case 'integer':
    case 'number': {
      const lo = schema.minimum ?? 0;
      const hi = Math.min(schema.maximum ?? 1000, lo + 100000);
      return lo + Math.floor(rand() * (hi - lo + 1));
    }
    case 'boolean':
      return chance(0.5);
    case 'string': {
      if (schema.format === 'date-time') return new Date(0).toISOString();
      const len = Math.max(schema.minLength ?? 1, 1 + Math.floor(rand() * 8));
      return Array.from({ length: Math.min(len, schema.maxLength ?? len) }, () => pick([...'abcdef0123456789'])).join('');
    }
    default:
      return pick([1, 'x', {}]);
  }
}

/** One invalid change to an otherwise generated value: a field gone, added, or of the wrong type. */
function mutate(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || chance(0.15)) return pick(HOSTILE);
  const o = { ...(v as Record<string, unknown>) };
  const keys = Object.keys(o);
  const r = rand();
  if (r < 0.3 && keys.length > 0) delete o[pick(keys)];
  else if (r < 0.45) o[pick(['__unknown', 'constructor', '__proto__', 'x'.repeat(50)])] = pick(HOSTILE);
  else if (keys.length > 0) {
    const k = pick(keys);
    o[k] = chance(0.5) ? pick(HOSTILE) : mutate(o[k]);
  }
  return o;
}

/** Answers every multipart request with a sample reply of its type, so stats routes reach their 200s. */
function sampleReply(m: OfpMessage): OfpMessage[] | undefined {
  if (m.type !== 'multipart_request' || ['desc', 'port_desc', 'flow'].includes(m.body.type)) return undefined;
  const sample = MULTIPART_MESSAGES.find((s) => s.msg.type === 'multipart_reply' && s.msg.body.type === m.body.type);
  if (!sample || sample.msg.type !== 'multipart_reply') return [{ type: 'error', xid: m.xid, err_type: 'bad_request', code: 'bad_multipart', data: Buffer.alloc(0) }];
  return [{ ...sample.msg, xid: m.xid, flags: [] }];
}

t.test('schema-driven fuzzing: every documented operation, no 5xx, every response as documented', async (t) => {
  const api = await startApi(t, { apps: ['l2-switch', 'blocklist'] });
  await api.addSwitch({ dpid: 1n, ports: 3, flowTable: new FakeFlowTable(), reply: sampleReply });
  await api.addSwitch({ dpid: 2n, ports: 3, flowTable: new FakeFlowTable(), reply: sampleReply });
  const doc = (await api.json('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  const validators = new Map<object, ValidateFunction>();
  const validate = (s: Schema): ValidateFunction => {
    let v = validators.get(s);
    if (!v) validators.set(s, (v = ajv.compile(s)));
    return v;
  };

  const problems: string[] = [];
  const byStatus = new Map<number, number>();
  let requests = 0;
  let ops = 0;
  const started = Date.now();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops++;
      const name = `${method.toUpperCase()} ${path}`;
      const params = op.parameters ?? [];
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      for (let i = 0; i < PER_OP; i++) {
        // A third of the requests are valid in every part; the rest break one part.
        const broken = i % 3 === 0 ? 'none' : pick(['path', 'query', 'body', 'body', 'raw']);
        let url = path.replace(/\{([^}]+)\}/g, (_m, p: string) => {
          const s = params.find((x) => x.in === 'path' && x.name === p)?.schema;
          const v = broken === 'path' && chance(0.6) ? pick(HOSTILE) : gen(s, p);
          return encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v));
        });
        const query = new URLSearchParams();
        for (const q of params.filter((x) => x.in === 'query')) {
          if (q.required || chance(0.4)) query.set(q.name, String(broken === 'query' && chance(0.5) ? pick(HOSTILE) : gen(q.schema, q.name)));
        }
        if (broken === 'query' && chance(0.5)) query.set(pick(['__unknown', 'dpid', 'limit']), String(pick(HOSTILE)));
        if ([...query].length > 0) url += '?' + query.toString();
        let payload: string | undefined;
        if (bodySchema || method === 'post' || method === 'put' || method === 'patch') {
          const body = gen(bodySchema, '');
          payload = broken === 'raw' ? pick(['{', '[1,', 'not json', '', '{"a":' + '['.repeat(500), "{'dpid': 1}"]) : JSON.stringify(broken === 'body' ? mutate(body) : body);
        }
        const r = await api.inject({ method: method.toUpperCase() as 'GET', url, ...(payload !== undefined ? { payload, headers: { 'content-type': 'application/json' } } : {}) });
        requests++;
        byStatus.set(r.statusCode, (byStatus.get(r.statusCode) ?? 0) + 1);
        const what = `${name} [${broken}] ${url.slice(0, 120)}${payload !== undefined ? ' ' + payload.slice(0, 120) : ''} -> ${r.statusCode}`;
        // The fuzzer may disable an app through /apps/{name}/disable: its routes then answer 503 app_disabled, as documented.
        const appDisabled = r.statusCode === 503 && /"app_disabled"/.test(r.body);
        if (r.statusCode >= 500 && !appDisabled) {
          problems.push(`${what}: 5xx ${r.body.slice(0, 200)}`);
          continue;
        }
        const documented = op.responses?.[String(r.statusCode)] ?? op.responses?.default;
        if (!documented) {
          problems.push(`${what}: status not documented (documented: ${Object.keys(op.responses ?? {}).join(', ')}) ${r.body.slice(0, 160)}`);
          continue;
        }
        const contentTypes = Object.keys(documented.content ?? {});
        if (contentTypes.length === 0) {
          if (r.body !== '') problems.push(`${what}: documented without a body, got ${r.body.slice(0, 100)}`);
          continue;
        }
        const ct = String(r.headers['content-type'] ?? '');
        const mt = contentTypes.find((c) => ct.split(';')[0]!.trim() === c.split(';')[0]!.trim());
        if (!mt) {
          problems.push(`${what}: content-type "${ct}" not documented (${contentTypes.join(', ')})`);
          continue;
        }
        const schema = documented.content![mt]!.schema;
        if (!schema) continue;
        let value: unknown = r.body;
        if (/json/.test(mt)) {
          try {
            value = JSON.parse(r.body);
          } catch {
            problems.push(`${what}: documented as ${mt} but not JSON: ${r.body.slice(0, 100)}`);
            continue;
          }
        }
        const v = validate(schema);
        if (!v(value)) problems.push(`${what}: body does not match its schema: ${ajv.errorsText(v.errors)}; body ${r.body.slice(0, 160)}`);
      }
    }
  }
  const seconds = (Date.now() - started) / 1000;
  t.comment(`seed ${SEED}: ${requests} requests over ${ops} operations in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])))}`);
  t.ok(ops >= 80, `${ops} operations fuzzed`);
  t.ok((byStatus.get(200) ?? 0) + (byStatus.get(201) ?? 0) > requests / 10, 'a good share of the requests were valid and succeeded');
  t.ok((byStatus.get(400) ?? 0) > requests / 10, 'and a good share were refused as bad input');
  t.same([...new Set(problems)].slice(0, 40), [], `${problems.length} problems`);
});
