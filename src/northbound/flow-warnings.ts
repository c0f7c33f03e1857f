import type { Instruction } from '../openflow/structs/instruction.js';
import type { SwitchRecord } from '../core/switches.js';

/**
 * What a person should hear about a flow the switch accepted: OpenFlow lets
 * a flow output to a port the switch does not have (OVS installs it and
 * drops the packets), which is nearly always a typo or a port that went
 * away. The flow stays; the answer says so.
 */
export function flowWarnings(sw: SwitchRecord, instructions: readonly Instruction[]): string[] {
  const warnings: string[] = [];
  const seen = new Set<number>();
  for (const ins of instructions) {
    if (ins.type !== 'apply_actions' && ins.type !== 'write_actions') continue;
    for (const a of ins.actions) {
      if (a.type !== 'output' || typeof a.port !== 'number' || sw.ports.has(a.port) || seen.has(a.port)) continue;
      seen.add(a.port);
      const have = [...sw.ports.keys()].sort((x, y) => x - y);
      warnings.push(`output to port ${a.port}, which switch ${sw.id} does not have (its ports: ${have.join(', ') || 'none'}); packets sent there are dropped until such a port appears`);
    }
  }
  return warnings;
}
