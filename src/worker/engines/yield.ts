// onnxruntime-web's WASM runs can settle through microtasks alone, so a generation loop may never
// give the worker's event loop a turn: an abort message from the page would wait until the end.
// Yielding one macrotask before each session run lets such messages in, once per token.

const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();

/** Resolves after the event loop has had a turn (a MessageChannel round trip, no timer clamp). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

interface Runnable {
  run: (...args: never[]) => Promise<unknown>;
}

/** Makes every run of these sessions start with a yield to the event loop. */
export function yieldBeforeRuns(sessions: Iterable<Runnable>): void {
  for (const session of sessions) {
    const run = session.run.bind(session);
    session.run = async (...args: never[]) => {
      await yieldToEventLoop();
      return run(...args);
    };
  }
}
