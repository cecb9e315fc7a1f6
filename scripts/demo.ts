// `npm run demo`: builds the portal example and serves it, with the models and the ORT runtime
// files, on loopback. Nothing is fetched from anywhere else.
import { resolve } from 'node:path';
import { serve } from '../src/node/serve/server.js';
import { buildApp } from './build-app.js';
import { buildKiosk } from './build-kiosk.js';
import { copyNpmModels } from './copy-npm-models.js';

const ROOT = resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 5173);

await copyNpmModels(resolve(ROOT, 'models'));
const out = resolve(ROOT, 'examples/.build/portal');
const portal = resolve(ROOT, 'examples/portal');
// the portal's pages, until the build finds every *.html itself
const input = ['index', 'text', 'models', 'privacy'].map((p) => resolve(portal, `${p}.html`));
await buildApp(portal, out, { build: { rollupOptions: { input } } });
await buildKiosk(out); // the offline kiosk at /kiosk/
const server = await serve({ modelsDir: resolve(ROOT, 'models'), appDir: out, port });
console.log(`Airlock portal demo: ${server.origin}/  (Ctrl-C to stop)`);
console.log(`Offline kiosk: ${server.origin}/kiosk/`);
