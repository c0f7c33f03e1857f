import type { ChannelLog } from '../../src/openflow/channel/connection.js';

/** A logger that keeps lines for assertions instead of printing them. */
export function memoryLog(): ChannelLog & { lines: { level: string; msg: string; obj: object }[] } {
  const lines: { level: string; msg: string; obj: object }[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: 'info', msg, obj }),
    warn: (obj, msg) => lines.push({ level: 'warn', msg, obj }),
    debug: (obj, msg) => lines.push({ level: 'debug', msg, obj }),
  };
}
