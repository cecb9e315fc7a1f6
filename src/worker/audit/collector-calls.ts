// The worker calls for the central audit log: flush now, its status, and the last flush.
import type { CollectorStatus } from '../../protocol/collector.js';
import type { Result } from '../../protocol/messages.js';
import type { Ready } from '../boot.js';
import { guard } from '../guard.js';
import type { Collector } from './collector.js';

type CollectorCall = () => Promise<Result<CollectorStatus | null>>;

export function collectorCalls(ready: () => Ready | undefined): Record<'flush' | 'status' | 'close', CollectorCall> {
  const call = (fn: (c: Collector) => Promise<CollectorStatus>) => () =>
    guard({ unexpected: 'NETWORK' }, async () => {
      const state = ready();
      if (!state?.collector) return null;
      state.policy.flushRequests(); // the requests the browser has recorded but not yet reported
      return fn(state.collector);
    });
  return {
    flush: call((c) => c.flush()),
    status: call((c) => Promise.resolve({ ...c.status })),
    close: call(async (c) => (await c.close(), { ...c.status })),
  };
}
