// Starts the worker: its runs served on the run port, the rest of its contract exposed to the
// page with comlink. The production entry passes no hooks; a test's worker entry passes its own
// (src/worker/hooks.ts).
import * as Comlink from 'comlink';
import { WorkerDispatcher } from './dispatcher.js';
import { exposed } from './exposed.js';
import type { WorkerHooks } from './hooks.js';
import { serveRuns } from './run-port.js';

export function startWorker(hooks: WorkerHooks = {}): void {
  const dispatcher = new WorkerDispatcher(hooks);
  const { calls, runs } = exposed(dispatcher, dispatcher.tasks);
  serveRuns(runs); // first: its listener keeps run messages from comlink's
  Comlink.expose(calls);
}
