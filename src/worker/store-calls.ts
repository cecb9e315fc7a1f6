// The worker's calls on the model store and on the origin's model list: the page's `cache.*`
// and `models()`. Each answers with a Result, as every call of the contract does.
import type { IndexEntry } from '../manifest/models-index.js';
import type { Result } from '../protocol/messages.js';
import type { PrefetchResult, StoredModel, VerifyReport } from '../protocol/types.js';
import type { WorkerContract } from '../protocol/worker-api.js';
import { postAudit } from './audit/channel.js';
import { checked } from './audit/events.js';
import type { Ready } from './boot.js';
import { prefetchSelection } from './engine-kinds.js';
import { guard, type CallContext } from './guard.js';
import { withModel, type LoadContext } from './load.js';
import { modelKey } from './model-source.js';
import { fetchModelsIndex } from './models-index.js';

type StoreCalls = Pick<
  WorkerContract,
  | 'cachePrefetch'
  | 'listModels'
  | 'cacheList'
  | 'cacheHas'
  | 'cacheVerify'
  | 'cacheDelete'
  | 'cacheClear'
  | 'cacheSettled'
>;

interface Needs {
  ready: () => Ready;
  /** reports the requests a call made before its result */
  settle: () => Promise<void>;
  /** a load's context without engines: a prefetch builds none */
  context: (options: { revalidate?: boolean }, signal: AbortSignal | undefined, ctx: CallContext) => LoadContext;
}

export function storeCalls({ ready, settle, context }: Needs): StoreCalls {
  const keyOf = (modelId: string) => modelKey(ready().config.modelBase, modelId);
  return {
    cachePrefetch: (modelId, options = {}, callId, events): Promise<Result<PrefetchResult>> =>
      guard({ callId, events, settle, unexpected: 'NETWORK' }, async (signal, ctx) => {
        const load = context(options, signal, ctx);
        const select = prefetchSelection(options.dtype, load.device);
        const { model, release } = await withModel(load, modelId, { select }, () => Promise.resolve());
        release();
        const bytes = model.files.reduce((n, f) => n + f.size, 0);
        return { modelId, revision: model.manifest.revision, bytes, evicted: model.evicted };
      }),
    listModels: (callId): Promise<Result<IndexEntry[]>> =>
      guard({ callId, settle, unexpected: 'NETWORK' }, (signal) => fetchModelsIndex(ready(), signal)),
    cacheList: (): Promise<Result<StoredModel[]>> =>
      guard({ unexpected: 'STORAGE_FAILED' }, () => ready().store.list()),
    cacheHas: (modelId) => guard({ unexpected: 'STORAGE_FAILED' }, () => ready().store.has(keyOf(modelId))),
    cacheVerify: (modelId): Promise<Result<VerifyReport | null>> =>
      guard({ settle, unexpected: 'STORAGE_FAILED' }, async () => {
        const report = (await ready().store.verify(keyOf(modelId))) ?? null;
        for (const f of report?.files ?? []) postAudit(checked(modelId, f));
        return report;
      }),
    cacheDelete: (modelId) => guard({ unexpected: 'STORAGE_FAILED' }, () => ready().store.delete(keyOf(modelId))),
    cacheClear: () => guard({ unexpected: 'STORAGE_FAILED' }, () => ready().store.clear()),
    cacheSettled: () => guard({ unexpected: 'STORAGE_FAILED' }, () => ready().store.settled()),
  };
}
