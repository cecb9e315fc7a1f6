// The worker's calls that run a loaded model: a pipeline on its arguments, a session on its
// feeds. Each is audited (sizes and time, never the data), its record carried on the Result it
// answers with. They answer on the run port (src/worker/run-port.ts).
import type { WorkerContract } from '../protocol/worker-api.js';
import { heldAudit } from './audit/channel.js';
import type { Ready } from './boot.js';
import { guard } from './guard.js';
import { imageArgs } from './inputs/image.js';
import { VISION_TASKS } from '../protocol/tasks.js';
import type { Registry } from './registry.js';
import { audited, runPipelineCall, runSessionCall } from './runs.js';

interface Needs {
  ready: () => Ready;
  models: Registry;
  /** reports the requests a call made before its result */
  settle: () => Promise<void>;
}

export function runCalls({ ready, models, settle }: Needs): Pick<WorkerContract, 'runPipeline' | 'runSession'> {
  return {
    // an engine that refuses a call's arguments or options throws its own error
    runPipeline: async (handle, args, options = {}, callId, events) => {
      const held = heldAudit();
      // only a vision pipeline makes requests (an image given by URL), which its result waits for
      const vision = VISION_TASKS.has(models.find(handle, 'pipeline')?.info.task ?? '');
      const requests = vision ? settle : undefined;
      const result = await guard({ callId, events, settle: requests, unexpected: 'BAD_INPUT' }, async (signal, ctx) => {
        const entry = models.get(handle, 'pipeline');
        const { policy, config } = ready();
        // images become RawImages here; a URL is fetched through the guarded fetch
        const input = vision
          ? await imageArgs(args, { fetch: policy.fetch, maxPixels: config.maxImagePixels, signal })
          : args;
        const call = { args: input, options, signal, ctx, maxTextLength: config.maxTextLength };
        return audited(held.sink, entry.info.modelId, input, () => runPipelineCall(entry, call));
      });
      result.audit = held.events;
      return result;
    },
    runSession: async (handle, feeds, callId) => {
      const held = heldAudit();
      // a session run makes no requests: nothing to report before its result
      const result = await guard({ callId, unexpected: 'BAD_INPUT' }, (signal) => {
        const entry = models.get(handle, 'session');
        return audited(held.sink, entry.info.modelId, feeds, () => runSessionCall(entry, feeds, signal));
      });
      result.audit = held.events;
      return result;
    },
  };
}
