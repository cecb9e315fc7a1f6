// What the worker serves: the runs on the run port, and by comlink the other methods of its
// contract, nothing else (comlink would otherwise answer a call of any property of the object
// it is given).
import { RUN_METHODS, type CallContract, type RunContract } from '../protocol/run-port.js';
import type { WorkerContract } from '../protocol/worker-api.js';
import type { TaskCalls } from './task-calls.js';

/** Every method comlink carries; the compiler keeps this list complete. */
const METHODS: Record<keyof CallContract, true> = {
  init: true,
  flushAudit: true,
  loadPipeline: true,
  loadSession: true,
  cachePrefetch: true,
  listModels: true,
  cacheList: true,
  cacheHas: true,
  cacheVerify: true,
  cacheDelete: true,
  cacheClear: true,
  cacheSettled: true,
  readFile: true,
  loadOcr: true,
  abort: true,
  unload: true,
  info: true,
  flushCollector: true,
  collectorStatus: true,
  closeCollector: true,
  vadStreamOpen: true,
  vadStreamClose: true,
};

/** The contract's methods of the dispatcher and of its task calls, bound; nothing else. */
export function exposed(
  core: Omit<WorkerContract, keyof TaskCalls>,
  tasks: TaskCalls,
): { calls: CallContract; runs: RunContract } {
  const api = { ...tasks } as Record<string, unknown>;
  const methods = core as unknown as Record<string, (...args: unknown[]) => unknown>;
  const bound = (names: readonly string[]) => {
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const own = api[name] as ((...args: unknown[]) => unknown) | undefined;
      out[name] = own ?? methods[name]!.bind(core);
    }
    return out;
  };
  return {
    calls: bound(Object.keys(METHODS)) as unknown as CallContract,
    runs: bound(RUN_METHODS) as unknown as RunContract,
  };
}
