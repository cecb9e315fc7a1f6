// Records every request a browser context makes (pages, iframes, workers) and tells which
// left the test server's origin. Requests to other origins are also aborted at the browser,
// so a failing test never sends anything out.
import type { BrowserContext, Request } from 'playwright-core';

export interface RecordedRequest {
  url: string;
  method: string;
  resourceType: string;
  /** URL of the frame that made it (a dedicated worker's requests count as its page's) */
  from: string;
  /** the browser's error text when the request failed (a blocked one: net::ERR_BLOCKED_BY_CLIENT...) */
  failure?: string;
}

export class RequestRecorder {
  readonly requests: RecordedRequest[] = [];
  private readonly byRequest = new Map<Request, RecordedRequest>();

  /** `alsoAllowed`: further origins the test runs on purpose (a model origin of its own) */
  constructor(
    readonly allowedOrigin: string,
    readonly alsoAllowed: readonly string[] = [],
  ) {}

  async attach(context: BrowserContext): Promise<void> {
    context.on('request', (r) => this.record(r));
    context.on('requestfailed', (r) => {
      const entry = this.byRequest.get(r);
      if (entry) entry.failure = r.failure()?.errorText ?? 'failed';
    });
    await context.route(
      (url) => !this.isAllowed(url.href),
      (route) => route.abort('blockedbyclient'),
    );
  }

  private record(r: Request): void {
    let from: string;
    try {
      from = r.frame().url();
    } catch {
      from = r.serviceWorker() ? 'service-worker' : 'unknown';
    }
    const entry = { url: r.url(), method: r.method(), resourceType: r.resourceType(), from };
    this.requests.push(entry);
    this.byRequest.set(r, entry);
  }

  isAllowed(url: string): boolean {
    if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
    try {
      const { origin } = new URL(url);
      return origin === this.allowedOrigin || this.alsoAllowed.includes(origin);
    } catch {
      return false;
    }
  }

  foreign(): RecordedRequest[] {
    return this.requests.filter((r) => !this.isAllowed(r.url));
  }

  /** Removes and returns the foreign requests: only for tests that provoke them on purpose. */
  takeForeign(): RecordedRequest[] {
    const foreign = this.foreign();
    for (const f of foreign) this.requests.splice(this.requests.indexOf(f), 1);
    return foreign;
  }

  /** Paths of the requests made so far, for asserting exactly what was fetched. */
  paths(): string[] {
    return this.requests
      .filter((r) => this.isAllowed(r.url) && r.url.startsWith('http'))
      .map((r) => new URL(r.url).pathname);
  }
}
