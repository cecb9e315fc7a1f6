// The page's record of a runtime's audit events: the latest ones in a bounded ring, and running
// totals that nothing drops, so the evidence can always say how many requests went where, how
// many were refused and how many checks failed.
import type { AuditEvent, LoadEvent, RequestEvent } from '../../protocol/audit-events.js';

export interface OriginTotals extends Pick<RequestEvent, 'origin' | 'allowed'> {
  count: number;
  bytes: number;
}

export interface Totals {
  denials: number;
  verifications: number;
  failedVerifications: number;
  runs: number;
  failedRuns: number;
  workersStarted: number;
  /** times a worker stopped without being asked: requests it made just before may be missing */
  workerCrashes: number;
}

/** Frozen all the way down: the log hands the same objects to every listener and to the evidence. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class AuditLog {
  readonly startedAt = Date.now();
  private readonly ring: (AuditEvent | undefined)[];
  private head = 0; // where the oldest held event is
  private size = 0;
  private droppedCount = 0;
  private readonly origins = new Map<string, OriginTotals>();
  private readonly loads = new Map<string, LoadEvent>();
  private readonly listeners = new Set<(event: AuditEvent) => void>();
  readonly totals: Totals = {
    denials: 0,
    verifications: 0,
    failedVerifications: 0,
    runs: 0,
    failedRuns: 0,
    workersStarted: 0,
    workerCrashes: 0,
  };

  constructor(readonly maxEvents: number) {
    this.ring = new Array<AuditEvent | undefined>(maxEvents);
  }

  add(event: AuditEvent): void {
    deepFreeze(event);
    if (this.size === this.maxEvents) {
      this.head = (this.head + 1) % this.maxEvents;
      this.size--;
      this.droppedCount++;
    }
    this.ring[(this.head + this.size) % this.maxEvents] = event;
    this.size++;
    this.count(event);
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

  private count(event: AuditEvent): void {
    const t = this.totals;
    switch (event.type) {
      case 'request': {
        const totals = this.origins.get(event.origin) ?? {
          origin: event.origin,
          allowed: event.allowed,
          count: 0,
          bytes: 0,
        };
        totals.count++;
        totals.bytes += event.bytes;
        totals.allowed &&= event.allowed;
        this.origins.set(event.origin, totals);
        break;
      }
      case 'load':
        // the latest load of each model, file set and kind (two sessions of one model's files are two entries)
        this.loads.set(`${event.manifest.url} ${event.kind} ${event.files.map((f) => f.path).join(' ')}`, event);
        break;
      case 'denial':
        // a refused signature refuses a document that was fetched, not a request: not counted as one
        if (event.check !== 'signature') t.denials++;
        break;
      case 'verification':
        t.verifications++;
        if (!event.ok) t.failedVerifications++;
        break;
      case 'run':
        t.runs++;
        if (!event.ok) t.failedRuns++;
        break;
      case 'worker':
        if (event.state === 'started') t.workersStarted++;
        else t.workerCrashes++;
        break;
    }
  }

  /** The events still held, oldest first. */
  events(): AuditEvent[] {
    const out: AuditEvent[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.ring[(this.head + i) % this.maxEvents]!);
    return out;
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
