// The `airlock` executable (dist/cli.js). A command that keeps running (serve) sets no exit code.
import { main } from './main.js';

const code = await main(process.argv.slice(2));
if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code;
