// onnxruntime-web starts its runtime (fetches and compiles its 26 MB `.wasm`, about a second on a
// two-core machine) at the first session it creates. Started once a load's manifest is
// accepted, it runs while the model's bytes are fetched or read and verified, instead of after:
// that second leaves the load's critical path. onnxruntime-web offers no way to start it but a session, so the first
// load creates one of a model of our own, built into the library (83 bytes: y = Identity(x),
// float [1]), and releases it at once. No downloaded byte reaches the engine before its check.
import { createDirect } from './chain-guard.js';
import { serially } from '../serial.js';

/** ModelProto { ir 8, opset 17, graph "warm-up": y = Identity(x), x and y float [1] }, as test/unit/runtime-warm-up.test.ts decodes it */
export const WARM_UP_MODEL =
  'CAgSB2FpcmxvY2s6QAoTCgF4EgF5GgF5IghJZGVudGl0eRIHd2FybS11cFoPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAFCBAoAEBE=';

let started: Promise<void> | undefined;

function modelBytes(): Uint8Array {
  return Uint8Array.from(atob(WARM_UP_MODEL), (c) => c.charCodeAt(0));
}

/**
 * Starts onnxruntime-web's runtime once per worker, in the queue of engine work (its start must
 * not overlap another backend's). Resolves when it has started; rejects with the runtime's own
 * error when it could not, which every engine creation then meets first (see `runtimeStarted`).
 */
export function warmUpRuntime(): Promise<void> {
  started ??= serially(async () => {
    const session = await createDirect(modelBytes(), { executionProviders: ['wasm'], logSeverityLevel: 3 });
    await session.release();
  });
  started.catch(() => undefined); // seen by the creation that awaits it
  return started;
}

/** Waits for the warm-up, if one started: its failure is the creation's. */
export function runtimeStarted(): Promise<void> {
  return started ?? Promise.resolve();
}
