// One onnxruntime-web per worker, and it does not take overlapping work: two WebGPU sessions
// may not be created at once ("another WebGPU EP inference session is being created"), and
// runs must not interleave. Every session creation and every run goes through this queue.
import { AirlockError } from '../errors.js';

let tail: Promise<unknown> = Promise.resolve();

/**
 * Runs `work` after everything queued before it. A job aborted while it waits leaves the queue
 * at once with ABORTED and never runs; once running, it handles its signal itself.
 */
export function serially<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  let started = false;
  const aborted = () => new AirlockError('ABORTED', 'The call was aborted while it waited for the engine');
  const turn = tail.then(() => {
    if (signal?.aborted) throw aborted();
    started = true;
    return work();
  });
  tail = turn.catch(() => undefined);
  if (!signal) return turn;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => !started && reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    turn.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
