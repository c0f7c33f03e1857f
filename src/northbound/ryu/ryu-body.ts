import { badRequest } from '../errors.js';

/**
 * A Ryu request body. ofctl_rest reads bodies with Python's
 * ast.literal_eval, not a JSON parser, and Ryu's own documentation relies
 * on it: its curl examples carry `# comments`, trailing commas and `0x3`.
 * So this accepts JSON plus the Python literals those scripts use: single
 * quotes, True/False/None, hex/octal/binary integers, tuples, comments and
 * trailing commas. Integers too large for a double stay exact as decimal
 * strings (every integer field of Ryu's also takes a string), so a 64-bit
 * cookie is never rounded. An empty body is `{}`, as ofctl_rest treats it.
 */
export function parseRyuBody(text: string): unknown {
  const p = new LiteralParser(text);
  p.skip();
  if (p.atEnd()) return {};
  const v = p.value(0);
  p.skip();
  if (!p.atEnd()) p.fail('unexpected text after the value');
  return v;
}

const MAX_DEPTH = 64;

class LiteralParser {
  private pos = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.pos >= this.s.length;
  }

  fail(why: string): never {
    const near = this.s.slice(this.pos, this.pos + 20);
    throw badRequest(`the request body is not JSON (nor a Python literal): ${why} at offset ${this.pos}${near ? ` near ${JSON.stringify(near)}` : ''}`);
  }

  /** Whitespace and Python comments. */
  skip(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') this.pos++;
      else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else break;
    }
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    this.skip();
    const c = this.s[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.list(depth, ']');
    if (c === '(') return this.list(depth, ')');
    if (c === '"' || c === "'") return this.string();
    if (c !== undefined && /[-+0-9.]/.test(c)) return this.number();
    const word = /^[A-Za-z_]+/.exec(this.s.slice(this.pos, this.pos + 8))?.[0];
    const words: Record<string, unknown> = { true: true, True: true, false: false, False: false, null: null, None: null };
    if (word !== undefined && Object.hasOwn(words, word)) {
      this.pos += word.length;
      return words[word];
    }
    return this.fail(c === undefined ? 'the body ends early' : 'expected a value');
  }

  private object(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skip();
      if (this.s[this.pos] === '}') {
        this.pos++;
        return out;
      }
      const k = this.value(depth + 1);
      if (typeof k !== 'string') this.fail('an object key must be a string');
      this.skip();
      if (this.s[this.pos] !== ':') this.fail('expected ":" after an object key');
      this.pos++;
      // defineProperty, so a "__proto__" key is a plain field and never a prototype.
      Object.defineProperty(out, k, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      this.skip();
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== '}') this.fail('expected "," or "}" in an object');
    }
  }

  private list(depth: number, close: string): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    for (;;) {
      this.skip();
      if (this.s[this.pos] === close) {
        this.pos++;
        return out;
      }
      out.push(this.value(depth + 1));
      this.skip();
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== close) this.fail(`expected "," or "${close}" in a list`);
    }
  }

  private string(): string {
    const q = this.s[this.pos]!;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.s[this.pos];
      if (c === undefined || c === '\n') this.fail('a string is not closed');
      this.pos++;
      if (c === q) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '\\': '\\', '"': '"', "'": "'", '0': '\0' };
      if (e !== undefined && Object.hasOwn(simple, e)) out += simple[e];
      else if (e === 'u' || e === 'x') {
        const n = e === 'u' ? 4 : 2;
        const hex = this.s.slice(this.pos, this.pos + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) this.fail(`bad \\${e} escape`);
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += n;
      } else this.fail('unknown escape in a string');
    }
  }

  private number(): number | string {
    const m = /^[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d*(?:[eE][-+]?\d+)?)/.exec(this.s.slice(this.pos));
    const text = m?.[0] ?? '';
    if (text === '' || text === '-' || text === '+' || text === '.') this.fail('expected a number');
    this.pos += text.length;
    const neg = text.startsWith('-');
    const body = text.replace(/^[-+]/, '').replaceAll('_', '');
    if (/^0[xXoObB]/.test(body) || /^\d+$/.test(body)) {
      const n = BigInt(body) * (neg ? -1n : 1n);
      // Exact beyond 2^53 as a string: Ryu's integer fields take either.
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
    }
    const f = Number(body) * (neg ? -1 : 1);
    if (!Number.isFinite(f)) this.fail('bad number');
    return f;
  }
}
