// In the worker: answers the run messages (src/protocol/run-port.ts) on its own port. Registered
// before comlink's listener, it keeps them from comlink, which would answer each with a reply
// of its own.
import { AirlockError } from '../errors.js';
import type { Result, WorkerEvent } from '../protocol/messages.js';
import {
  RUN_KEY,
  runRequestOf,
  type RunContract,
  type RunMethod,
  type RunReply,
  type RunRequest,
} from '../protocol/run-port.js';
import { buffersOf } from './engines/tensors.js';

type Run = (...args: unknown[]) => Promise<Result<unknown>>;

/** The runs whose answer's buffers move to the page instead of being copied (tensors, probabilities). */
const MOVES_BUFFERS: ReadonlySet<RunMethod> = new Set(['runSession', 'vadProbabilities']);

function post(reply: RunReply, transfers: Transferable[] = []): void {
  self.postMessage({ [RUN_KEY]: reply }, transfers);
}

async function answer(runs: RunContract, { id, method, args, events }: RunRequest): Promise<void> {
  // a run's events go ahead of its result on the same port, so none arrives after it
  const sink = events ? (event: WorkerEvent) => post({ id, event }) : undefined;
  let result: Result<unknown>;
  try {
    result = await (runs[method] as Run)(...(sink ? [...args, sink] : args));
  } catch (e) {
    // each run answers with a Result; this is a defect, kept from hanging the page's call
    result = { ok: false, error: new AirlockError('BAD_INPUT', (e as Error)?.message ?? String(e)).toJSON() };
  }
  try {
    post({ id, result }, result.ok && MOVES_BUFFERS.has(method) ? buffersOf(result.value) : []);
  } catch (e) {
    const message = `The answer of ${method} cannot be sent to the page: ${(e as Error)?.message ?? String(e)}`;
    post({ id, result: { ok: false, error: new AirlockError('BAD_INPUT', message).toJSON() } });
  }
}

export function serveRuns(runs: RunContract): void {
  self.addEventListener('message', (e: MessageEvent) => {
    const request = runRequestOf(e.data);
    if (!request) return;
    e.stopImmediatePropagation();
    void answer(runs, request);
  });
}
