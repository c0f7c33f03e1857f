// Running the host tools (ovs-vsctl, ip, nsenter) without a shell: argv
// only, so a container or bridge name can never become a command.

import { execFile } from 'node:child_process';

export class ExecError extends Error {
  override readonly name = 'ExecError';
  constructor(
    readonly argv: readonly string[],
    readonly stderr: string,
  ) {
    super(`${argv.join(' ')}: ${stderr.trim() || 'failed'}`);
  }
}

export function run(cmd: string, args: readonly string[], timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new ExecError([cmd, ...args], String(stderr || err.message)));
      else resolve(String(stdout));
    });
  });
}
