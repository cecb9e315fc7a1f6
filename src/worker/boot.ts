// A worker's start: the policy, the engines' settings, the store, and the lock that tells the
// page when this worker is gone.
import { env as transformersEnv } from '@huggingface/transformers';
import type { WorkerConfig, WorkerFacts } from '../protocol/config.js';
import { postAudit } from './audit/channel.js';
import { collectorConfig, startCollector } from './audit/collector-start.js';
import type { Collector } from './audit/collector.js';
import { configureOrt, ort } from './engines/ort-env.js';
import { configureTransformers } from './engines/transformers.js';
import { installHosting, type Hosting } from './policy/hosting.js';
import { installPolicy, type InstalledPolicy } from './policy/install.js';
import { ModelStore } from './store/model-store.js';

export interface Ready {
  config: WorkerConfig;
  policy: InstalledPolicy;
  store: ModelStore;
  threads: number;
  /** the hosting policy in force, when the page named one */
  hosting?: Hosting | undefined;
  /** the central audit log's sender, when the config names a collector */
  collector?: Collector | undefined;
}

export async function boot(config: WorkerConfig): Promise<{ ready: Ready; facts: WorkerFacts }> {
  // the hosting policy comes first: nothing else is fetched until it is verified
  const { policy, hosting } = await installHosting(config, installPolicy(config, postAudit), postAudit);
  const { threads } = configureOrt(config.runtimeBase, config.wasmThreads);
  configureTransformers(config.modelBase);
  const collector = startCollector(collectorConfig(config, hosting), policy.fetch);
  const ready = { config, policy, store: new ModelStore(config.store), threads, hosting, collector };
  // Held until this worker dies: the page waits on the same lock to learn of a crash.
  if (typeof navigator.locks?.request === 'function') {
    await new Promise<void>(
      (held) => void navigator.locks.request(config.livenessLock, () => (held(), new Promise<never>(() => {}))),
    );
  }
  const engines = { transformersJs: transformersEnv.version, onnxruntimeWeb: ort.env.versions.web ?? 'unknown' };
  return { ready, facts: { scriptUrl: self.location.href, engines, hostingPolicy: hosting?.facts } };
}
