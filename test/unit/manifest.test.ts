import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../src/errors.js';
import { computeRevision, validateManifest, type Manifest } from '../../src/manifest/index.js';
import { MODELS_DIR } from '../support/paths.js';

const hash = (c: string) => c.repeat(64);
function manifest(files = [{ path: 'onnx/model.onnx', size: 10, sha256: hash('a') }]): Manifest {
  return { schema: 1, id: 'm', task: 'raw', revision: computeRevision(files), source: 's', license: 'MIT', files };
}
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AirlockError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
  return undefined;
}

describe('manifest validation', () => {
  it('accepts every manifest in models/', async () => {
    const ids = (await readdir(MODELS_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(ids).toEqual(expect.arrayContaining(['tiny-sentiment', 'tiny-lm', 'tiny-embed', 'silero-vad', 'paddleocr-v4']));
    for (const id of ids) {
      const raw = JSON.parse(await readFile(join(MODELS_DIR, id, 'manifest.json'), 'utf8'));
      expect(validateManifest(raw, id).files.length).toBeGreaterThan(0);
    }
  });

  it('returns a clean copy of a good manifest', () => {
    const m = manifest();
    expect(validateManifest({ ...m, extra: 1 }, 'm')).toEqual(m);
  });

  const bad: [string, (m: Manifest) => unknown, string][] = [
    ['not an object', () => 'x', 'not a JSON object'],
    ['another schema', (m) => ({ ...m, schema: 2 }), 'schema must be 1'],
    ['another id', (m) => ({ ...m, id: 'other' }), 'id is "other"'],
    ['no license', (m) => ({ ...m, license: '' }), 'license must be'],
    ['no files', (m) => ({ ...m, files: [] }), 'non-empty array'],
    ['a revision that does not match', (m) => ({ ...m, revision: hash('0') }), 'revision does not match'],
  ];
  for (const [what, edit, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(codeOf(() => validateManifest(edit(manifest()), 'm'))).toMatch(new RegExp(`^MANIFEST_INVALID: .*${message}`));
    });
  }

  const badFiles: [string, object, string][] = [
    ['a parent path', { path: '../secret', size: 1, sha256: hash('a') }, 'contains \\.\\.'],
    ['an absolute path', { path: '/etc/passwd', size: 1, sha256: hash('a') }, 'is absolute'],
    ['a drive letter', { path: 'C:/models/x.onnx', size: 1, sha256: hash('a') }, 'drive letter'],
    ['a colon', { path: 'model.onnx:v2', size: 1, sha256: hash('a') }, 'scheme'],
    ['a backslash', { path: 'onnx\\model.onnx', size: 1, sha256: hash('a') }, 'backslash'],
    ['a dot segment', { path: 'onnx/./model.onnx', size: 1, sha256: hash('a') }, 'not normalized'],
    ['a query', { path: 'model.onnx?x=1', size: 1, sha256: hash('a') }, 'control character, \\? # or %'],
    ['a negative size', { path: 'a', size: -1, sha256: hash('a') }, 'non-negative integer'],
    ['a fractional size', { path: 'a', size: 1.5, sha256: hash('a') }, 'non-negative integer'],
    ['an uppercase hash', { path: 'a', size: 1, sha256: hash('A') }, '64 lowercase hex'],
    ['a short hash', { path: 'a', size: 1, sha256: 'abc' }, '64 lowercase hex'],
  ];
  for (const [what, file, message] of badFiles) {
    it(`refuses a file with ${what}`, () => {
      const files = [file as Manifest['files'][number]];
      const raw = { ...manifest(), files, revision: computeRevision(files) };
      expect(codeOf(() => validateManifest(raw, 'm'))).toMatch(new RegExp(`^MANIFEST_INVALID: .*${message}`));
    });
  }

  for (const path of ['https://elsewhere.example/x.onnx', '//elsewhere.example/x.onnx', 'HTTP://elsewhere.example/x', 'blob:https://x/1', '\\\\share\\x.onnx']) {
    it(`refuses a file at another location (${path}) with EGRESS_BLOCKED`, () => {
      const files = [{ path, size: 1, sha256: hash('a') }];
      expect(codeOf(() => validateManifest({ ...manifest(), files, revision: computeRevision(files) }, 'm'))).toMatch(/^EGRESS_BLOCKED: .*another location/);
    });
  }

  it('refuses a path listed twice', () => {
    const f = { path: 'a', size: 1, sha256: hash('a') };
    const raw = { ...manifest(), files: [f, f], revision: computeRevision([f, f]) };
    expect(codeOf(() => validateManifest(raw, 'm'))).toMatch(/listed twice/);
  });

  it('refuses a model id that is not one path segment', () => {
    expect(codeOf(() => validateManifest({ ...manifest(), id: '../m' }, '../m'))).toMatch(/^MANIFEST_INVALID: .*id must be/);
  });
});

describe('revision', () => {
  it('ignores file order and changes with any byte of the list', () => {
    const a = { path: 'a', size: 1, sha256: hash('1') };
    const b = { path: 'b', size: 2, sha256: hash('2') };
    expect(computeRevision([a, b])).toBe(computeRevision([b, a]));
    expect(computeRevision([a, b])).not.toBe(computeRevision([a, { ...b, size: 3 }]));
    expect(computeRevision([a, b])).not.toBe(computeRevision([a, { ...b, sha256: hash('3') }]));
    expect(computeRevision([a])).toMatch(/^[0-9a-f]{64}$/);
  });
});
