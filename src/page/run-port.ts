// On the page: sends the run messages (src/protocol/run-port.ts) to one worker and hands each
// reply to the call waiting for it. A worker that dies leaves its calls to the host's race with
// its death.
import type { EventSink, Result } from '../protocol/messages.js';
import { RUN_KEY, runReplyOf, type RunMethod, type RunRequest } from '../protocol/run-port.js';

interface Waiting {
  resolve: (result: Result<unknown>) => void;
  events: EventSink | undefined;
}

export class RunPort {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
  }

  /** Sends one run; `transfers` move to the worker. It throws what postMessage throws (DataCloneError). */
  request(
    method: RunMethod,
    args: unknown[],
    transfers: Transferable[],
    events: EventSink | undefined,
  ): Promise<Result<unknown>> {
    const id = this.nextId++;
    const request: RunRequest = { id, method, args, events: events !== undefined };
    return new Promise((resolve) => {
      this.worker.postMessage({ [RUN_KEY]: request }, transfers);
      this.waiting.set(id, { resolve, events });
    });
  }

  private receive(data: unknown): void {
    const reply = runReplyOf(data);
    const waiting = reply && this.waiting.get(reply.id);
    if (!reply || !waiting) return;
    if ('event' in reply) return waiting.events?.(reply.event);
    this.waiting.delete(reply.id);
    waiting.resolve(reply.result);
  }
}
