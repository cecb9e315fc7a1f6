// Builds the offline kiosk example into `<out>/kiosk/`, served at `/kiosk/`, with the offline shell
// of `airlock/vite` and the runtime files under the kiosk's own base (so the shell caches them).
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { airlock } from '../src/vite/index.js';
import { buildApp } from './build-app.js';
import { samplesPlugin } from './build-portal.js';

const ROOT = resolve(import.meta.dirname, '..');

/** `edition` is written into the page: a way to make a build that differs from the last. */
export async function buildKiosk(siteDir: string, edition = 'first edition'): Promise<string> {
  const out = resolve(siteDir, 'kiosk');
  const editionText: Plugin = {
    name: 'kiosk-edition',
    transformIndexHtml: (html) => html.replace('<!-- kiosk-edition -->', edition),
  };
  await buildApp(resolve(ROOT, 'examples/kiosk'), out, {
    base: '/kiosk/',
    plugins: [
      airlock({ modelsDir: resolve(ROOT, 'models'), runtimeBase: '/kiosk/airlock/ort/', offline: true }),
      editionText,
      samplesPlugin(['label.png']), // the kiosk's one sample scan, part of its shell
    ],
  });
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await buildKiosk(resolve(process.argv[2]!), process.argv[3]);
}
