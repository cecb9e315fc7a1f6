// The worker's side of the audit trail: events go to the page as they happen; `flush` waits until
// the page has every one sent so far, so an export taken after a call sees all of that call's
// events.
import type { AuditEvent, AuditSink } from './events.js';

export class AuditEmitter {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly sink?: AuditSink) {}

  readonly emit = (event: AuditEvent): void => {
    if (!this.sink) return;
    // the sink is the page's, across the worker boundary: its answer says it arrived
    const delivered = Promise.resolve()
      .then(() => this.sink!(event))
      .catch(() => undefined);
    this.pending.add(delivered);
    void delivered.finally(() => this.pending.delete(delivered));
  };

  /**
   * Only the events sent so far: a flush never waits for later calls' events, so calls that
   * finish in order still return in order (the page answers the events in the order they came).
   */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
