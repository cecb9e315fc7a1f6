// The calls of the task APIs (speech detection, OCR, a model's other files) and of the central
// audit log, each built in its own module and gathered here, so the dispatcher wires only the core.
import type { LoadOptions } from '../protocol/types.js';
import type { WorkerContract } from '../protocol/worker-api.js';
import { collectorCalls } from './audit/collector-calls.js';
import type { Ready } from './boot.js';
import { fileCalls } from './file-calls.js';
import type { CallContext } from './guard.js';
import type { LoadContext } from './load.js';
import type { Registry } from './registry.js';
import { ocrCalls } from './tasks/ocr/calls.js';
import { vadCalls } from './tasks/vad/calls.js';

export type TaskCalls = Pick<
  WorkerContract,
  | 'flushCollector'
  | 'collectorStatus'
  | 'closeCollector'
  | 'runVad'
  | 'vadProbabilities'
  | 'vadStreamOpen'
  | 'vadStreamPush'
  | 'vadStreamClose'
  | 'readFile'
  | 'loadOcr'
  | 'runOcr'
>;

interface Needs {
  state: () => Ready | undefined;
  models: Registry;
  settle: () => Promise<void>;
  /** a load's context; `engines` false where none is built (reading a file) */
  context: (options: LoadOptions, signal: AbortSignal | undefined, ctx: CallContext, engines: boolean) => LoadContext;
}

export function taskCalls({ state, models, settle, context }: Needs): TaskCalls {
  const collector = collectorCalls(state);
  return {
    flushCollector: collector.flush,
    collectorStatus: collector.status,
    closeCollector: collector.close,
    ...vadCalls(models),
    ...fileCalls({ settle, context: (o, s, c) => context(o, s, c, false) }),
    ...ocrCalls({ models, settle, context: (o, s, c) => context(o, s, c, true) }),
  };
}
