/** Quote a user value in an error message; never throws (bigint, cycles, undefined). */
export function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
