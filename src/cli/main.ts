import { ofpPrint } from './ofp-print.js';
import { ofpEncode } from './ofp-encode.js';
import { start } from './start.js';

const USAGE = `usage: switchyard <command> [args]

commands:
  start [--of-port N] [--of-address A] [--http-port N]   run the controller in the foreground
  ofp-print HEX... | -      decode OpenFlow 1.3 messages (hex) to JSON, one per line
  ofp-encode JSON... | -    encode messages in ofp-print's JSON form to hex, one per line
  lab NAME [--check]        a Wireshark-checked Mininet lab (lab --list; lab --help)
`;

export async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'ofp-print':
      return ofpPrint(rest);
    case 'ofp-encode':
      return ofpEncode(rest);
    case 'start':
      return start(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command ${JSON.stringify(cmd)}\n${USAGE}`);
      return 2;
  }
}
