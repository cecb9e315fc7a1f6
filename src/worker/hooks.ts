// A seam for tests: a test's worker entry may pass hooks to the dispatcher (test/app/test-worker.ts
// makes WebGPU session creation fail with one); the production entry passes none.
import type { Backend } from '../protocol/types.js';

export interface WorkerHooks {
  /** called before an engine is created on `backend`; a throw counts as that backend's failure */
  beforeCreate?(backend: Backend): void;
}
