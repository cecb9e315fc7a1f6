// `airlock({ offline })` against a real Vite build and dev server: the service worker it emits
// lists every file of the build with the SHA-256 of its bytes on disk, leaves models out, and has
// a build id that changes with any file; in dev the same URL answers a worker that removes itself.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Script } from 'node:vm';
import { build, createServer, type InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { airlock } from '../../src/vite/index.js';
import { DEV_SHELL, fillShell, resolveOffline, shellManifest } from '../../src/vite/offline-shell.js';
import type { ShellManifest } from '../../src/shared/offline-shell.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
let root: string;

const config = (outDir: string, extra: InlineConfig = {}): InlineConfig => ({
  root,
  configFile: false,
  logLevel: 'silent',
  base: '/app/',
  plugins: [
    airlock({
      runtimeBase: '/app/airlock/ort/',
      modelsPath: '/app/models/',
      offline: { exclude: ['big.bin', /^skip\//] },
    }),
  ],
  build: { outDir, emptyOutDir: true, sourcemap: true },
  ...extra,
});

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

async function builtShell(outDir: string): Promise<{ script: string; shell: ShellManifest }> {
  const script = await readFile(join(outDir, 'airlock-sw.js'), 'utf8');
  return { script, shell: JSON.parse(/^var shell = (\{.*\});$/m.exec(script)![1]!) as ShellManifest };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-offline-'));
  await writeFile(
    join(root, 'index.html'),
    '<!doctype html><title>app</title><script type="module" src="./main.js"></script>\n',
  );
  await writeFile(join(root, 'main.js'), 'document.title = "app";\n');
  await mkdir(join(root, 'public/models/demo/onnx'), { recursive: true });
  await mkdir(join(root, 'public/skip'), { recursive: true });
  await writeFile(join(root, 'public/models/demo/onnx/model.onnx'), new Uint8Array(64));
  await writeFile(join(root, 'public/models/demo/manifest.json'), '{}\n');
  await writeFile(join(root, 'public/weights.onnx_data'), new Uint8Array(32));
  await writeFile(join(root, 'public/big.bin'), new Uint8Array(128));
  await writeFile(join(root, 'public/skip/a.txt'), 'a\n');
  await writeFile(join(root, 'public/notes.txt'), 'first\n');
}, 60_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('airlock({ offline }) in a build', () => {
  it('lists every output file with the hash and size of its bytes, and no model, excluded or source map file', async () => {
    const out = join(root, 'dist-a');
    await build(config(out));
    const { script, shell } = await builtShell(out);
    const onDisk = (await files(out)).filter(
      (f) => !/^(airlock-sw\.js|models\/.*|big\.bin|skip\/.*|weights\.onnx_data|.*\.map)$/.test(f),
    );
    expect(shell.files.map((f) => f.url)).toEqual(onDisk.map((f) => `/app/${f}`).sort());
    expect(shell.files.map((f) => f.url)).toEqual(
      expect.arrayContaining([
        '/app/index.html',
        '/app/notes.txt',
        '/app/airlock/ort/ort-wasm-simd-threaded.asyncify.mjs',
        '/app/airlock/ort/ort-wasm-simd-threaded.asyncify.wasm',
      ]),
    );
    for (const f of shell.files) {
      const bytes = await readFile(join(out, f.url.slice('/app/'.length)));
      expect({ url: f.url, sha256: f.sha256, size: f.size }).toEqual({
        url: f.url,
        sha256: sha256(bytes),
        size: bytes.byteLength,
      });
    }
    expect((await files(out)).some((f) => f.endsWith('.js.map'))).toBe(true);
    expect(shell.passThrough).toEqual(['/app/models/']);
    expect(shell.buildId).toMatch(/^[0-9a-f]{16}$/);
    expect(shell.buildId).toBe(shellManifest(shell.files, '/app/models/').buildId);
    // a classic script: it compiles without module syntax, with no placeholder left in it
    expect(() => new Script(script)).not.toThrow();
    expect(script).not.toContain('__AIRLOCK_SHELL_MANIFEST__');
  });

  it('writes the same service worker for the same files, and another build id when one file changes', async () => {
    await build(config(join(root, 'dist-b')));
    await build(config(join(root, 'dist-c')));
    const b = await builtShell(join(root, 'dist-b'));
    const c = await builtShell(join(root, 'dist-c'));
    expect(c.script).toBe(b.script);

    await writeFile(join(root, 'public/notes.txt'), 'second\n');
    await build(config(join(root, 'dist-d')));
    const d = await builtShell(join(root, 'dist-d'));
    expect(d.shell.buildId).not.toBe(b.shell.buildId);
    const changed = d.shell.files.filter((f, i) => f.sha256 !== b.shell.files[i]!.sha256).map((f) => f.url);
    expect(changed).toEqual(['/app/notes.txt']);
    expect(d.shell.files.find((f) => f.url === '/app/notes.txt')!.sha256).toBe(sha256(Buffer.from('second\n')));
  });

  it('emits nothing for the shell without the option', async () => {
    const out = join(root, 'dist-off');
    await build({ ...config(out), plugins: [airlock({ runtimeBase: '/app/airlock/ort/' })] });
    expect((await files(out)).filter((f) => f.endsWith('airlock-sw.js'))).toEqual([]);
  });
});

describe('airlock({ offline }) in dev', () => {
  it('answers the service worker URL with one that unregisters itself', async () => {
    const dev = await createServer({
      ...config(join(root, 'dist-dev')),
      server: { host: '127.0.0.1', port: 0, strictPort: true },
      optimizeDeps: { noDiscovery: true },
    });
    await dev.listen();
    try {
      const origin = `http://127.0.0.1:${(dev.httpServer!.address() as AddressInfo).port}`;
      const res = await fetch(`${origin}/app/airlock-sw.js`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await res.text()).toBe(DEV_SHELL);
      expect(DEV_SHELL).toContain('self.registration.unregister()');
    } finally {
      await dev.close();
    }
  });
});

describe('the offline option', () => {
  it('refuses a file name with a folder or without .js, and a value of the wrong kind', () => {
    expect(() => resolveOffline({ fileName: 'sw/x.js' })).toThrow(/offline\.fileName .*"sw\/x\.js"/);
    expect(() => resolveOffline({ fileName: 'sw.mjs' })).toThrow(/offline\.fileName/);
    expect(() => resolveOffline('yes' as never)).toThrow(/offline must be true, false or/);
    expect(() => resolveOffline({ exclude: [1] as never })).toThrow(/offline\.exclude/);
    expect(resolveOffline(true)).toEqual({ fileName: 'airlock-sw.js', exclude: [] });
    expect(resolveOffline(false)).toBeUndefined();
  });

  it('fills exactly one placeholder', () => {
    const manifest = shellManifest([{ url: '/a.js', sha256: '0'.repeat(64), size: 1 }], '/models/');
    expect(fillShell('var shell = "__AIRLOCK_SHELL_MANIFEST__";', manifest)).toBe(
      `var shell = ${JSON.stringify(manifest)};`,
    );
    expect(() => fillShell('var shell = null;', manifest)).toThrow(/0 placeholders/);
  });
});
