// The page's side of the offline app shell that `airlock({ offline: true })` emits: registering its
// service worker, and asking it which build it holds and whether every file of it is cached.
import { AirlockError } from '../errors.js';
import { SHELL_STATUS_MESSAGE, type ShellStatus } from '../shared/offline-shell.js';
import { badOption, optionalBoolean, optionalString, optionsObject } from './checks.js';

export type { ShellStatus } from '../shared/offline-shell.js';

export interface OfflineShellOptions {
  /** the service worker's URL on the page's origin; default `airlock-sw.js` beside the page */
  url?: string;
  /** its scope; default the folder of `url` */
  scope?: string;
  /** reload the page once when a new build's shell takes over from an old one; default false */
  reloadOnUpdate?: boolean;
}

export interface OfflineShell {
  /** the browser has service workers here (a secure context: https, or loopback) */
  supported: boolean;
  /** the build the active service worker holds, `null` if none answered */
  buildId: string | null;
  /** every file of that build is in its cache */
  cached: boolean;
  /** asks the active service worker again */
  status(): Promise<ShellStatus | null>;
}

const STATUS_TIMEOUT_MS = 5000;

/** The active service worker's answer for this page's scope; `null` without one. */
export async function shellStatus(): Promise<ShellStatus | null> {
  const container = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined;
  const active = (await container?.getRegistration())?.active;
  if (!active) return null;
  const channel = new MessageChannel();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), STATUS_TIMEOUT_MS);
    channel.port1.onmessage = (event: MessageEvent<ShellStatus>) => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(event.data);
    };
    active.postMessage(SHELL_STATUS_MESSAGE, [channel.port2]);
  });
}

/**
 * Waits until the registration's newest worker is activated or has failed (a file that did not
 * match its hash fails the install): whether a worker is active then, an older build's or this one.
 */
function settled(registration: ServiceWorkerRegistration): Promise<boolean> {
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return Promise.resolve(registration.active !== null);
  return new Promise((resolve) => {
    const check = () => {
      if (worker.state === 'activated') resolve(true);
      else if (worker.state === 'redundant') resolve(registration.active !== null);
    };
    worker.addEventListener('statechange', check);
    check();
  });
}

function sameOriginUrl(option: string, value: string): string {
  const url = new URL(value, location.href);
  if (url.origin !== location.origin) throw badOption(option, value, `a URL on the page's origin (${location.origin})`);
  return url.href;
}

/**
 * Registers the shell's service worker and waits until it is active (on a first visit: every
 * file fetched, verified and cached). A new build's worker replaces the old one at once
 * (skipWaiting, clients.claim); the open page keeps its code until it loads again, or reloads
 * itself with `reloadOnUpdate`.
 */
export async function registerOfflineShell(options?: OfflineShellOptions): Promise<OfflineShell> {
  const { url, scope, reloadOnUpdate } = optionsObject('options', options);
  const scriptUrl = sameOriginUrl('url', optionalString('url', url) ?? 'airlock-sw.js');
  const scopeUrl = scope === undefined ? undefined : sameOriginUrl('scope', optionalString('scope', scope)!);
  const reload = optionalBoolean('reloadOnUpdate', reloadOnUpdate) ?? false;
  const container = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined;
  if (!container) return { supported: false, buildId: null, cached: false, status: () => Promise.resolve(null) };
  const hadController = container.controller !== null;
  if (reload) {
    let reloading = false;
    container.addEventListener('controllerchange', () => {
      if (hadController && !reloading) location.reload();
      reloading = true;
    });
  }
  let registration: ServiceWorkerRegistration;
  try {
    registration = await container.register(scriptUrl, {
      updateViaCache: 'none',
      ...(scopeUrl && { scope: scopeUrl }),
    });
  } catch (error) {
    throw new AirlockError('NETWORK', `the offline shell ${scriptUrl} could not be registered: ${String(error)}`, {
      option: 'url',
      value: scriptUrl,
    });
  }
  if (!(await settled(registration))) return { supported: true, buildId: null, cached: false, status: shellStatus };
  const now = await shellStatus();
  return { supported: true, buildId: now?.buildId ?? null, cached: now?.cached ?? false, status: shellStatus };
}
