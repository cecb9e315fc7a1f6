// Starts the worker: its contract, exposed to the page with comlink. The production entry passes
// no hooks; a test's worker entry passes its own (src/worker/hooks.ts).
import * as Comlink from 'comlink';
import { WorkerDispatcher } from './dispatcher.js';
import { exposed } from './exposed.js';
import type { WorkerHooks } from './hooks.js';

export function startWorker(hooks: WorkerHooks = {}): void {
  const dispatcher = new WorkerDispatcher(hooks);
  Comlink.expose(exposed(dispatcher, dispatcher.tasks));
}
