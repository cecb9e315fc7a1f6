// transformers.js 4.3.1 queues every session creation and every run it makes on promise chains
// private to its module (`webInitChain = webInitChain.then(load)`, `webInferenceChain =
// webInferenceChain.then(run)`, bundled as is in dist/transformers.web.js) and never catches on
// them: after one rejection every later link rejects with that first error, so one failed call
// broke every later load and call of every pipeline in the worker, unloads and reloads included.
//
// The chains cannot be reached to reset, a patch of the bundle would hold only in the builds that
// apply it, and restarting the worker would drop every loaded model. So what transformers.js puts
// on its chains never rejects: a failed creation or run resolves to a stand-in that throws the
// real error at its first use, and transformers.js uses it at once after the chain: `session.config
// = …` after its one `InferenceSession.create`, `replaceTensors(outputs)` (models) or
// `outputs[name]` (its ops, e.g. TopK) after its one `session.run`. The caller fails with the
// error as before; the chain stays fulfilled. Nothing relied on the chains' ordering: Airlock
// queues engine work itself (serial.ts). test/unit/stand-in.test.ts replays those chains.
import { ort } from './ort-env.js';
import { neverRejects } from './stand-in.js';

type Create = typeof ort.InferenceSession.create;

/** onnxruntime-web's own `create`, which rejects on failure: raw sessions use it (and fall back on it). */
let direct: Create | undefined;

/** A session whose runs resolve to a stand-in instead of rejecting. */
function unchainedRuns(session: ort.InferenceSession): ort.InferenceSession {
  session.run = neverRejects(
    session.run.bind(session) as (...args: unknown[]) => Promise<ort.InferenceSession.ReturnType>,
  );
  return session;
}

/**
 * Makes sessions created through `ort.InferenceSession.create` (what transformers.js calls) never
 * reject their creation or their runs; once per worker, before the first pipeline.
 */
export function guardTransformersChains(): void {
  if (direct) return;
  const create: Create = ort.InferenceSession.create.bind(ort.InferenceSession);
  direct = create;
  ort.InferenceSession.create = neverRejects(async (...args: Parameters<Create>) =>
    unchainedRuns(await create(...args)),
  ) as Create;
}

/** Creates a raw session with onnxruntime-web's own `create`: failures reject, runs are the session's own. */
export function createDirect(
  bytes: Uint8Array,
  options: ort.InferenceSession.SessionOptions,
): Promise<ort.InferenceSession> {
  return direct ? direct(bytes, options) : ort.InferenceSession.create(bytes, options);
}
