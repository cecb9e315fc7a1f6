// What comlink exposes of the worker: the methods of its contract, and nothing else (comlink
// would otherwise answer a call of any property of the object it is given).
import type { WorkerContract } from '../protocol/worker-api.js';
import type { TaskCalls } from './task-calls.js';

/** Every method of the contract; the compiler keeps this list complete. */
const METHODS: Record<keyof WorkerContract, true> = {
  init: true,
  flushAudit: true,
  loadPipeline: true,
  runPipeline: true,
  loadSession: true,
  runSession: true,
  cachePrefetch: true,
  listModels: true,
  cacheList: true,
  cacheHas: true,
  cacheVerify: true,
  cacheDelete: true,
  cacheClear: true,
  readFile: true,
  loadOcr: true,
  runOcr: true,
  abort: true,
  unload: true,
  info: true,
  flushCollector: true,
  collectorStatus: true,
  closeCollector: true,
  runVad: true,
  vadProbabilities: true,
  vadStreamOpen: true,
  vadStreamPush: true,
  vadStreamClose: true,
};

/** The contract's methods of the dispatcher and of its task calls, bound; nothing else. */
export function exposed(core: Omit<WorkerContract, keyof TaskCalls>, tasks: TaskCalls): WorkerContract {
  const api = { ...tasks } as Record<string, unknown>;
  const methods = core as unknown as Record<string, (...args: unknown[]) => unknown>;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(METHODS)) {
    const own = api[name] as ((...args: unknown[]) => unknown) | undefined;
    out[name] = own ?? methods[name]!.bind(core);
  }
  return out as unknown as WorkerContract;
}
