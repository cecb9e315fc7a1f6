// Turns a call that emits text pieces into an async iterator. Stopping the loop early aborts
// the call in the worker; an abort ends the loop at once with the worker's ABORTED error,
// without handing out pieces that were still on their way.
import { AirlockError } from '../errors.js';
import type { WorkerEvent } from '../protocol/messages.js';

export function streamText(
  start: (events: (e: WorkerEvent) => void, signal: AbortSignal) => Promise<unknown>,
  external: AbortSignal | undefined,
): AsyncIterable<string> {
  return {
    async *[Symbol.asyncIterator]() {
      const pieces: string[] = [];
      let wake: (() => void) | undefined;
      let finished = false;
      let failure: Error | undefined;
      const internal = new AbortController();
      const forward = () => (internal.abort(), wake?.());
      if (external?.aborted) internal.abort();
      external?.addEventListener('abort', forward, { once: true });
      const run = start((e) => {
        if (e.type === 'text' && e.text) {
          pieces.push(e.text);
          wake?.();
        }
      }, internal.signal);
      run.then(
        () => ((finished = true), wake?.()),
        (e: unknown) => ((failure = e instanceof Error ? e : new Error(String(e))), (finished = true), wake?.()),
      );
      try {
        for (;;) {
          if (internal.signal.aborted) {
            await run.catch(() => undefined);
            throw failure ?? new AirlockError('ABORTED', 'The generation was aborted after it had finished');
          }
          if (pieces.length) {
            yield pieces.shift()!;
            continue;
          }
          if (finished) {
            if (failure) throw failure;
            return;
          }
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
        }
      } finally {
        external?.removeEventListener('abort', forward);
        if (!finished) internal.abort();
      }
    },
  };
}
