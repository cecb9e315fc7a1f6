// The hosting policy put in place at the worker's start, before any other request: fetched and
// verified, then wrapped around the installed origin policy so that every fetch of the worker and
// the runtime files meet its origin rule too.
import type { AuditSink } from '../../protocol/audit-events.js';
import type { HostingFacts, WorkerConfig } from '../../protocol/config.js';
import { isAllowedUrl } from '../../shared/origins.js';
import { startHostingPolicy } from './hosting-fetch.js';
import { createHostingRules, type HostingRules } from './hosting-rules.js';
import type { InstalledPolicy } from './install.js';

export interface Hosting {
  facts: HostingFacts;
  rules: HostingRules;
}

/** The installed policy narrowed by the hosting policy; unchanged when the page named none. */
export async function installHosting(
  config: WorkerConfig,
  installed: InstalledPolicy,
  emit: AuditSink,
): Promise<{ policy: InstalledPolicy; hosting?: Hosting }> {
  if (!config.hostingPolicy) return { policy: installed };
  const facts = await startHostingPolicy(
    { ...config.hostingPolicy, modelOrigin: config.policy.modelOrigin },
    config.store.dbName,
    installed.fetch,
    emit,
  );
  const rules = createHostingRules(facts.rules, facts.url, emit);
  const guarded = rules.guard(installed.fetch, (url) => isAllowedUrl(config.policy, url));
  self.fetch = guarded;
  const policy: InstalledPolicy = {
    fetch: guarded,
    flushRequests: () => installed.flushRequests(),
    checkRuntime() {
      installed.checkRuntime();
      rules.checkOrigin(config.runtimeBase, 'Refused to load onnxruntime-web from');
    },
  };
  return { policy, hosting: { facts, rules } };
}
