import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MODELS_DIR = resolve(ROOT, 'models');
export const BUILD_DIR = resolve(ROOT, 'test/.build');
export const APP_BUILD = resolve(BUILD_DIR, 'app');
export const PORTAL_BUILD = resolve(BUILD_DIR, 'portal');
export const RESULTS_DIR = resolve(ROOT, 'test-results');
