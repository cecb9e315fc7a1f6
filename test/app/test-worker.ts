// The real worker, started for tests: it can exit on cue (a crash as the page sees it), can be
// told to fail WebGPU session creation (to exercise the fallback to WASM), and to close its
// store's database mid-read. Imports run in order: the faults are in place before it starts.
import { testHooks } from './test-faults.js';
import { startWorker } from '../../src/worker/start.js';

startWorker(testHooks);
