// The central audit log's settings (checked on the page, or from the hosting policy) and what the
// worker's collector reports of its delivery.

export interface CollectorSettings {
  /** absolute URL of the OTLP/HTTP logs endpoint, on the page's or the model origin */
  url: string;
  /** the most events waiting to be sent; later ones are dropped and counted */
  maxQueued: number;
  /** how long an event may wait for the next batch, ms */
  batchMs: number;
  /** the library that sends, for the OTLP resource and scope (`service.name`, `service.version`) */
  library: { name: string; version: string };
}

/** What the collector has done since its worker started; part of the evidence. */
export interface CollectorStatus {
  endpoint: string;
  /** events the collector accepted */
  sent: number;
  batches: number;
  /** events waiting (also in the outbox, for the next worker or page) */
  queued: number;
  /** events the full queue could not keep */
  dropped: number;
  /** events in batches the collector refused with a 4xx (not retried) */
  rejected: number;
  /** failed attempts (network errors, 429, 5xx), each retried later */
  failures: number;
  lastError?: string;
}
