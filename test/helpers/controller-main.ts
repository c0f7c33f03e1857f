// `switchyard` from the TypeScript sources, for tests that run the controller
// as a child process (so they can kill -9 it) without building dist/ first.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
