// onnxruntime-web's WASM runs can settle through microtasks alone, so a generation loop may never
// give the worker's event loop a turn: an abort message from the page would wait until the end.
// While a call that can be aborted runs, each session run starts with a yield that lets such
// messages in, once per token; without a signal, one every few ms keeps the worker answering.

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

/** calls in progress that the page can abort; engine work is serial, so 0 or 1 */
let listening = 0;
/** when the worker's event loop last had a turn that this module knows of */
let lastTurn = 0;
/** the longest a generation runs without a turn when no abort can come: other calls (info, the audit trail) get answers meanwhile */
const SLICE_MS = 16;

/**
 * Runs a pipeline call's `work`. While it runs, the sessions of `yieldBeforeRuns` yield before
 * each run when `signal` is given (an abort stops it within a token), and otherwise once every
 * SLICE_MS (a tiny model's steps take a fraction of a ms; a yield, about a third of one).
 */
export async function listeningFor<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  lastTurn = performance.now(); // the call came in a message: the loop has just had a turn
  if (!signal) return work();
  listening++;
  try {
    return await work();
  } finally {
    listening--;
  }
}

interface Runnable {
  run: (...args: never[]) => Promise<unknown>;
}

/** Makes runs of these sessions start with a yield to the event loop, as `listeningFor` says. */
export function yieldBeforeRuns(sessions: Iterable<Runnable>): void {
  for (const session of sessions) {
    const run = session.run.bind(session);
    // no async frame of its own when it does not yield
    session.run = (...args: never[]) =>
      listening > 0 || performance.now() - lastTurn >= SLICE_MS
        ? yieldToEventLoop().then(() => {
            lastTurn = performance.now();
            return run(...args);
          })
        : run(...args);
  }
}
