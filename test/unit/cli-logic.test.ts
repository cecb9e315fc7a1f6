// Pure pieces of the CLI: dtype names, the pulled manifest against the hashes just verified, and
// the Vite plugin's check of a tree that `airlock pull` wrote.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selectFiles } from '../../src/node/pull-selection.js';
import { writePulledManifest } from '../../src/node/pulled-manifest.js';
import { modelsDirProblem, resolveOptions } from '../../src/vite/options.js';
import { sha256 } from '../support/run-cli.js';
import { naming } from '../support/outcome.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-logic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const repo = (...files: string[]) => ['config.json', ...files].map((rfilename) => ({ rfilename, size: 1 }));

describe('dtype names', () => {
  it('refuses Object.prototype keys as --dtype', () => {
    for (const d of ['constructor', 'toString', '__proto__']) {
      expect(() => selectFiles({ model_type: 'bert' }, repo('onnx/model.onnx'), [d]), d).toThrow(
        expect.objectContaining({ code: 'BAD_USAGE', message: naming(`--dtype ${d} is not a dtype`) }) as Error,
      );
    }
  });

  it('refuses a dtype config.json names that transformers.js does not know, instead of taking fp32', () => {
    const config = { model_type: 'bert', 'transformers.js_config': { dtype: 'q7' } };
    expect(() => selectFiles(config, repo('onnx/model.onnx'), undefined)).toThrow(
      expect.objectContaining({
        code: 'BAD_USAGE',
        message: expect.stringMatching(/config\.json.*q7/) as string,
      }) as Error,
    );
    const perSession = { model_type: 'bert', 'transformers.js_config': { dtype: { model: 'constructor' } } };
    expect(() => selectFiles(perSession, repo('onnx/model.onnx'), undefined)).toThrow(
      expect.objectContaining({
        code: 'BAD_USAGE',
        message: expect.stringMatching(/config\.json.*constructor/) as string,
      }) as Error,
    );
  });
});

describe('the pulled manifest', () => {
  const info = {
    id: 'acme/m',
    task: 'raw',
    license: 'mit',
    dtypes: [],
    upstream: { hub: 'http://hub', repo: 'acme/m', commit: 'c'.repeat(40), revision: 'main' },
  };

  it('lists the hashes that were verified, and refuses a file that changed on disk since', async () => {
    writeFileSync(join(dir, 'a.bin'), 'verified');
    const verified = [{ path: 'a.bin', size: 8, sha256: sha256(Buffer.from('verified')) }];
    const m = await writePulledManifest(dir, info, verified);
    expect(m.files).toEqual(verified);
    writeFileSync(join(dir, 'a.bin'), 'swapped!');
    await expect(writePulledManifest(dir, info, verified)).rejects.toMatchObject({
      code: 'VERIFICATION_FAILED',
      message: naming('a.bin'),
    });
  });
});

describe("the Vite plugin's models check", () => {
  it('finds models two levels deep, as airlock pull writes them', () => {
    mkdirSync(join(dir, 'models/acme/tiny'), { recursive: true });
    writeFileSync(join(dir, 'models/acme/tiny/manifest.json'), '{}');
    expect(modelsDirProblem(resolveOptions({ modelsDir: 'models' }, dir))).toBeUndefined();
    rmSync(join(dir, 'models/acme/tiny/manifest.json'));
    expect(modelsDirProblem(resolveOptions({ modelsDir: 'models' }, dir))).toMatch(/holds no model/);
  });
});
