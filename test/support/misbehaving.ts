// A model origin that misbehaves on cue, for the tests that check what reaches the engines.
// `/bad/<case>/<model>/<file>` serves models/<model>/<file>, except for the first .onnx file,
// which it spoils as <case> says.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handler } from '../../src/cli/serve/server.js';
import { MODELS_DIR } from './paths.js';

export const CASES = ['flip', 'short', 'long', 'html', 'status500', 'redirect', 'missing'] as const;
export type Case = (typeof CASES)[number];

export function misbehavingModels(foreignOrigin: string): Handler {
  return (req, res, next) => {
    const match = /^\/bad\/([a-z0-9]+)\/([a-z0-9-]+)\/(.+)$/.exec((req.url ?? '').split('?')[0]!);
    if (!match) return next();
    const [, kind, model, file] = match as unknown as [string, Case, string, string];
    void (async () => {
      const bytes = await readFile(join(MODELS_DIR, model, file)).catch(() => undefined);
      if (!bytes) {
        res.statusCode = 404;
        return res.end();
      }
      if (!file.endsWith('.onnx')) {
        res.setHeader('Content-Type', 'application/json');
        return res.end(bytes);
      }
      switch (kind) {
        case 'flip': // one byte changed, same size
          bytes.writeUInt8(bytes.readUInt8(bytes.length >> 1) ^ 0xff, bytes.length >> 1);
          return res.end(bytes);
        case 'short': // the connection ends early
          res.setHeader('Content-Length', String(bytes.length));
          res.write(bytes.subarray(0, bytes.length >> 1));
          return res.destroy();
        case 'long': // more bytes than the manifest says
          return res.end(Buffer.concat([bytes, Buffer.from('trailing')]));
        case 'html': // a server that answers 200 with a page for anything
          res.setHeader('Content-Type', 'text/html');
          return res.end('<!doctype html><title>Portal</title><p>Welcome</p>');
        case 'status500':
          res.statusCode = 500;
          return res.end('internal error');
        case 'redirect': // to another origin: the request must never go there
          res.statusCode = 302;
          res.setHeader('Location', `${foreignOrigin}/stolen/${file}`);
          return res.end();
        case 'missing':
          res.statusCode = 404;
          return res.end();
      }
    })();
  };
}
