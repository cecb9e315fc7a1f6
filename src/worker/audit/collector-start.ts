// The worker's collector, when its config names one: fed with every event the worker posts.
import type { HostingFacts, WorkerConfig } from '../../protocol/config.js';
import type { FetchLike } from '../policy/guarded-fetch.js';
import { teeAudit } from './channel.js';
import { Collector } from './collector.js';

export function startCollector(config: WorkerConfig, fetch: FetchLike): Collector | undefined {
  if (!config.collector) return undefined;
  // one outbox per endpoint: what a page or worker left for it goes out from the next
  const collector = new Collector(config.collector, `airlock-audit:${config.collector.url}`, fetch);
  teeAudit((event) => collector.add(event));
  return collector;
}

/** The page's collector, else the one the hosting policy in force names (same origin: checked with the policy). */
export function collectorConfig(config: WorkerConfig, hosting: { facts: HostingFacts } | undefined): WorkerConfig {
  if (config.collector) return config;
  const url = hosting?.facts.collectorUrl;
  const settings = config.hostingPolicy?.collector;
  return url && settings ? { ...config, collector: { ...settings, url } } : config;
}
