// The real worker entry, wrapped for tests: it can exit on cue (a crash as the page sees it)
// and can be told to fail WebGPU session creation, to exercise the fallback to WASM.
// Imports run in order: the faults are in place before the entry starts.
import './test-faults.js';
import '../../src/worker/entry.js';
