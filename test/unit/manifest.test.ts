import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../src/errors.js';
import { computeRevision, DEFAULT_MANIFEST_LIMITS, validateManifest, type Manifest } from '../../src/manifest/index.js';
import { fetchManifest } from '../../src/worker/model-source.js';
import { thrown } from '../support/outcome.js';
import { MODELS_DIR } from '../support/paths.js';

const hash = (c: string) => c.repeat(64);
function manifest(files = [{ path: 'onnx/model.onnx', size: 10, sha256: hash('a') }]): Manifest {
  return { schema: 1, id: 'm', task: 'raw', revision: computeRevision(files), source: 's', license: 'MIT', files };
}
/** MANIFEST_INVALID for manifest "m" with these further details */
const invalid = (details: Record<string, unknown> = {}) => ({
  code: 'MANIFEST_INVALID',
  details: { modelId: 'm', ...details },
});

describe('manifest validation', () => {
  it('accepts every manifest in models/', async () => {
    const ids = (await readdir(MODELS_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(ids).toEqual(
      expect.arrayContaining(['tiny-sentiment', 'tiny-lm', 'tiny-embed', 'silero-vad', 'paddleocr-v4']),
    );
    for (const id of ids) {
      const raw = JSON.parse(await readFile(join(MODELS_DIR, id, 'manifest.json'), 'utf8')) as unknown;
      expect(validateManifest(raw, id).files.length).toBeGreaterThan(0);
    }
  });

  it('returns a clean copy of a good manifest', () => {
    const m = manifest();
    expect(validateManifest({ ...m, extra: 1 }, 'm')).toEqual(m);
  });

  // the third column: what the message names (the field at fault, or the value)
  const bad: [string, (m: Manifest) => unknown, string][] = [
    ['not an object', () => 'x', '"m"'],
    ['another schema', (m) => ({ ...m, schema: 2 }), 'schema'],
    ['another id', (m) => ({ ...m, id: 'other' }), '"other"'],
    ['no license', (m) => ({ ...m, license: '' }), 'license'],
    ['no files', (m) => ({ ...m, files: [] }), 'files'],
    ['a revision that does not match', (m) => ({ ...m, revision: hash('0') }), 'revision'],
  ];
  for (const [what, edit, named] of bad) {
    it(`refuses ${what}`, () => {
      const got = thrown(() => validateManifest(edit(manifest()), 'm'));
      expect(got).toMatchObject(invalid());
      expect(got?.details).toEqual({ modelId: 'm' });
      expect(got?.message).toContain(named);
    });
  }

  const badFiles: [string, { path: string; size: number; sha256: string }, string][] = [
    ['a parent path', { path: '../secret', size: 1, sha256: hash('a') }, 'contains \\.\\.'],
    ['an absolute path', { path: '/etc/passwd', size: 1, sha256: hash('a') }, 'is absolute'],
    ['a drive letter', { path: 'C:/models/x.onnx', size: 1, sha256: hash('a') }, 'drive letter'],
    ['a colon', { path: 'model.onnx:v2', size: 1, sha256: hash('a') }, 'scheme'],
    ['a backslash', { path: 'onnx\\model.onnx', size: 1, sha256: hash('a') }, 'backslash'],
    ['a dot segment', { path: 'onnx/./model.onnx', size: 1, sha256: hash('a') }, 'not normalized'],
    // a server never serves these (a model cloned with git carries .git/config), so no manifest names one
    ['a hidden file', { path: '.env', size: 1, sha256: hash('a') }, 'hidden name'],
    ['a hidden folder', { path: 'm/.git/config', size: 1, sha256: hash('a') }, 'hidden name'],
    ['a query', { path: 'model.onnx?x=1', size: 1, sha256: hash('a') }, 'control character, \\? # or %'],
    ['a negative size', { path: 'a', size: -1, sha256: hash('a') }, 'non-negative integer'],
    ['a fractional size', { path: 'a', size: 1.5, sha256: hash('a') }, 'non-negative integer'],
    ['an uppercase hash', { path: 'a', size: 1, sha256: hash('A') }, '64 lowercase hex'],
    ['a short hash', { path: 'a', size: 1, sha256: 'abc' }, '64 lowercase hex'],
  ];
  for (const [what, file] of badFiles) {
    it(`refuses a file with ${what}, naming its path`, () => {
      const files = [file];
      const raw = { ...manifest(), files, revision: computeRevision(files) };
      const got = thrown(() => validateManifest(raw, 'm'));
      expect(got).toMatchObject(invalid({ path: file.path }));
      expect(got?.details).toEqual({ modelId: 'm', path: file.path });
      expect(got?.message).toContain(JSON.stringify(file.path));
    });
  }

  for (const path of [
    'https://elsewhere.example/x.onnx',
    '//elsewhere.example/x.onnx',
    'HTTP://elsewhere.example/x',
    'blob:https://x/1',
    '\\\\share\\x.onnx',
  ]) {
    it(`refuses a file at another location (${path}) with EGRESS_BLOCKED`, () => {
      const files = [{ path, size: 1, sha256: hash('a') }];
      expect(
        thrown(() => validateManifest({ ...manifest(), files, revision: computeRevision(files) }, 'm')),
      ).toMatchObject({ code: 'EGRESS_BLOCKED', details: { modelId: 'm', url: path } });
    });
  }

  it('refuses a path listed twice', () => {
    const f = { path: 'a', size: 1, sha256: hash('a') };
    const raw = { ...manifest(), files: [f, f], revision: computeRevision([f, f]) };
    expect(thrown(() => validateManifest(raw, 'm'))).toMatchObject(invalid({ path: 'a' }));
  });

  it('refuses a model id that is not one path segment', () => {
    const got = thrown(() => validateManifest({ ...manifest(), id: '../m' }, '../m'));
    expect(got).toMatchObject({ code: 'MANIFEST_INVALID', details: { modelId: '../m' } });
    expect(got?.message).toContain('id');
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

describe('manifest messages', () => {
  it('says a schema written as a string is a string, not a number', () => {
    // this test is about the message: it names the field, and shows the value with its kind
    const asString = thrown(() => validateManifest({ ...manifest(), schema: '1' }, 'm'));
    expect(asString).toMatchObject(invalid());
    expect(asString?.message).toContain('schema');
    expect(asString?.message).toContain('the string "1"');
    expect(thrown(() => validateManifest({ ...manifest(), schema: 2 }, 'm'))?.message).toContain('the number 2');
  });
});

describe('one hash, one size', () => {
  it('refuses a manifest that gives one sha256 two sizes, naming both paths', () => {
    const files = [
      { path: 'a.onnx', size: 10, sha256: hash('a') },
      { path: 'b.onnx', size: 11, sha256: hash('a') },
    ];
    const error = thrown(() => validateManifest({ ...manifest(), files, revision: computeRevision(files) }, 'm'));
    expect(error).toMatchObject(invalid({ sha256: hash('a'), paths: ['a.onnx', 'b.onnx'], sizes: [10, 11] }));
    expect(error?.message).toContain('"a.onnx"');
    expect(error?.message).toContain('"b.onnx"');
  });

  it('accepts one sha256 listed twice with the same size (two names for one content)', () => {
    const files = [
      { path: 'a.onnx', size: 10, sha256: hash('a') },
      { path: 'b.onnx', size: 10, sha256: hash('a') },
    ];
    expect(validateManifest({ ...manifest(), files, revision: computeRevision(files) }, 'm').files).toEqual(files);
  });
});

/** The MANIFEST_INVALID error for a manifest of these paths, or a note that it passed. */
function refusal(paths: string[]) {
  const files = paths.map((path, i) => ({ path, size: 1, sha256: hash(i.toString(16)) }));
  return thrown(() => validateManifest({ ...manifest(), files, revision: computeRevision(files) }, 'm')) ?? 'accepted';
}

describe('lookalike paths', () => {
  // each path could show in the audit or a UI as something it is not; the message shows it escaped
  // (the last column: the code point at fault, which the message names too)
  const lookalikes: [string, string, string, string][] = [
    ['a bidirectional override', 'onnx/model\u202Exnno.txt', 'onnx/model\\u{202E}xnno.txt', 'U+202E'],
    ['a bidirectional isolate', 'onnx/\u2066model.onnx', 'onnx/\\u{2066}model.onnx', 'U+2066'],
    ['a right-to-left mark', 'onnx/\u200Fmodel.onnx', 'onnx/\\u{200F}model.onnx', 'U+200F'],
    ['a zero-width space', 'onnx/mo\u200Bdel.onnx', 'onnx/mo\\u{200B}del.onnx', 'U+200B'],
    ['a zero-width joiner', 'onnx/mo\u200Ddel.onnx', 'onnx/mo\\u{200D}del.onnx', 'U+200D'],
    ['a word joiner', 'onnx/mo\u2060del.onnx', 'onnx/mo\\u{2060}del.onnx', 'U+2060'],
    ['a byte order mark', '\uFEFFconfig.json', '\\u{FEFF}config.json', 'U+FEFF'],
    ['a soft hyphen', 'con\u00ADfig.json', 'con\\u{AD}fig.json', 'U+00AD'],
    ['a variation selector', 'config\uFE0F.json', 'config\\u{FE0F}.json', 'U+FE0F'],
    ['a Hangul filler', 'config\u3164.json', 'config\\u{3164}.json', 'U+3164'],
    ['a C1 control', 'con\u0085fig.json', 'con\\u{85}fig.json', 'U+0085'],
    ['a C1 control (CSI)', 'con\u009Bfig.json', 'con\\u{9B}fig.json', 'U+009B'],
    ['DEL', 'config\u007F.json', 'config\\u{7F}.json', 'U+007F'],
    ['a line separator', 'config\u2028.json', 'config\\u{2028}.json', 'U+2028'],
    ['a paragraph separator', 'config\u2029.json', 'config\\u{2029}.json', 'U+2029'],
    ['a no-break space', 'model\u00A0.onnx', 'model\\u{A0}.onnx', 'U+00A0'],
    ['an ideographic space', 'model\u3000.onnx', 'model\\u{3000}.onnx', 'U+3000'],
    ['a lone surrogate', 'model\uD800.onnx', 'model\\u{D800}.onnx', 'U+D800'],
    ['a private-use character', 'model\uE000.onnx', 'model\\u{E000}.onnx', 'U+E000'],
    ['a decomposed (NFD) letter', 'cafe\u0301.json', 'cafe\\u{301}.json', ''],
    ['a trailing dot', 'onnx/model.onnx.', 'onnx/model.onnx.', ''],
    ['a trailing space', 'onnx/model.onnx ', 'onnx/model.onnx ', ''],
    ['a folder with a trailing dot', 'onnx./model.onnx', 'onnx./model.onnx', ''],
    ['a folder with a trailing space', 'onnx /model.onnx', 'onnx /model.onnx', ''],
    ['a leading space', ' model.onnx', ' model.onnx', ''],
  ];
  for (const [what, path, shown, codePoint] of lookalikes) {
    it(`refuses a path with ${what}, showing it escaped`, () => {
      const got = refusal(['config.json', path]);
      expect(got).not.toBe('accepted');
      if (got === 'accepted') return;
      expect(got.code).toBe('MANIFEST_INVALID');
      expect(got.message).toContain(`"${shown}"`);
      expect(got.message).toContain(codePoint);
      expect(got.details).toEqual({ modelId: 'm', path });
    });
  }

  it('refuses NFC/NFD twins: the decomposed one is not NFC', () => {
    const got = refusal(['caf\u00E9.json', 'cafe\u0301.json']);
    expect(got).toMatchObject({ code: 'MANIFEST_INVALID', details: { path: 'cafe\u0301.json' } });
  });

  const twins: [string, string, string][] = [
    ['letter case', 'onnx/Model.onnx', 'onnx/model.onnx'],
    ['folder case', 'ONNX/model.onnx', 'onnx/model.onnx'],
    ['a sharp s', 'stra\u00DFe.json', 'STRASSE.json'],
    ['a final sigma', '\u03C2.json', '\u03C3.json'],
    ['a full-width letter', '\uFF4Dodel.onnx', 'model.onnx'],
  ];
  for (const [what, a, b] of twins) {
    it(`refuses case twins in one manifest (${what}), naming both`, () => {
      const got = refusal([a, b]);
      expect(got).not.toBe('accepted');
      if (got === 'accepted') return;
      expect(got.code).toBe('MANIFEST_INVALID');
      expect(got.details).toEqual({ modelId: 'm', paths: [a, b] });
    });
  }

  it('accepts ordinary non-ASCII names in NFC, and spaces and dots inside a name', () => {
    expect(refusal(['mod\u00E8le/caf\u00E9.json', '\u6A21\u578B/model.onnx', 'notes/read me.v2.txt'])).toBe('accepted');
  });
});

describe('manifest caps', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `f${i}`, size: 1, sha256: hash('a') }));

  it('refuses more files than the cap before looking at them (default 10 000)', () => {
    expect(DEFAULT_MANIFEST_LIMITS).toEqual({ maxFiles: 10_000, maxBytes: 4 * 2 ** 20 });
    const files = many(10_001);
    // the revision is not even computed: the count is checked first
    const raw = { ...manifest(), files, revision: hash('0') };
    expect(thrown(() => validateManifest(raw, 'm'))).toMatchObject(invalid({ files: 10_001, maxFiles: 10_000 }));
    expect(
      validateManifest({ ...manifest(), files: many(10_000), revision: computeRevision(many(10_000)) }, 'm').files,
    ).toHaveLength(10_000);
    expect(
      thrown(() =>
        validateManifest({ ...manifest(), files: many(3), revision: computeRevision(many(3)) }, 'm', { maxFiles: 2 }),
      ),
    ).toMatchObject(invalid({ files: 3, maxFiles: 2 }));
  });

  /** A manifest response of `bytes`, with or without Content-Length; counts what was pulled from it. */
  function response(bytes: Uint8Array, withLength: boolean) {
    const pulled = { bytes: 0 };
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= bytes.length) return c.close();
        const piece = bytes.subarray(at, at + 65536);
        at += piece.length;
        pulled.bytes += piece.length;
        c.enqueue(piece);
      },
    });
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (withLength) headers['Content-Length'] = String(bytes.length);
    return { res: new Response(body, { headers }), pulled };
  }

  for (const withLength of [true, false]) {
    it(`refuses a manifest body over the byte cap before parsing it (${withLength ? 'declared' : 'streamed'})`, async () => {
      const files = many(40_000);
      const text = JSON.stringify({ ...manifest(), files, revision: computeRevision(files) });
      const bytes = new TextEncoder().encode(text);
      expect(bytes.length).toBeGreaterThan(1_000_000);
      const { res, pulled } = response(bytes, withLength);
      const limits = { maxFiles: 100_000, maxBytes: 1_000_000 };
      let error: AirlockError | undefined;
      try {
        await fetchManifest({ fetch: () => Promise.resolve(res), modelBase: 'http://127.0.0.1/models/', limits }, 'm');
      } catch (e) {
        error = e as AirlockError;
      }
      expect(error?.code).toBe('MANIFEST_INVALID');
      expect(error?.details).toMatchObject({
        modelId: 'm',
        maxBytes: 1_000_000,
        url: 'http://127.0.0.1/models/m/manifest.json',
      });
      // a declared length is refused unread; a streamed body is read only up to the cap
      if (withLength) expect(pulled.bytes).toBeLessThanOrEqual(65536 * 2);
      else expect(pulled.bytes).toBeLessThanOrEqual(1_000_000 + 65536 * 2);
    });
  }

  it('reads a manifest under the byte cap as before', async () => {
    const m = manifest();
    const { res } = response(new TextEncoder().encode(JSON.stringify(m)), false);
    expect(
      await fetchManifest({ fetch: () => Promise.resolve(res), modelBase: 'http://127.0.0.1/models/' }, 'm'),
    ).toEqual(m);
  });
});
