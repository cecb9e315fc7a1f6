// Records every request a browser context makes (pages, iframes, workers) and tells which
// left the test server's origin. Requests to other origins are also aborted at the browser,
// so a failing test never sends anything out.
import type { BrowserContext, Request } from 'playwright-core';

export interface RecordedRequest {
  url: string;
  method: string;
  resourceType: string;
  /** the frame's URL, or "worker" / "service-worker" when no frame made it */
  from: string;
}

export class RequestRecorder {
  readonly requests: RecordedRequest[] = [];

  constructor(readonly allowedOrigin: string) {}

  async attach(context: BrowserContext): Promise<void> {
    context.on('request', (r) => this.record(r));
    await context.route(
      (url) => !this.isAllowed(url.href),
      (route) => route.abort('blockedbyclient'),
    );
  }

  private record(r: Request): void {
    let from = 'worker';
    try {
      from = r.frame().url();
    } catch {
      // requests from workers have no frame
      from = r.serviceWorker() ? 'service-worker' : 'worker';
    }
    this.requests.push({ url: r.url(), method: r.method(), resourceType: r.resourceType(), from });
  }

  isAllowed(url: string): boolean {
    if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
    try {
      return new URL(url).origin === this.allowedOrigin;
    } catch {
      return false;
    }
  }

  foreign(): RecordedRequest[] {
    return this.requests.filter((r) => !this.isAllowed(r.url));
  }

  /** Paths of the requests made so far, for asserting exactly what was fetched. */
  paths(): string[] {
    return this.requests.filter((r) => this.isAllowed(r.url) && r.url.startsWith('http')).map((r) => new URL(r.url).pathname);
  }
}
