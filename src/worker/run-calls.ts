// The worker's calls that run a loaded model: a pipeline on its arguments, a session on its
// feeds. Each is audited (sizes and time, never the data), its record carried on the Result it
// answers with; a session's output buffers move to the page instead of being copied.
import * as Comlink from 'comlink';
import type { WorkerContract } from '../protocol/worker-api.js';
import { heldAudit } from './audit/channel.js';
import type { Ready } from './boot.js';
import { buffersOf } from './engines/tensors.js';
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
      const result = await guard({ callId, events, settle, unexpected: 'BAD_INPUT' }, async (signal, ctx) => {
        const entry = models.get(handle, 'pipeline');
        const { policy, config } = ready();
        // images become RawImages here; a URL is fetched through the guarded fetch
        const input = VISION_TASKS.has(entry.info.task)
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
      const result = await guard({ callId, settle, unexpected: 'BAD_INPUT' }, (signal) => {
        const entry = models.get(handle, 'session');
        return audited(held.sink, entry.info.modelId, feeds, () => runSessionCall(entry, feeds, signal));
      });
      result.audit = held.events;
      return result.ok ? Comlink.transfer(result, buffersOf(result.value)) : result;
    },
  };
}
