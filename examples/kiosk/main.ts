// The offline kiosk: a single-purpose page whose app shell a service worker caches (emitted by
// `airlock({ offline: true })`) and whose models are prefetched into the store on the first visit.
// After that it works with the server gone, across reloads and browser restarts.
import { createRuntime } from '../../src/index.js';
import { offlineReadiness, registerOfflineShell, type OfflineReadiness } from '../../src/offline.js';
import { ocrTask } from './task.js';

const $ = (id: string) => document.getElementById(id)!;
const task = ocrTask;
// the runtime files are part of the shell: the plugin emits them under the kiosk's own base
const ai = createRuntime({ runtimeBase: new URL('airlock/ort/', document.baseURI).pathname });

function show(readiness: OfflineReadiness): void {
  const status = $('status');
  status.dataset.ready = String(readiness.ready);
  status.textContent = readiness.ready ? 'ready offline' : 'not ready offline';
  $('build-id').textContent = readiness.buildId ?? 'none';
  const missing = $('missing');
  missing.hidden = readiness.ready;
  missing.textContent = readiness.missing.length ? `missing: ${readiness.missing.join(', ')}` : '';
}

async function start(): Promise<void> {
  $('status').textContent = 'caching the app';
  await registerOfflineShell({ url: 'airlock-sw.js', reloadOnUpdate: true });
  $('status').textContent = 'storing models';
  show(
    await offlineReadiness(ai, {
      models: task.models,
      prefetch: true,
      onProgress: (p) => ($('status').textContent = `storing ${p.modelId}: ${p.phase}`),
    }),
  );
}

document.title = `Airlock · ${task.title} kiosk`;
$('title').textContent = `${task.title} kiosk`;
task.mount(ai, $('task'));
start().catch((e: unknown) => {
  $('status').dataset.ready = 'false';
  $('status').textContent = 'not ready offline';
  $('missing').hidden = false;
  $('missing').textContent = String(e);
});
