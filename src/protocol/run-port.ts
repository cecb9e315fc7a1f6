// Runs of loaded models, the calls a page makes most often, travel as plain messages on the
// worker's own port beside comlink's calls: one message each way, with the call's text pieces
// before its result. Being the same port, a run stays in order with the audit messages and with
// an abort sent after it.
import type { Result, WorkerEvent } from './messages.js';
import type { WorkerContract } from './worker-api.js';

/** The contract's methods that go by run messages; comlink carries the rest. */
export const RUN_METHODS = [
  'runPipeline',
  'runSession',
  'runOcr',
  'runVad',
  'vadProbabilities',
  'vadStreamPush',
] as const;

export type RunMethod = (typeof RUN_METHODS)[number];
export type RunContract = Pick<WorkerContract, RunMethod>;
/** What comlink exposes of the worker. */
export type CallContract = Omit<WorkerContract, RunMethod>;

/** A run's positional arguments, all of them up to its call id: a sink for its events is added in the worker. */
export type RunArgs<M extends RunMethod> = Parameters<RunContract[M]>;
export type RunValue<M extends RunMethod> = Awaited<ReturnType<RunContract[M]>> extends Result<infer T> ? T : never;

/** The key run messages travel under: comlink ignores a message without its `id`, the audit listener one without its key. */
export const RUN_KEY = 'airlock:run';

export interface RunRequest {
  id: number;
  method: RunMethod;
  args: unknown[];
  /** the page listens for the call's events (text pieces of a generation) */
  events: boolean;
}

export type RunReply = { id: number; event: WorkerEvent } | { id: number; result: Result<unknown> };

function carried(data: unknown): Record<string, unknown> | undefined {
  if (typeof data !== 'object' || data === null || !(RUN_KEY in data)) return undefined;
  const message = (data as Record<string, unknown>)[RUN_KEY];
  return typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : undefined;
}

/** The run request a message carries, if it carries one. */
export function runRequestOf(data: unknown): RunRequest | undefined {
  const m = carried(data);
  const known = typeof m?.method === 'string' && (RUN_METHODS as readonly string[]).includes(m.method);
  return m && known && typeof m.id === 'number' && Array.isArray(m.args) ? (m as unknown as RunRequest) : undefined;
}

/** The run reply a message carries, if it carries one. */
export function runReplyOf(data: unknown): RunReply | undefined {
  const m = carried(data);
  return m && typeof m.id === 'number' && ('event' in m || 'result' in m) ? (m as unknown as RunReply) : undefined;
}
