// A client for a Hugging Face-compatible hub: the revision API and `resolve` URLs. The token goes
// to the hub's origin only: a storage host it redirects to never sees it.
import { CliError } from './errors.js';

export interface HubSibling {
  rfilename: string;
  size?: number;
  /** the git blob id (SHA-1 of `blob <size>\0<bytes>`) of a regular file */
  blobId?: string;
  lfs?: { sha256: string; size: number; pointerSize?: number };
}

export interface RevisionInfo {
  /** the commit the revision resolved to */
  commit: string;
  /** the repo's id now, when the hub redirected the API to another one (a renamed repo) */
  movedTo?: string;
  license: string | undefined;
  task: string | undefined;
  siblings: HubSibling[];
}

export interface HubOptions {
  hub: string;
  token?: string | undefined;
  /** send the token to an http:// hub too (it is refused otherwise: anyone on the path could read it) */
  allowHttpToken?: boolean;
  /** how long to wait for the revision API to answer; default 60 s */
  timeoutMs?: number;
}

const MAX_API_REDIRECTS = 5;

export class HubClient {
  readonly origin: string;
  private readonly base: string;

  constructor(private readonly options: HubOptions) {
    const url = parseHubUrl(options.hub);
    this.origin = url.origin;
    this.base = url.href.replace(/\/$/, '');
    if (options.token && url.protocol === 'http:' && !options.allowHttpToken) {
      throw new CliError(
        'BAD_USAGE',
        `HF_TOKEN would be sent to ${url.origin} over plain http`,
        'Use an https:// --hub, or pass --allow-http-token if that network is trusted',
      );
    }
  }

  get hasToken(): boolean {
    return Boolean(this.options.token);
  }

  /** Headers for a request to `url`: the token only when it goes to the hub itself. */
  headersFor(url: string): Record<string, string> {
    const token = this.options.token;
    return token && new URL(url).origin === this.origin ? { Authorization: `Bearer ${token}` } : {};
  }

  resolveUrl(repo: string, commit: string, file: string): string {
    return `${this.base}/${repo}/resolve/${commit}/${file.split('/').map(encodeURIComponent).join('/')}`;
  }

  async revision(repo: string, revision: string): Promise<RevisionInfo> {
    let url = `${this.base}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
    for (let hop = 0; ; hop++) {
      const res = await request(url, this.headersFor(url), undefined, this.options.timeoutMs ?? 60_000);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location && hop < MAX_API_REDIRECTS) {
        await res.body?.cancel();
        url = this.apiRedirect(repo, url, location);
        continue;
      }
      if (!res.ok) throw await hubError(res, { repo, revision, hasToken: Boolean(this.options.token) });
      const info = parseRevision(await jsonBody(res, url), url);
      const now = /\/api\/models\/([^/]+\/[^/]+)\/revision\//.exec(new URL(url).pathname)?.[1];
      return now && decodeURIComponent(now) !== repo ? { ...info, movedTo: decodeURIComponent(now) } : info;
    }
  }

  /** A redirect of the API (a renamed repo) is followed within the hub's origin only. */
  private apiRedirect(repo: string, from: string, location: string): string {
    const to = new URL(location, from);
    if (to.origin !== this.origin) {
      throw new CliError(
        'HUB_ERROR',
        `the hub sent the API request for "${repo}" to ${to.origin}`,
        `If that is the hub now, pass --hub ${to.origin}`,
      );
    }
    return to.href;
  }
}

function parseHubUrl(hub: string): URL {
  try {
    const url = new URL(hub);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new CliError(
    'BAD_USAGE',
    `--hub "${hub}" is not an http(s) URL`,
    "Pass the hub's base URL, e.g. --hub https://hub.example",
  );
}

/** GET `url`, redirects not followed; `timeoutMs` bounds the wait for the answer. */
export async function request(
  url: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
  timeoutMs?: number,
): Promise<Response> {
  const timeout = timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined;
  const signals = [signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  try {
    return await fetch(url, {
      headers,
      redirect: 'manual',
      ...(signals.length > 0 && { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) }),
    });
  } catch (e) {
    const origin = new URL(url).origin;
    if (timeout?.aborted)
      throw new CliError(
        'NETWORK',
        `no answer from ${origin} within ${timeoutMs! / 1000} s`,
        'Check the network and --hub, or pass a longer --timeout',
        { url },
      );
    throw new CliError(
      'NETWORK',
      `could not reach ${origin} (${causeOf(e)})`,
      'Check the network and --hub, then run again',
      { url },
    );
  }
}

/** fetch's own message is "fetch failed": the cause says why (ECONNREFUSED, ENOTFOUND, bad port) */
function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string')
    return typeof cause.message === 'string' && cause.message.includes(cause.code) ? cause.message : cause.code;
  return typeof cause?.message === 'string' ? cause.message : (e as Error).message;
}

async function jsonBody(res: Response, url: string): Promise<unknown> {
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) {
    throw new CliError(
      'HUB_ERROR',
      `the hub answered ${url} with ${type.split(';')[0] || 'no content type'} (status ${res.status}), not the API's JSON`,
      "Check that --hub is the hub's base URL",
    );
  }
  try {
    return await res.json();
  } catch {
    throw new CliError(
      'HUB_ERROR',
      `the hub answered ${url} with JSON that does not parse`,
      "Check that --hub is the hub's base URL",
    );
  }
}

