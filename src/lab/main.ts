import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findLab, listLabs, repoRoot, LabSpecError } from './spec.js';
import { runLab } from './run-lab.js';

export const LAB_USAGE = `usage: switchyard lab NAME [--check | --no-cli] [--prefix P] [--out DIR] [--of-port N] [--http-port N] [-- START-OPTIONS]
       switchyard lab --list

Starts the controller, the lab's Mininet network and tshark captures, and
drops into the Mininet CLI with a guide. --check runs the lab's steps
unattended and prints a table of checks (exit 0 only if all held).
  --prefix P   prefix for switch and host names (default none: h1, s1 as in mn)
  --no-cli     no mininet> prompt: keep the network up until Ctrl-C (no terminal)
  --out DIR    where captures and logs go (default .switchyard/labs/NAME)
  -- ...       the rest goes to the controller as \`switchyard start\` options (e.g. -- --apps l2-switch,blocklist)
Labs: mininet/labs/NAME/ (README.md and lab.json).`;

/** `switchyard lab`. */
export async function lab(args: readonly string[]): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { check: { type: 'boolean' }, 'no-cli': { type: 'boolean' }, list: { type: 'boolean' }, prefix: { type: 'string' }, out: { type: 'string' }, 'of-port': { type: 'string' }, 'http-port': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    process.stderr.write(`switchyard lab: ${(e as Error).message}\n${LAB_USAGE}\n`);
    return 2;
  }
  const o = v.values;
  const dash = args.indexOf('--');
  const extra = dash >= 0 ? args.slice(dash + 1) : [];
  const positionals = dash >= 0 ? v.positionals.slice(0, v.positionals.length - extra.length) : v.positionals;
  try {
    if (o.help) {
      process.stdout.write(LAB_USAGE + '\n');
      return 0;
    }
    if (o.list || positionals.length === 0) {
      const labs = listLabs();
      process.stdout.write(labs.map((l) => `  ${String(l.spec.number).padStart(2)}  ${l.name.padEnd(14)} ${l.spec.title}`).join('\n') + '\n');
      if (!o.list) process.stdout.write(`\n${LAB_USAGE}\n`);
      return o.list ? 0 : 2;
    }
    const name = positionals[0] ?? '';
    const found = findLab(name);
    if (!found) {
      process.stderr.write(`switchyard lab: no lab ${JSON.stringify(name)}; there are: ${listLabs().map((l) => l.name).join(', ')}\n`);
      return 2;
    }
    if (process.getuid?.() !== 0) {
      process.stderr.write('switchyard lab needs root (Mininet and Open vSwitch do): sudo npm run lab -- ' + name + '\n');
      return 2;
    }
    const prefix = o.prefix ?? '';
    if (!/^[a-z][a-z0-9]{0,5}$|^$/.test(prefix)) {
      process.stderr.write('switchyard lab: --prefix must be up to 6 lowercase letters/digits starting with a letter (interface names are short)\n');
      return 2;
    }
    const port = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));
    return await runLab(found, {
      check: o.check === true,
      noCli: o['no-cli'] === true,
      prefix,
      outDir: o.out ?? join(repoRoot(), '.switchyard', 'labs', found.name),
      ...(o['of-port'] !== undefined ? { ofPort: port(o['of-port']) } : {}),
      ...(o['http-port'] !== undefined ? { httpPort: port(o['http-port']) } : {}),
      controllerArgs: extra,
      out: process.stdout,
    });
  } catch (e) {
    if (e instanceof LabSpecError) {
      process.stderr.write(`switchyard lab: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
