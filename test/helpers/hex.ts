// Annotated hex for hand-written expected bytes: whitespace and `# comments` are ignored.
export function hex(text: string): Buffer {
  const clean = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (!/^(?:[0-9a-f]{2})*$/i.test(clean)) throw new Error(`bad hex in fixture: ${clean}`);
  return Buffer.from(clean, 'hex');
}

/** Describe the first differing byte, so a failing fixture says where. */
export function firstDiff(actual: Buffer, expected: Buffer): string | undefined {
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      return `first difference at byte ${i}: got 0x${actual[i]!.toString(16).padStart(2, '0')}, expected 0x${expected[i]!.toString(16).padStart(2, '0')} (got …${actual.toString('hex', Math.max(0, i - 4), i + 8)}, expected …${expected.toString('hex', Math.max(0, i - 4), i + 8)})`;
    }
  }
  if (actual.length !== expected.length) return `lengths differ: got ${actual.length} bytes, expected ${expected.length}`;
  return undefined;
}
