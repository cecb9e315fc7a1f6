// serve() in a process of its own, so that a test can see whether a request brings it down.
// Usage: node --import tsx test/support/serve-child.ts <modelsDir>; prints the origin on one line.
import { serve } from '../../src/node/serve/server.js';

const server = await serve({ modelsDir: process.argv[2]! });
process.stdout.write(`${server.origin}\n`);