function parseRevision(body: unknown, url: string): RevisionInfo {
  const b = body as { sha?: unknown; siblings?: unknown; cardData?: { license?: unknown }; pipeline_tag?: unknown };
  if (typeof b?.sha !== 'string' || !/^[0-9a-f]{40}$/.test(b.sha) || !Array.isArray(b.siblings)) {
    throw new CliError(
      'HUB_ERROR',
      `the hub's answer for ${url} has no commit sha or no siblings`,
      'Check that --hub is a Hugging Face-compatible hub',
    );
  }
  const license = b.cardData?.license;
  return {
    commit: b.sha,
    license:
      typeof license === 'string'
        ? license
        : Array.isArray(license) && typeof license[0] === 'string'
          ? license[0]
          : undefined,
    task: typeof b.pipeline_tag === 'string' ? b.pipeline_tag : undefined,
    siblings: (b.siblings as HubSibling[]).filter((s) => typeof s?.rfilename === 'string'),
  };
}

/** The hub's error as a CliError, from its X-Error-Code header when it sends one. */
export async function hubError(
  res: Response,
  what: { repo: string; revision?: string; file?: string; hasToken: boolean },
): Promise<CliError> {
  const code = res.headers.get('x-error-code');
  await res.body?.cancel();
  const at = `(${res.status}${code ? ` ${code}` : ''})`;
  if (code === 'GatedRepo' || ((res.status === 401 || res.status === 403) && code !== 'RepoNotFound')) {
    return what.hasToken
      ? new CliError(
          'GATED_REPO',
          `the hub refused the token for "${what.repo}" ${at}`,
          'Check that HF_TOKEN is valid and has been granted access to the repo',
        )
      : new CliError(
          'GATED_REPO',
          `"${what.repo}" needs an access token ${at}`,
          'Accept its terms on the hub and set HF_TOKEN',
        );
  }
  if (code === 'RepoNotFound') {
    return new CliError(
      'REPO_NOT_FOUND',
      `the hub has no model "${what.repo}" ${at}`,
      'Check the id (org/name), or set HF_TOKEN if it is private',
    );
  }
  if (res.status === 404 && !code && !what.file) {
    return new CliError(
      'REPO_NOT_FOUND',
      `the hub has no model "${what.repo}" at revision "${what.revision}" ${at}`,
      'Check the id (org/name) and --revision',
    );
  }
  if (code === 'RevisionNotFound') {
    return new CliError(
      'REVISION_NOT_FOUND',
      `"${what.repo}" has no revision "${what.revision}" ${at}`,
      'Check --revision (a branch, tag or commit)',
    );
  }
  if (code === 'EntryNotFound' || (res.status === 404 && what.file)) {
    return new CliError(
      'ENTRY_NOT_FOUND',
      `"${what.repo}" has no file "${what.file}" ${at}`,
      'Run again: the revision may have moved',
    );
  }
  return new CliError(
    'HUB_ERROR',
    `the hub answered ${res.status}${code ? ` ${code}` : ''} for "${what.repo}"`,
    'Try again later, or check --hub',
  );
}
