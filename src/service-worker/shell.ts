// The offline app shell's service worker. `airlock/vite` fills in the build's file list with each
// file's SHA-256. It caches exactly those files, verified, in a cache named by the build, answers
// GETs of them cache-first, and leaves everything else, above all the model base, to the network:
// models, manifests, the index and policies come from the Airlock store, which verifies them.
import {
  SHELL_CACHE_PREFIX,
  SHELL_STATUS_MESSAGE,
  type ShellFile,
  type ShellManifest,
  type ShellStatus,
} from '../shared/offline-shell.js';

declare const self: ServiceWorkerGlobalScope;

// replaced by the plugin with the manifest's JSON (see SHELL_PLACEHOLDER)
const filled: unknown = '__AIRLOCK_SHELL_MANIFEST__';
const shell = filled as ShellManifest;
const cacheName = `${SHELL_CACHE_PREFIX}${shell.buildId}`;
const byUrl = new Map(shell.files.map((f) => [f.url, f]));
let passedThrough = 0;

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Fetches one file from the network and keeps it only if its bytes are the build's. */
async function verifiedCopy(file: ShellFile): Promise<Response> {
  const response = await fetch(file.url, { cache: 'no-store', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`airlock shell: ${file.url} answered ${response.status}`);
  const bytes = await response.arrayBuffer();
  const sha256 = hex(await crypto.subtle.digest('SHA-256', bytes));
  if (sha256 !== file.sha256 || bytes.byteLength !== file.size) {
    throw new Error(`airlock shell: ${file.url} has SHA-256 ${sha256}, the build says ${file.sha256}`);
  }
  // a fresh response: the headers (content type, CSP, isolation) stay, a redirect flag does not
  return new Response(bytes, { status: 200, statusText: 'OK', headers: response.headers });
}

/** All files verified first, then put: a mismatch fails the install and nothing goes live. */
async function install(): Promise<void> {
  const copies = await Promise.all(shell.files.map(async (f) => [f.url, await verifiedCopy(f)] as const));
  const cache = await caches.open(cacheName);
  try {
    for (const [url, response] of copies) await cache.put(url, response);
  } catch (error) {
    await caches.delete(cacheName);
    throw error;
  }
}

async function activate(): Promise<void> {
  const names = await caches.keys();
  await Promise.all(
    names.filter((n) => n.startsWith(SHELL_CACHE_PREFIX) && n !== cacheName).map((n) => caches.delete(n)),
  );
  await self.clients.claim();
}

/** The listed file a request names: its path, or a folder's `index.html` for a navigation. */
function listedFile(request: Request): ShellFile | undefined {
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return undefined;
  const exact = byUrl.get(url.pathname);
  if (exact || request.mode !== 'navigate' || !url.pathname.endsWith('/')) return exact;
  return byUrl.get(`${url.pathname}index.html`);
}

async function cacheFirst(request: Request, file: ShellFile): Promise<Response> {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(file.url);
  return hit ?? fetch(request);
}

async function status(): Promise<ShellStatus> {
  const cache = await caches.open(cacheName);
  const present = await Promise.all(shell.files.map(async (f) => (await cache.match(f.url)) !== undefined));
  return { buildId: shell.buildId, cached: present.every(Boolean), files: shell.files.length, passedThrough };
}

self.addEventListener('install', (event) => {
  // a new build takes over at once: its files are all cached and verified by now
  event.waitUntil(install().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => event.waitUntil(activate()));

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const path = new URL(request.url).pathname;
  if (shell.passThrough.some((prefix) => path.startsWith(prefix))) {
    passedThrough += 1;
    return; // not answered here: the browser fetches it as if there were no service worker
  }
  const file = listedFile(request);
  if (file) event.respondWith(cacheFirst(request, file));
});

self.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (event.data !== SHELL_STATUS_MESSAGE || !port) return;
  event.waitUntil(status().then((s) => port.postMessage(s)));
});
