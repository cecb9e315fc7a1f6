// The layout keeps its shape: the path says the thread, files stay small, and the dispatcher thin.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';

const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const files = sources(SRC).map((path) => ({ path: relative(SRC, path), code: readFileSync(path, 'utf8') }));
const lines = (code: string) => code.split('\n').length - (code.endsWith('\n') ? 1 : 0);

/** The folders a file's imports reach, as paths under src/, with whether each is type-only. */
function imports(file: { path: string; code: string }): { target: string; typeOnly: boolean }[] {
  return [...file.code.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'/gm)].map((m) => ({
    target: relative(SRC, resolve(dirname(join(SRC, file.path)), m[3]!)).replace(/\.js$/, '.ts'),
    typeOnly: m[2] !== undefined,
  }));
}

// the two page entries, `airlock` and `airlock/offline`, are the page's
const thread = (path: string) => (path === 'index.ts' || path === 'offline.ts' ? 'page' : path.split('/')[0]!);

describe('the layout', () => {
  it('has no file in src/ over 300 lines, and a worker dispatcher under 150', () => {
    const long = files.filter((f) => lines(f.code) > 300).map((f) => `${f.path}: ${lines(f.code)}`);
    expect(long).toEqual([]);
    expect(lines(files.find((f) => f.path === 'worker/dispatcher.ts')!.code)).toBeLessThan(150);
  });

  it('keeps each thread to its own code and the shared folders', () => {
    const allowed: Record<string, string[]> = {
      page: ['page', 'protocol', 'shared', 'manifest', 'errors.ts', 'version.ts'],
      worker: ['worker', 'protocol', 'shared', 'manifest', 'errors.ts'],
      'service-worker': ['service-worker', 'shared'],
      protocol: ['protocol', 'shared', 'manifest', 'errors.ts'],
      shared: ['shared', 'protocol', 'errors.ts'],
      manifest: ['manifest', 'errors.ts'],
      node: ['node', 'shared', 'manifest', 'errors.ts'],
      vite: ['vite', 'node', 'shared'],
      cli: ['cli', 'node', 'shared', 'manifest', 'errors.ts', 'version.ts'],
    };
    const crossings = files.flatMap((f) =>
      imports(f)
        .filter(({ target }) => !(allowed[thread(f.path)] ?? []).includes(thread(target)))
        .map(({ target }) => `${f.path} -> ${target}`),
    );
    expect(crossings).toEqual([]);
  });

  it('lets the page import the worker contract type-only, and no worker code', () => {
    const protocolValues = files
      .filter((f) => thread(f.path) === 'page')
      .flatMap((f) =>
        imports(f)
          .filter(
            (i) =>
              i.target.startsWith('protocol/') &&
              !i.typeOnly &&
              !/^protocol\/(tasks|messages|run-port|types)\.ts$/.test(i.target),
          )
          .map((i) => `${f.path} -> ${i.target}`),
      );
    expect(protocolValues).toEqual([]);
    const contract = files.find((f) => f.path === 'protocol/worker-api.ts')!;
    expect(imports(contract).every((i) => i.typeOnly)).toBe(true);
  });
});
