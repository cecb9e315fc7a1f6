// Paths whose answer a test switches between calls, to play the servers a new user meets:
// - `/switch/models/<model>/<file>`: an app's `index.html` for everything (a dev server's fallback),
//   an XML error page, or models/<model>/<file>;
// - `/switch/ort/<file>`: 404, the app's `index.html`, a 404 for the `.wasm` only, or the real
//   runtime file;
// - any URL with `switch-worker` in its query (the test worker): 404, a dropped connection, or
//   the file;
// - `/switch/alias/<model>/<file>`: models/<model>/<file>, with the manifest's task named by a
//   transformers.js alias (ALIASED).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handler } from '../../src/node/serve/server.js';
import { MODELS_DIR } from './paths.js';

export interface Switches {
  models: 'html' | 'xml' | 'serve';
  ort: 'missing' | 'html' | 'missing-wasm' | 'serve';
  worker: 'missing' | 'offline' | 'serve';
}

/** the manifests served under `/switch/alias/`, with their task renamed */
export const ALIASED: Record<string, string> = { 'tiny-sentiment': 'sentiment-analysis', 'tiny-embed': 'embeddings' };

export const APP_PAGE =
  '<!doctype html>\n<html lang="en"><head><title>My app</title></head><body><div id="app"></div></body></html>\n';

export function switchable(switches: Switches): Handler {
  return (req, res, next) => {
    const [path = '', query = ''] = (req.url ?? '').split('?');
    const html = () => (res.setHeader('Content-Type', 'text/html'), res.end(APP_PAGE));
    const missing = () => ((res.statusCode = 404), res.setHeader('Content-Type', 'text/plain'), res.end('not found\n'));
    const model = /^\/switch\/models\/(.+)$/.exec(path);
    if (model) {
      if (switches.models === 'html') return html();
      if (switches.models === 'xml')
        return (
          res.setHeader('Content-Type', 'application/xml'),
          res.end('<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>\n')
        );
      req.url = `/models/${model[1]}`;
      return next();
    }
    const ort = /^\/switch\/ort\/(.+)$/.exec(path);
    if (ort) {
      if (switches.ort === 'missing' || (switches.ort === 'missing-wasm' && path.endsWith('.wasm'))) return missing();
      if (switches.ort === 'html') return html();
      req.url = `/airlock/ort/${ort[1]}`;
      return next();
    }
    if (query.includes('switch-worker')) {
      if (switches.worker === 'missing') return missing();
      if (switches.worker === 'offline') return void req.socket.destroy();
      return next();
    }
    const alias = /^\/switch\/alias\/([a-z0-9-]+)\/(.+)$/.exec(path);
    if (alias) {
      const [, id, file] = alias as unknown as [string, string, string];
      if (file !== 'manifest.json') return ((req.url = `/models/${id}/${file}`), next());
      void readFile(join(MODELS_DIR, id, file), 'utf8').then((text) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ ...JSON.parse(text), task: ALIASED[id] }));
      });
      return;
    }
    next();
  };
}
