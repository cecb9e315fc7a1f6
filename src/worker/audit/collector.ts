// In the worker: posts its audit events to the organisation's collector as OTLP/HTTP JSON logs, in
// batches, through the guarded fetch; retried with exponential back-off on network errors, 429 and
// 5xx (a 4xx is final); from a bounded queue that counts what it drops, with an IndexedDB outbox so
// that a reload or a new worker while the collector is away loses nothing. It runs where the events
// are made and where the policy's `collector` arrives; its own posts are in the page's audit log
// (requests to an allowed origin) but are not posted, so they cannot feed themselves.
import type { AuditEvent } from '../../protocol/audit-events.js';
import type { CollectorSettings, CollectorStatus } from '../../protocol/collector.js';
import type { FetchLike } from '../policy/guarded-fetch.js';
import { otlpRequest, type QueuedEvent } from './collector-otlp.js';
import { openOutbox, type Outbox } from './collector-store.js';

export const MAX_BATCH = 100;
const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;

let sequence = 0;
/** Unique across tabs and reloads, and in time order, so the outbox's key order is arrival order. */
function eventId(): string {
  const random = [...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(16).padStart(2, '0'));
  return `${Date.now().toString(36).padStart(9, '0')}${(sequence++ % 1e6).toString(36).padStart(4, '0')}${random.join('')}`;
}

export class Collector {
  private queue: QueuedEvent[] = [];
  private outbox: Outbox | undefined;
  private readonly restored: Promise<void>;
  private unreported = 0; // drops not yet told to the collector (also in the outbox)
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending: Promise<boolean> | undefined;
  private retries = 0;
  private closed = false;
  readonly status: CollectorStatus;

  constructor(
    private readonly settings: CollectorSettings,
    outboxName: string,
    private readonly fetch: FetchLike,
  ) {
    this.status = { endpoint: settings.url, sent: 0, batches: 0, queued: 0, dropped: 0, rejected: 0, failures: 0 };
    this.restored = this.restore(outboxName);
  }

  private async restore(name: string): Promise<void> {
    try {
      const outbox = await openOutbox(name);
      const stored = await outbox.load();
      const fresh = new Set(this.queue.map((q) => q.id));
      // what earlier pages left comes first; events of this page already written are in both
      this.queue = [...stored.events.filter((q) => !fresh.has(q.id)), ...this.queue];
      this.unreported += stored.dropped;
      this.outbox = outbox;
      for (const q of this.queue.filter((q) => fresh.has(q.id))) void outbox.add(q).catch(() => undefined);
    } catch {
      this.outbox = undefined; // no IndexedDB (a private window, a policy): the queue lives in memory only
    }
    this.status.queued = this.queue.length;
    this.schedule(this.queue.length >= MAX_BATCH ? 0 : this.settings.batchMs);
  }

  add(event: AuditEvent): void {
    // its own posts: the page's log lists them, the collector does not get them back
    if (this.closed || (event.type === 'request' && event.url === this.settings.url)) return;
    if (this.queue.length >= this.settings.maxQueued) {
      this.status.dropped++;
      this.unreported++;
      void this.outbox?.setDropped(this.unreported).catch(() => undefined);
      return;
    }
    const queued = { id: eventId(), event };
    this.queue.push(queued);
    this.status.queued = this.queue.length;
    void this.outbox?.add(queued).catch(() => undefined);
    this.schedule(this.queue.length >= MAX_BATCH ? 0 : this.settings.batchMs);
  }

  /** Sends every queued event now, batch after batch, until one fails; the retries go on after. */
  async flush(): Promise<CollectorStatus> {
    await this.restored;
    while (this.queue.length > 0 && (await this.sendOne())) {
      /* next batch */
    }
    return { ...this.status };
  }

  /** One last flush, then nothing more is sent; what is left stays in the outbox for the next page. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    clearTimeout(this.timer);
  }

  /** The next send in `ms`; while retrying, only the back-off decides (`retry`). */
  private schedule(ms: number, retry = false): void {
    if (this.closed || this.queue.length === 0 || (this.retries > 0 && !retry)) return;
    if (this.timer !== undefined) {
      if (ms > 0) return; // a batch is already due
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sendOne();
    }, ms);
  }

  private sendOne(): Promise<boolean> {
    this.sending ??= this.post(this.queue.slice(0, MAX_BATCH)).finally(() => (this.sending = undefined));
    return this.sending;
  }

  private async post(batch: QueuedEvent[]): Promise<boolean> {
    if (batch.length === 0) return true;
    const dropped = this.unreported;
    const body = JSON.stringify(otlpRequest(this.settings.library, batch, Date.now(), dropped));
    let status = 0;
    try {
      const res = await this.fetch(this.settings.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        cache: 'no-store',
        // a collector that never answers must not hold the queue (or a dispose) for good
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = res.status;
      await res.body?.cancel();
    } catch (e) {
      this.status.lastError = (e as Error)?.message ?? String(e);
    }
    return this.settled(batch, status, dropped);
  }

  /** After an answer (`status` 0: none): forget what was delivered or refused, or retry later. */
  private settled(batch: QueuedEvent[], status: number, dropped: number): boolean {
    const delivered = status >= 200 && status < 300;
    if (delivered || (status >= 400 && status < 500 && status !== 429)) {
      const ids = new Set(batch.map((q) => q.id));
      this.queue = this.queue.filter((q) => !ids.has(q.id));
      void this.outbox?.remove([...ids]).catch(() => undefined);
      this.retries = 0;
      this.unreported -= dropped;
      if (dropped > 0) void this.outbox?.setDropped(this.unreported).catch(() => undefined);
      if (delivered) {
        this.status.sent += batch.length;
        this.status.batches++;
      } else {
        this.status.rejected += batch.length;
        this.status.lastError = `HTTP ${status}`;
      }
      this.status.queued = this.queue.length;
      this.schedule(this.queue.length >= MAX_BATCH ? 0 : this.settings.batchMs);
      return true;
    }
    this.status.failures++;
    if (status !== 0) this.status.lastError = `HTTP ${status}`;
    clearTimeout(this.timer);
    this.timer = undefined;
    const wait = Math.min(FIRST_RETRY_MS * 2 ** this.retries, LAST_RETRY_MS);
    this.retries++;
    this.schedule(wait, true);
    return false;
  }
}
