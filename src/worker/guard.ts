// How every worker method answers: a Result instead of a throw (so error codes cross the boundary
// intact and the worker stays healthy), with the call's abort signal and its event delivery.
import * as Comlink from 'comlink';
import { AirlockError, isAirlockError, type ErrorCode } from '../errors.js';
import { endCall, startCall } from './calls.js';
import type { EventSink, Result } from '../protocol/messages.js';

/** A call's id (so the page can abort it) and where its events go. */
export interface CallContext {
  callId?: number | undefined;
  events?: EventSink | undefined;
}

/**
 * A load's event sink arrives as a comlink proxy: each event is a message on its own port, and
 * the call's result waits for those messages to be delivered, so that no progress arrives after
 * the result it belongs to; the port is released at the end. A run's sink posts on the run port,
 * ahead of its result on the same port (src/worker/run-port.ts): there is nothing to wait for.
 */
function deliver(sink: EventSink | undefined): { ctx: CallContext; flush?: () => Promise<void> } {
  if (!sink) return { ctx: {} };
  const sent: Promise<unknown>[] = [];
  const remote = sink as unknown as Comlink.Remote<EventSink>;
  return {
    ctx: { events: (event) => void sent.push(Promise.resolve(remote(event)).catch(() => undefined)) },
    flush: async () => {
      await Promise.all(sent);
      remote[Comlink.releaseProxy]?.();
    },
  };
}

export interface GuardedCall extends CallContext {
  /** the code of a failure that is not the library's own: named by each method, for what it runs */
  unexpected: ErrorCode;
  /** runs before the Result is returned (the audit trail's delivery, so that a call's events reach the page first) */
  settle?: (() => Promise<void>) | undefined;
}

/** Runs `fn` as call `callId`; any failure becomes an error Result. */
export async function guard<T>(
  call: GuardedCall,
  fn: (signal: AbortSignal | undefined, ctx: CallContext) => Promise<T>,
): Promise<Result<T>> {
  const signal = startCall(call.callId);
  const { ctx, flush } = deliver(call.events);
  try {
    return { ok: true, value: await fn(signal, ctx) };
  } catch (e) {
    const err = isAirlockError(e) ? e : new AirlockError(call.unexpected, (e as Error)?.message ?? String(e));
    return { ok: false, error: err.toJSON() };
  } finally {
    endCall(call.callId);
    // no awaits where there is nothing to wait for: a short run's answer goes out a turn sooner
    if (flush) await flush();
    if (call.settle) await call.settle().catch(() => undefined);
  }
}
