// A packet header as the flow tables see it: OXM field → value bytes. Fields
// the packet does not carry read as zeros, as in Open vSwitch's flow struct
// (OpenFlow's prerequisites keep a flow from matching them anyway: a flow on
// ipv4_dst also matches eth_type 0x0800). Values are bytes so masked
// matching is one AND per byte, whatever the field's type.
import { Reader } from '../../openflow/reader.js';
import { Writer } from '../../openflow/writer.js';
import { decodeOxm, encodeOxm, OXM_FIELD_BY_NAME, OXM_FIELD_NAMES, type OxmBasic, type OxmFieldName } from '../../openflow/structs/oxm.js';

const w = new Writer(64);

export interface FieldBytes {
  readonly value: Buffer;
  /** undefined: exact. */
  readonly mask: Buffer | undefined;
}

/** The value (and mask) bytes of one basic OXM, as the codec writes them. */
export function fieldBytes(f: OxmBasic): FieldBytes {
  w.reset();
  encodeOxm(w, f);
  const b = w.buf.subarray(0, w.pos);
  const hasMask = (b[2]! & 1) === 1;
  const len = b[3]!;
  const n = hasMask ? len / 2 : len;
  return { value: Buffer.from(b.subarray(4, 4 + n)), mask: hasMask ? Buffer.from(b.subarray(4 + n, 4 + 2 * n)) : undefined };
}

/** An exact OXM from field bytes (the inverse of fieldBytes), for showing a header. */
function fieldFromBytes(name: OxmFieldName, value: Buffer): OxmBasic {
  const info = OXM_FIELD_BY_NAME.get(name)!;
  const b = Buffer.alloc(4 + value.length);
  b.writeUInt16BE(0x8000, 0);
  b[2] = info.code << 1;
  b[3] = value.length;
  value.copy(b, 4);
  return decodeOxm(new Reader(b)) as OxmBasic;
}

export class Header {
  private constructor(private readonly fields: Map<OxmFieldName, Buffer>) {}

  static of(fields: readonly OxmBasic[]): Header {
    const h = new Header(new Map());
    for (const f of fields) h.set(f);
    return h;
  }

  clone(): Header {
    return new Header(new Map(this.fields));
  }

  has(name: OxmFieldName): boolean {
    return this.fields.has(name);
  }

  /** The field's bytes; zeros when the packet does not carry it. */
  bytes(name: OxmFieldName): Buffer {
    return this.fields.get(name) ?? Buffer.alloc(OXM_FIELD_BY_NAME.get(name)!.length);
  }

  /** Set a field (a masked value sets only the bits under the mask, as set_field with a mask would). */
  set(f: OxmBasic): void {
    const { value, mask } = fieldBytes(f);
    if (mask === undefined) {
      this.fields.set(f.field, value);
      return;
    }
    const old = this.bytes(f.field);
    const out = Buffer.alloc(value.length);
    for (let i = 0; i < value.length; i++) out[i] = (old[i]! & ~mask[i]!) | (value[i]! & mask[i]!);
    this.fields.set(f.field, out);
  }

  delete(name: OxmFieldName): void {
    this.fields.delete(name);
  }

  /** Whether the header has the value under the mask. */
  matches(name: OxmFieldName, want: FieldBytes): boolean {
    const have = this.bytes(name);
    const { value, mask } = want;
    if (have.length !== value.length) return false;
    for (let i = 0; i < value.length; i++) {
      const m = mask === undefined ? 0xff : mask[i]!;
      if ((have[i]! & m) !== (value[i]! & m)) return false;
    }
    return true;
  }

  /** The fields the packet carries, in OXM code order (in_port and metadata left out: a hop shows them itself). */
  toFields(): OxmBasic[] {
    const out: OxmBasic[] = [];
    for (const name of OXM_FIELD_NAMES) {
      if (name === 'in_port' || name === 'metadata') continue;
      const v = this.fields.get(name);
      if (v !== undefined) out.push(fieldFromBytes(name, v));
    }
    return out;
  }

  /** A stable text of every field: the key loop detection compares. */
  key(): string {
    return [...this.fields.entries()].filter(([n]) => n !== 'metadata').sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, v]) => `${n}=${v.toString('hex')}`).join(',');
  }
}
