// Writes big-gather models of the sizes asked for: `npm run big-gather -- <dir> 16 64 256`
// (MiB of external data each) into <dir>/big-gather-<MiB>/.
import { resolve } from 'node:path';
import { writeBigGather } from './fixtures/big-gather.js';

const [dir, ...sizes] = process.argv.slice(2);
if (!dir || sizes.length === 0 || sizes.some((s) => !(Number(s) > 0))) {
  console.error('usage: tsx scripts/write-big-gather.ts <models dir> <MiB> [<MiB> ...]');
  process.exit(2);
}
for (const mib of sizes.map(Number)) {
  const { dir: out, dataBytes } = await writeBigGather(resolve(dir), mib, `big-gather-${mib}`);
  console.log(`${out}: ${dataBytes} bytes of external data`);
}
