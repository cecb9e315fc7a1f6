// Calls in flight that the page may abort: an AbortController per call id.
import { AirlockError } from '../errors.js';

const controllers = new Map<number, AbortController>();

export function startCall(callId: number | undefined): AbortSignal | undefined {
  if (callId === undefined) return undefined;
  const controller = new AbortController();
  controllers.set(callId, controller);
  return controller.signal;
}

export function endCall(callId: number | undefined): void {
  if (callId !== undefined) controllers.delete(callId);
}

export function abortCall(callId: number): void {
  controllers.get(callId)?.abort();
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string, details?: Record<string, unknown>): void {
  if (signal?.aborted) throw new AirlockError('ABORTED', `${what} was aborted`, details);
}
