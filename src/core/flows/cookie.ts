// Cookies that carry meaning (Faucet/Antrea style). 64 bits:
//
//   63..48 magic 0x5359 ('SY')   47..32 owner id   31..16 generation   15..0 per-flow value
//
// The magic lets a flow dump tell our flows from anyone else's; magic+owner
// lets "remove everything of app X" be one masked flow_mod delete; the
// generation tells flows of an earlier controller run from fresh ones.

export const COOKIE_MAGIC = 0x5359;
/** cookie_mask selecting the magic only: "every flow Switchyard installed". */
export const MAGIC_MASK = 0xffff_0000_0000_0000n;
/** cookie_mask selecting magic and owner: "every flow of one owner, any generation". */
export const OWNER_MASK = 0xffff_ffff_0000_0000n;
/** cookie_mask selecting one exact cookie. */
export const EXACT_MASK = 0xffff_ffff_ffff_ffffn;
/** The owner the flow service itself uses (table-miss flows). */
export const CORE_OWNER = 'core';

/** The magic alone, to pair with MAGIC_MASK in a flow dump filter. */
export const MAGIC_COOKIE = BigInt(COOKIE_MAGIC) << 48n;
const MAGIC_BITS = MAGIC_COOKIE;

export interface ParsedCookie {
  readonly owner: number;
  readonly generation: number;
  readonly n: number;
}

function u16(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${what} ${v} does not fit in 16 bits`);
  return v;
}

/** The cookie of flow `n` of `owner` (an owner id) installed by controller `generation`. */
export function cookieFor(owner: number, generation: number, n: number): bigint {
  return ownerGenerationBits(owner, generation) | BigInt(u16(n, 'flow value'));
}

/** Magic, owner and generation: the constant part of one owner's cookies in this run. */
export function ownerGenerationBits(owner: number, generation: number): bigint {
  return MAGIC_BITS | (BigInt(u16(owner, 'owner id')) << 32n) | (BigInt(u16(generation, 'generation')) << 16n);
}

/** Magic and owner: the value to pair with OWNER_MASK. */
export function ownerCookie(owner: number): bigint {
  return MAGIC_BITS | (BigInt(u16(owner, 'owner id')) << 32n);
}

/** The fields of one of our cookies, or undefined for a cookie without our magic. */
export function parseCookie(cookie: bigint): ParsedCookie | undefined {
  if (cookie >> 48n !== BigInt(COOKIE_MAGIC)) return undefined;
  // One Number conversion of the low 48 bits is cheaper than three bigint shifts.
  const low = Number(cookie & 0xffff_ffff_ffffn);
  return { owner: Math.floor(low / 2 ** 32), generation: Math.floor(low / 65536) % 65536, n: low % 65536 };
}

/** 16-bit FNV-1a, xor-folded from 32 bits: stable across runs and machines, so cookies survive restarts. */
export function hash16(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return ((h >>> 16) ^ h) & 0xffff;
}

/** Cookie as 16 hex digits with 0x, the form events and REST carry. */
export function cookieToString(cookie: bigint): string {
  return '0x' + cookie.toString(16).padStart(16, '0');
}

export class OwnerCollisionError extends Error {
  override readonly name = 'OwnerCollisionError';
  constructor(name: string, other: string, id: number) {
    super(`owner "${name}" hashes to cookie owner id 0x${id.toString(16)}, already taken by "${other}"; rename one of them`);
  }
}

/**
 * Owner names ↔ 16-bit owner ids. Ids are a hash of the name (not a
 * registration counter) so they do not depend on start order and a
 * restarted controller recognises its apps' flows; a collision is refused
 * at registration instead of silently sharing cookies.
 */
export class OwnerRegistry {
  private readonly byId = new Map<number, string>();
  private readonly byName = new Map<string, number>();

  register(name: string): number {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    if (name.length === 0) throw new TypeError('owner name must not be empty');
    const id = hash16(name);
    const other = this.byId.get(id);
    if (other !== undefined) throw new OwnerCollisionError(name, other, id);
    this.byId.set(id, name);
    this.byName.set(name, id);
    return id;
  }
  id(name: string): number | undefined {
    return this.byName.get(name);
  }
  name(id: number): string | undefined {
    return this.byId.get(id);
  }
  /** The owner name of a cookie, if it is ours and its owner is registered. */
  nameOf(cookie: bigint): string | undefined {
    const p = parseCookie(cookie);
    return p === undefined ? undefined : this.byId.get(p.owner);
  }
  names(): string[] {
    return [...this.byName.keys()];
  }
}
