// The page's record of a runtime's audit events: the latest ones in a bounded ring, and running
// totals that nothing drops, so the evidence can always say how many requests went where.
import type { AuditEvent, LoadEvent } from './events.js';

export interface OriginTotals {
  origin: string;
  allowed: boolean;
  count: number;
  bytes: number;
}

export class AuditLog {
  readonly startedAt = Date.now();
  private readonly held: AuditEvent[] = [];
  private droppedCount = 0;
  private readonly origins = new Map<string, OriginTotals>();
  private readonly loads = new Map<string, LoadEvent>();
  private readonly listeners = new Set<(event: AuditEvent) => void>();

  constructor(readonly maxEvents: number) {}

  add(event: AuditEvent): void {
    this.held.push(event);
    if (this.held.length > this.maxEvents) {
      this.held.shift();
      this.droppedCount++;
    }
    if (event.type === 'request') {
      const totals = this.origins.get(event.origin) ?? { origin: event.origin, allowed: event.allowed, count: 0, bytes: 0 };
      totals.count++;
      totals.bytes += event.bytes;
      totals.allowed &&= event.allowed;
      this.origins.set(event.origin, totals);
    }
    // the latest load of each model (id and manifest URL), kept for the evidence's model list
    if (event.type === 'load') this.loads.set(`${event.manifest.url} ${event.kind}`, event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        // a page's listener must not break the log, nor hide its own bug
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }

  /** The events still held, oldest first. */
  events(): AuditEvent[] {
    return [...this.held];
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Requests per origin since the runtime was created, dropped events included. */
  originTotals(): OriginTotals[] {
    return [...this.origins.values()].map((t) => ({ ...t }));
  }

  /** The latest load of every model loaded since the runtime was created. */
  models(): LoadEvent[] {
    return [...this.loads.values()];
  }

  /** Calls `listener` with every later event; returns the function that stops it. */
  on(listener: (event: AuditEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
