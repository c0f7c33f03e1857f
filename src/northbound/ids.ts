import { dpidToString } from '../openflow/common.js';

/**
 * A datapath id as users write it: 16 hex digits (with or without colons),
 * 0x-hex, or decimal (Ryu and ovs-ofctl print decimal). Anything else is
 * undefined so the caller can answer 400 with what it got.
 */
export function parseDpid(text: string | number): bigint | undefined {
  if (typeof text === 'number') return Number.isSafeInteger(text) && text >= 0 ? BigInt(text) : undefined;
  const s = text.trim().toLowerCase();
  let v: bigint;
  if (/^[0-9a-f]{16}$/.test(s)) v = BigInt('0x' + s);
  else if (/^([0-9a-f]{2}:){7}[0-9a-f]{2}$/.test(s)) v = BigInt('0x' + s.replaceAll(':', ''));
  else if (/^0x[0-9a-f]{1,16}$/.test(s)) v = BigInt(s);
  else if (/^[0-9]{1,20}$/.test(s)) v = BigInt(s);
  else return undefined;
  return v <= 0xffff_ffff_ffff_ffffn ? v : undefined;
}

export const formatDpid = dpidToString;

/** Pattern the JSON Schemas use for a dpid in a path or query (the parser decides the value). */
export const DPID_PATTERN = '^(?:[0-9A-Fa-f]{16}|(?:[0-9A-Fa-f]{2}:){7}[0-9A-Fa-f]{2}|0[xX][0-9A-Fa-f]{1,16}|[0-9]{1,20})$';

export const MAC_PATTERN = '^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$';

/** A 64-bit unsigned integer as JSON carries it without loss: a decimal or 0x-hex string (or a safe integer). */
export function parseU64(v: string | number): bigint | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : undefined;
  const s = v.trim().toLowerCase();
  if (!/^(?:0x[0-9a-f]{1,16}|[0-9]{1,20})$/.test(s)) return undefined;
  const n = BigInt(s);
  return n <= 0xffff_ffff_ffff_ffffn ? n : undefined;
}
