import { readFileSync } from 'node:fs';

/** Arguments, or with "-" the lines of stdin (blank lines skipped). */
export function inputLines(args: readonly string[]): string[] {
  if (args.length === 1 && args[0] === '-') {
    return readFileSync(0, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
  }
  return [...args];
}
